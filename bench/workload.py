"""The simulated users: applicants working through the questionnaire, and the echo bot's texters.

Each user's next update is chosen from what the bot last showed in that chat (the screen the fake Bot
API recorded), so button presses carry the callback data a person would send.
"""

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from bench.api import Screen, ScreenBotApi
from bot.store import Store
from dialogs.engine import Engine
from dialogs.events import Button, Command
from dialogs.session import Session

FIRST_UPDATE_ID = 50_000_000  # above every last_update_id stored for pre-existing users
NEW_USER_BASE = 6_000_000_000
STORED_USER_BASE = 100_000_000
ECHO_USERS = 700

# Free-text questions as applicants type them.
QUESTIONS = [
    "do i need usce",
    "how many letters should i get",
    "is 238 good for med psych",
    "can I match with a 221 CK?",
    "what if i failed step 1",
    "do programs sponsor h1b visas",
    "should i retake step 2 ck",
    "how do i explain my step 1 failure in the personal statement",
    "is research important for med psych",
    "when should I apply",
    "what do program directors look for",
    "how many programs should i apply to",
    "should I also apply to categorical psychiatry",
    "do observerships count as usce",
    "what is a prelim year",
    "should i take step 3 before applying",
    "how do i find img friendly programs",
    "what if i don't match",
    "who should write my letters",
    "can i email programs directly?",
]
SCORES = ["231", "CK 225", "218", "my score is 238", "244", "209", "step 2 ck 226"]
WEEKS = ["8", "12 weeks", "3 months", "6"]
INVALID = ["abc", "2 2 5", "ok??", "22o", "asdf", "."]
SMALL_TALK = ["hi", "thanks!", "hello", "ok thank you", "good morning", "thanks a lot 🙏"]
ECHO_TEXTS = [*QUESTIONS, *SCORES, "hi", "thanks!", "J-1", "passed", "none yet", "/start"]
SELECTED = "✅"
TURN_BUTTONS = ("begin", "go", "ans", "tog", "done", "back", "skip", "plan", "edit", "rst", "del")


def message_update(api: ScreenBotApi, update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """Return a private-chat text message update, built by the tests' fake Bot API."""
    return {"update_id": update_id, "message": api.message_payload(user_id, text)}


def callback_update(api: ScreenBotApi, update_id: int, user_id: int, data: str, message_id: int) -> dict:
    """Return a button press on *message_id*, showing that message's text and keyboard if it is current."""
    screen = api.screens.get(user_id)
    current = screen is not None and screen.message_id == message_id
    update = api.press_payload(
        user_id,
        data,
        message_id,
        text=screen.text if screen else "question",
        markup=screen.markup if current and screen else None,
    )
    update["callback_query"]["id"] = f"{user_id}:{update_id}"  # ScreenBotApi reads the chat from it
    return {"update_id": update_id, **update}


@dataclass
class Person:
    """One simulated applicant working through the questionnaire."""

    user_id: int
    existing: bool
    multi_target: int
    extras: int  # actions after seeing the plan
    started: bool = False
    finished: bool = False
    done: bool = False
    steps: int = 0
    last_press: str | None = None


class StoredUsers:
    """Users already in the database: user i has session template i % len(templates)."""

    def __init__(self, size: int, templates: list[tuple[str, str]]) -> None:
        self.size = size
        self.templates = templates  # (state, data JSON with "user_id":0)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Yield session rows for executemany."""
        now = time.time()
        count = len(self.templates)
        for index in range(self.size):
            user_id = STORED_USER_BASE + index
            state, data = self.templates[index % count]
            data = data.replace('"user_id":0', f'"user_id":{user_id}', 1)
            created = now - 86400 * (index % 90) - 3600
            yield (user_id, user_id, state, data, 1, 1000 + index, created, created + 600)

    def populate(self, store: Store) -> None:
        """Insert every row in one transaction."""
        with store.db.conn:
            store.db.conn.executemany(
                "INSERT INTO sessions (user_id, chat_id, state, data, active, last_update_id, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self.rows(),
            )

    def pick(self, template: int, rng: random.Random, used: set[int]) -> int:
        """Return a stored user id, not picked before, whose session is *template*.

        The template decides the dialog, so every database size sees the same conversations.
        """
        count = len(self.templates)
        template %= min(count, self.size)
        for _ in range(100):
            user_id = STORED_USER_BASE + rng.randrange(template, self.size, count)
            if user_id not in used:
                break
        used.add(user_id)
        return user_id


def session_templates(engine: Engine, count: int = 40, seed: int = 7) -> list[tuple[str, str]]:
    """Return realistic stored sessions, made by driving the engine through random answers."""
    rng = random.Random(seed)
    today = date.today()
    templates = []
    for _ in range(count):
        session = Session(user_id=0)
        outcome = engine.handle(session, Command("start"), today)
        for _ in range(rng.randint(1, 24)):
            buttons = [
                c.data
                for reply in outcome.replies
                for row in reply.choices
                for c in row
                if c.data.split(":")[0] in ("ans", "tog", "done", "plan", "skip")
            ]
            if not buttons:
                break
            toggles = [b for b in buttons if b.startswith("tog:")]
            if toggles and any(r.edit for r in outcome.replies) and rng.random() < 0.5:
                data = next(b for b in buttons if b.startswith("done:"))
            else:
                data = rng.choice([b for b in buttons if not b.startswith("done:")] or buttons)
            outcome = engine.handle(outcome.session, Button(data), today)
        session = outcome.session
        templates.append((session.state, json.dumps(session.to_record(), separators=(",", ":"))))
    return templates


class Workload:
    """Generates the advisor's updates: many users, each working through the questionnaire.

    The next update of a user is chosen from what the bot last showed in that chat (the newest
    reply_markup the fake API recorded), so button presses carry the right callback data.
    """

    def __init__(
        self,
        api: ScreenBotApi,
        engine: Engine,
        total: int,
        *,
        seed: int = 1,
        stored: StoredUsers | None = None,
        stored_share: float = 0.0,
        active: int | None = None,
    ) -> None:
        self.api, self.total = api, total
        self.rng = random.Random(seed)
        self.pick_rng = random.Random(seed + 1)  # keeps the dialog identical whatever the stored size
        self.stored, self.stored_share = stored, stored_share
        self.prompts = {q.prompt: q for q in engine.library.questions}
        self.phrasings = engine.library.understanding.options
        self.next_user = NEW_USER_BASE
        self.update_id = FIRST_UPDATE_ID
        self.kinds: Counter[str] = Counter()
        self.kind = ""
        self.users = 0
        self.stored_users = 0
        self.picked: set[int] = set()
        self.pool = [self.new_person() for _ in range(active or max(8, min(64, total // 40)))]

    def new_person(self) -> Person:
        """Return the next simulated user: new, or one already stored (stored_share of them)."""
        rng = self.rng
        self.users += 1
        existing = self.stored is not None and rng.random() < self.stored_share
        if existing:
            assert self.stored is not None
            self.stored_users += 1
            user_id = self.stored.pick(rng.randrange(1000), self.pick_rng, self.picked)
        else:
            self.next_user += 1
            user_id = self.next_user
        return Person(user_id, existing, multi_target=rng.randint(1, 3), extras=rng.randint(1, 4))

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield (kind, update dict); the next one is chosen after the previous was processed."""
        for _ in range(self.total):
            index = self.rng.randrange(len(self.pool))
            person = self.pool[index]
            payload = self.act(person)
            yield self.kind, payload
            person.steps += 1
            if person.done or person.steps > 80:
                self.pool[index] = self.new_person()

    # --- what a person does next -----------------------------------------------------------------------
    def _text(self, person: Person, text: str, kind: str) -> dict[str, Any]:
        self.kind = kind
        self.kinds[kind] += 1
        self.update_id += 1
        return message_update(self.api, self.update_id, person.user_id, text)

    def _press(self, person: Person, data: str, kind: str, message_id: int | None = None) -> dict:
        self.kind = kind
        self.kinds[kind] += 1
        self.update_id += 1
        screen = self.api.screens.get(person.user_id)
        if message_id is None:
            message_id = screen.message_id if screen else 1
        person.last_press = data
        return callback_update(self.api, self.update_id, person.user_id, data, message_id)

    def _seen(self, person: Person, screen: Screen, prefix: str) -> list[tuple[int, str]]:
        """Return (message, data) of buttons starting with *prefix* on recent messages (turn-less ones)."""
        recent = self.api.old_buttons.get(person.user_id, [])[-12:]
        found = [(m, d) for m, d in recent if d.startswith(prefix)]
        return found + [(screen.message_id, d) for _, d in screen.buttons if d.startswith(prefix)]

    def act(self, person: Person) -> dict[str, Any]:
        """Return the update *person* sends next, chosen from what their chat shows."""
        rng = self.rng
        screen = self.api.screens.get(person.user_id)
        if not person.started or screen is None:
            person.started = True
            return self._text(person, "/start", "/start")
        roll = rng.random()
        if roll < 0.08:
            return self._text(person, rng.choice(QUESTIONS), "free-text question")
        if roll < 0.11:
            return self._text(person, rng.choice(INVALID), "invalid answer")
        if roll < 0.14:
            stale = self._stale(person, screen)
            if stale is not None:
                return stale
        if roll < 0.16:
            rates = self._seen(person, screen, "rate:")
            if rates:
                message_id, rate = rng.choice(rates)
                return self._press(person, rate, "button: rate FAQ answer", message_id)
        if roll < 0.19:
            return self._text(person, rng.choice(SMALL_TALK), "small talk")
        if person.finished:
            return self._after_plan(person, screen)
        data = [d for _, d in screen.buttons]
        plan = next((d for d in data if d.startswith("plan:")), None)
        if plan is not None:
            person.finished = True
            if rng.random() < 0.3:
                return self._text(person, "/plan", "/plan")
            return self._press(person, plan, "button: show plan")
        toggles = [(label, d) for label, d in screen.buttons if d.startswith("tog:")]
        if toggles:
            chosen = [d for label, d in toggles if label.startswith(SELECTED)]
            free = [d for label, d in toggles if not label.startswith(SELECTED)]
            # Exclusive options ("none", "not sure") can make a target unreachable: stop at random too.
            if chosen and (len(chosen) >= person.multi_target or not free or rng.random() < 0.3):
                done = next(d for d in data if d.startswith("done:"))
                return self._press(person, done, "button: done")
            return self._press(person, rng.choice(free or [d for _, d in toggles]), "button: toggle")
        question = next((q for p, q in self.prompts.items() if p in screen.text), None)
        if question is not None and rng.random() < 0.5:
            if question.kind == "score":
                return self._text(person, rng.choice(SCORES), "typed score")
            if question.kind == "number":
                return self._text(person, rng.choice(WEEKS), "typed weeks")
            phrasings = self.phrasings.get(question.id, {})
            aliases = [p for phrases in phrasings.values() for p in phrases]
            if aliases and rng.random() < 0.3:
                return self._text(person, rng.choice(aliases), "typed option")
        answers = [d for d in data if d.startswith("ans:")]
        nav = rng.random()
        back = next((d for d in data if d.startswith("back:")), None)
        skip = next((d for d in data if d.startswith("skip:")), None)
        if back and nav < 0.04:
            return self._press(person, back, "button: back")
        if skip and nav < 0.08:
            return self._press(person, skip, "button: skip")
        if answers:
            return self._press(person, rng.choice(answers), "button: answer")
        begin = next((d for d in data if d.startswith(("begin:", "go:"))), None)
        if begin:
            return self._press(person, begin, "button: begin/continue")
        return self._text(person, "/start", "/start")

    def _stale(self, person: Person, screen: Screen) -> dict[str, Any] | None:
        current = {d.split(":")[1] for _, d in screen.buttons if d.count(":") >= 1}
        old = [
            (m, d)
            for m, d in self.api.old_buttons.get(person.user_id, [])
            if d.split(":")[0] in TURN_BUTTONS and d.split(":")[1] not in current
        ]
        if person.last_press and self.rng.random() < 0.3:
            return self._press(person, person.last_press, "button: double tap")
        if not old:
            return None
        message_id, data = self.rng.choice(old)
        return self._press(person, data, "button: stale", message_id)

    def _after_plan(self, person: Person, screen: Screen) -> dict[str, Any]:
        person.extras -= 1
        if person.extras <= 0:
            person.done = True
        rng = self.rng
        roll = rng.random()
        if roll < 0.30:
            return self._text(person, "/plan", "/plan")
        if roll < 0.50:
            return self._text(person, rng.choice(QUESTIONS), "free-text question")
        for low, high, prefix, kind in (
            (0.50, 0.62, "faq:", "button: FAQ topic"),
            (0.62, 0.72, "doc:", "button: plan PDF"),
            (0.72, 0.78, "rem:", "button: reminders on/off"),
        ):
            if low <= roll < high:
                seen = self._seen(person, screen, prefix)
                if seen:
                    message_id, data = rng.choice(seen)
                    return self._press(person, data, kind, message_id)
                return self._text(person, rng.choice(QUESTIONS), "free-text question")
        if roll < 0.85:
            return self._text(person, "/timeline", "/timeline")
        if roll < 0.92:
            return self._text(person, "/profile", "/profile")
        return self._text(person, "/start", "/start")


def echo_workload(api: ScreenBotApi, total: int, seed: int = 2) -> Iterator[tuple[str, dict[str, Any]]]:
    """Text messages from many different users, for the echo bot."""
    rng = random.Random(seed)
    for index in range(total):
        user_id = NEW_USER_BASE + rng.randrange(ECHO_USERS)
        yield "echo", message_update(api, FIRST_UPDATE_ID + index, user_id, rng.choice(ECHO_TEXTS))
