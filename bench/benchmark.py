"""Throughput, latency, memory and start-up benchmark of the advisor against a bare PTB echo bot.

    .venv/bin/python bench/benchmark.py              # full run (a few minutes at most)
    .venv/bin/python bench/benchmark.py --quick      # smoke run (seconds)
    .venv/bin/python bench/benchmark.py --updates 3000

Both bots run in this process and process the same number of updates sequentially with
`await application.process_update(update)`; the Bot API is answered in-process by an
`httpx.MockTransport`, so the figures are the CPU cost of one update through python-telegram-bot, httpx,
the advisor's engine and its SQLite store, with no network. The advisor is built with
`bot.app.build_application` exactly as in production, except `rate_limiter=False`: AIORateLimiter caps
sending at Telegram's 30 messages/s, which would measure Telegram's limit rather than the bot.

Start-up is measured on a real `python -m bot` process against tests.fakeapi.FakeBotApi on 127.0.0.1.
The advisor part is also run once under cProfile; the result goes to bench/PROFILE.md (a hand-written
analysis between the `analysis` markers of that file is kept when it is regenerated).
"""

import argparse
import asyncio
import contextlib
import cProfile
import gc
import json
import logging
import os
import pstats
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from content.loader import load_library  # noqa: E402
from dialogs.engine import Engine  # noqa: E402
from dialogs.events import Button, Command  # noqa: E402
from dialogs.session import Session  # noqa: E402
from tests.fakeapi import BOT_USER, FakeBotApi  # noqa: E402

TOKEN = "123456:BENCHMARK-TOKEN"
PROFILE_PATH = Path(__file__).resolve().parent / "PROFILE.md"
ANALYSIS_START = "<!-- analysis:start -->"
ANALYSIS_END = "<!-- analysis:end -->"
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
ECHO_TEXTS = [*QUESTIONS, *SCORES, "hi", "thanks!", "J-1", "passed", "none yet", "/start"]
SELECTED = "✅"
_FORM_FIELD = re.compile(rb'name="(chat_id|caption|message_id)"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r]*)\r\n')
TURN_BUTTONS = ("begin", "go", "ans", "tog", "done", "back", "skip", "plan", "edit", "rst", "del")


def tree_state() -> str:
    """Return the commit and whether the working tree has changes (read-only git, no index refresh)."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"{head or 'unknown'}" + (f" + uncommitted changes in {len(dirty)} files" if dirty else "")


def rss_mb() -> float:
    """Return this process's resident set size in MB (VmRSS; peak RSS where /proc is missing)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """Return the *q*-th percentile (0-100) of *values*, nearest-rank."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# ----- the in-process Bot API ------------------------------------------------------------------------------
@dataclass
class Screen:
    """The newest message with buttons in one chat, as the user sees it."""

    message_id: int
    text: str
    markup: dict[str, Any]
    buttons: list[tuple[str, str]]  # (label, callback_data)


class FakeTelegram:
    """Answers every Bot API method in-process with plausible JSON; remembers what each chat was shown."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.screens: dict[int, Screen] = {}
        self.old_buttons: dict[int, list[tuple[int, str]]] = defaultdict(list)  # earlier (message, data)
        self.cpu_seconds = 0.0  # CPU time spent in here, i.e. not in the bot
        self.total_calls = 0
        self._message_id = 1000
        self.transport = httpx.MockTransport(self._handle)

    def request(self, kind: type[HTTPXRequest] = HTTPXRequest) -> HTTPXRequest:
        """Return a PTB request object (of class *kind*) whose HTTP calls end up here."""
        return kind(httpx_kwargs={"transport": self.transport})

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        started = time.thread_time()
        method = request.url.path.rsplit("/", 1)[-1]
        body = await request.aread()
        kind = request.headers.get("content-type", "")
        if "urlencoded" in kind:
            params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        else:  # multipart (sendPhoto, sendDocument): only the small fields, not the file
            params = {k.decode(): v.decode() for k, v in _FORM_FIELD.findall(body)}
        self.calls[method] += 1
        self.total_calls += 1
        if method == "getMe":
            result: Any = BOT_USER
        elif method in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
            result = self._message(method, params)
        elif method == "getUpdates":
            result = []
        else:  # answerCallbackQuery, setMyCommands, deleteWebhook, ...
            result = True
        response = httpx.Response(
            200,
            content=json.dumps({"ok": True, "result": result}).encode(),
            headers={"content-type": "application/json"},
        )
        self.cpu_seconds += time.thread_time() - started
        return response

    def _message(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        chat_id = int(params.get("chat_id") or 0)
        if method == "editMessageText" and params.get("message_id"):
            message_id = int(params["message_id"])
        else:
            self._message_id += 1
            message_id = self._message_id
        now = int(time.time())
        result: dict[str, Any] = {
            "message_id": message_id,
            "date": now,
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"},
        }
        if method == "sendPhoto":
            result["photo"] = [{"file_id": "ph1", "file_unique_id": "p1", "width": 800, "height": 400}]
            result["caption"] = params.get("caption", "")
        elif method == "sendDocument":
            result["document"] = {"file_id": "doc1", "file_unique_id": "d1", "file_name": "plan.pdf"}
            result["caption"] = params.get("caption", "")
        else:
            result["text"] = params.get("text", "")
        if method == "editMessageText":
            result["edit_date"] = now
        if params.get("reply_markup"):
            markup = json.loads(params["reply_markup"])
            result["reply_markup"] = markup
            buttons = [
                (b["text"], b["callback_data"])
                for row in markup.get("inline_keyboard", [])
                for b in row
                if "callback_data" in b
            ]
            previous = self.screens.get(chat_id)
            if previous is not None and previous.message_id != message_id:
                old = self.old_buttons[chat_id]
                old.extend((previous.message_id, data) for _, data in previous.buttons)
                del old[:-30]
            self.screens[chat_id] = Screen(message_id, result.get("text", ""), markup, buttons)
        return result


# ----- users -----------------------------------------------------------------------------------------------
def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}


def message_update(update_id: int, user_id: int, text: str, message_id: int) -> dict[str, Any]:
    """Return a private-chat text message update as Telegram sends it."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
        "from": _user(user_id),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def callback_update(update_id: int, user_id: int, data: str, screen: Screen | None, message_id: int) -> dict:
    """Return a button press on *message_id* in *user_id*'s chat."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
        "from": BOT_USER,
        "text": screen.text if screen else "question",
    }
    if screen is not None and screen.message_id == message_id:
        message["reply_markup"] = screen.markup
    query = {
        "id": f"{user_id}{update_id}",
        "from": _user(user_id),
        "chat_instance": f"ci{user_id}",
        "message": message,
        "data": data,
    }
    return {"update_id": update_id, "callback_query": query}


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
        api: FakeTelegram,
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
        self.message_id = 1
        self.kinds: Counter[str] = Counter()
        self.kind = ""
        self.users = 0
        self.stored_users = 0
        self.picked: set[int] = set()
        self.pool = [self._person() for _ in range(active or max(8, min(64, total // 40)))]

    def _person(self) -> Person:
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
            payload = self._act(person)
            yield self.kind, payload
            person.steps += 1
            if person.done or person.steps > 80:
                self.pool[index] = self._person()

    # --- what a person does next -----------------------------------------------------------------------
    def _text(self, person: Person, text: str, kind: str) -> dict[str, Any]:
        self.kind = kind
        self.kinds[kind] += 1
        self.update_id += 1
        self.message_id += 1
        return message_update(self.update_id, person.user_id, text, self.message_id)

    def _press(self, person: Person, data: str, kind: str, message_id: int | None = None) -> dict:
        self.kind = kind
        self.kinds[kind] += 1
        self.update_id += 1
        screen = self.api.screens.get(person.user_id)
        if message_id is None:
            message_id = screen.message_id if screen else 1
        person.last_press = data
        return callback_update(self.update_id, person.user_id, data, screen, message_id)

    def _seen(self, person: Person, screen: Screen, prefix: str) -> list[tuple[int, str]]:
        """Return (message, data) of buttons starting with *prefix* on recent messages (turn-less ones)."""
        recent = self.api.old_buttons.get(person.user_id, [])[-12:]
        found = [(m, d) for m, d in recent if d.startswith(prefix)]
        return found + [(screen.message_id, d) for _, d in screen.buttons if d.startswith(prefix)]

    def _act(self, person: Person) -> dict[str, Any]:
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
                message_id, data = rng.choice(rates)
                return self._press(person, data, "button: rate FAQ answer", message_id)
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


def echo_workload(total: int, seed: int = 2) -> Iterator[tuple[str, dict[str, Any]]]:
    """Text messages from many different users, for the echo bot."""
    rng = random.Random(seed)
    for index in range(total):
        user_id = NEW_USER_BASE + rng.randrange(ECHO_USERS)
        yield "echo", message_update(FIRST_UPDATE_ID + index, user_id, rng.choice(ECHO_TEXTS), index + 1)


# ----- running a bot ---------------------------------------------------------------------------------------
@dataclass
class Run:
    """What one pass over a workload measured."""

    wall: list[float] = field(default_factory=list)  # seconds per process_update, wall clock
    cpu: list[float] = field(default_factory=list)  # seconds per process_update, this thread's CPU time
    de_json: float = 0.0
    api_cpu: float = 0.0
    calls: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    users: int = 0
    stored_users: int = 0
    rss_mb: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # wall
    cpu_by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    calls_by_kind: Counter[str] = field(default_factory=Counter)  # Bot API calls made for each kind

    @property
    def per_second(self) -> float:
        """Return updates per second of CPU time spent in process_update."""
        return len(self.cpu) / sum(self.cpu) if self.cpu else 0.0

    @property
    def wall_per_second(self) -> float:
        """Return updates per second of wall-clock time spent in process_update."""
        return len(self.wall) / sum(self.wall) if self.wall else 0.0


@dataclass
class Lane:
    """One bot being fed its own workload."""

    app: Application
    api: "FakeTelegram"
    updates: Iterator[tuple[str, dict[str, Any]]]
    workload: "Workload | None" = None
    run: Run = field(default_factory=Run)


async def drive(lanes: list[Lane], profiler: cProfile.Profile | None = None) -> list[Run]:
    """Feed every lane its next update in turn until all are done; return their runs.

    Alternating the lanes update by update means a busy neighbour on the machine slows all of them
    alike, so their ratio holds even when absolute figures wander; CPU time (not wall time) is what
    the throughput figures use, for the same reason.
    """
    wall, cpu = time.perf_counter, time.thread_time
    iterators = [iter(lane.updates) for lane in lanes]
    live = list(range(len(lanes)))
    step = 0
    while live:
        order = live if step % 2 == 0 else live[::-1]
        step += 1
        for index in list(order):
            item = next(iterators[index], None)
            if item is None:
                live.remove(index)
                continue
            kind, payload = item
            lane = lanes[index]
            run = lane.run
            started = cpu()
            update = Update.de_json(payload, lane.app.bot)
            wall_start, cpu_start = wall(), cpu()
            run.de_json += cpu_start - started
            calls_before = lane.api.total_calls
            if profiler is not None:
                profiler.enable()
            await lane.app.process_update(update)
            if profiler is not None:
                profiler.disable()
            cpu_used, wall_used = cpu() - cpu_start, wall() - wall_start
            run.wall.append(wall_used)
            run.cpu.append(cpu_used)
            run.by_kind[kind].append(wall_used)
            run.cpu_by_kind[kind].append(cpu_used)
            run.calls_by_kind[kind] += lane.api.total_calls - calls_before
    memory = rss_mb()
    for lane in lanes:
        run = lane.run
        run.api_cpu, run.calls, run.rss_mb = lane.api.cpu_seconds, lane.api.calls, memory
        if lane.workload is not None:
            run.kinds, run.users = lane.workload.kinds, lane.workload.users
            run.stored_users = lane.workload.stored_users
        else:
            run.kinds, run.users = Counter({"echo": len(run.cpu)}), ECHO_USERS
    return [lane.run for lane in lanes]


@contextlib.asynccontextmanager
async def echo_bot(total: int, replies: int = 1) -> AsyncIterator[Lane]:
    """The reference: a bare PTB echo bot, fed *total* text updates from many users.

    With replies=2 it answers each message twice: the Bot API floor of a bot making two calls per update.
    """
    api = FakeTelegram()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        for _ in range(replies):
            await update.message.reply_text(update.message.text)

    app = (
        Application.builder()
        .token(TOKEN)
        .request(api.request())
        .get_updates_request(api.request())
        .updater(None)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    api.cpu_seconds = 0.0
    try:
        yield Lane(app, api, echo_workload(total))
    finally:
        await app.shutdown()


@contextlib.asynccontextmanager
async def advisor_bot(
    engine: Engine,
    db_path: Path,
    total: int,
    *,
    stored: StoredUsers | None = None,
    stored_share: float = 0.0,
) -> AsyncIterator[Lane]:
    """The advisor as production builds it (but rate_limiter=False), fed a realistic mix of updates."""
    api = FakeTelegram()
    store = Store(db_path)
    try:
        settings = Settings(bot_token=TOKEN, db_path=db_path)
        request = api.request()  # production builds the same HTTPXRequest, on a real transport
        app = build_application(settings, engine, store, request=request, rate_limiter=False)
        await app.initialize()
        try:
            if app.post_init is not None:
                await app.post_init(app)  # the command menu, as run_polling does
            api.cpu_seconds = 0.0
            workload = Workload(api, engine, total, stored=stored, stored_share=stored_share)
            yield Lane(app, api, iter(workload), workload)
        finally:
            await app.shutdown()
    finally:
        store.close()


async def echo_run(total: int, profiler: cProfile.Profile | None = None) -> Run:
    """Run the echo bot alone over *total* updates."""
    async with echo_bot(total) as lane:
        return (await drive([lane], profiler))[0]


async def advisor_run(engine: Engine, db_path: Path, total: int, **kw: Any) -> Run:
    """Run the advisor alone over *total* updates (profiler=... to profile it)."""
    profiler = kw.pop("profiler", None)
    async with advisor_bot(engine, db_path, total, **kw) as lane:
        return (await drive([lane], profiler))[0]


class Problems(logging.Handler):
    """Keeps warnings and errors logged during the benchmark: a healthy run has none."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def production_logging() -> Iterator[Problems]:
    """Log as `python -m bot` does (INFO, same format, httpx/transitions quiet), into /dev/null."""
    root = logging.getLogger()
    noisy = [logging.getLogger(n) for n in ("httpx", "transitions", "httpcore")]
    saved = (root.level, [n.level for n in noisy])
    problems = Problems()
    with open(os.devnull, "w") as sink:
        handler = logging.StreamHandler(sink)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.addHandler(problems)
        root.setLevel(logging.INFO)
        for logger in noisy:
            logger.setLevel(logging.WARNING)
        try:
            yield problems
        finally:
            root.removeHandler(problems)
            root.removeHandler(handler)
            root.setLevel(saved[0])
            for logger, level in zip(noisy, saved[1], strict=True):
                logger.setLevel(level)


# ----- start-up --------------------------------------------------------------------------------------------
class TimedBotApi(FakeBotApi):
    """The fake Bot API, noting when the first call (getMe) and the first sendMessage arrive."""

    first_call: float | None = None
    first_reply: float | None = None

    def _answer(self, method: str, params: dict[str, Any]):
        now = time.perf_counter()
        if self.first_call is None:
            self.first_call = now
        if method == "sendMessage" and self.first_reply is None:
            self.first_reply = now
        return super()._answer(method, params)


def startup_seconds(workdir: Path, attempt: int) -> tuple[float, float]:
    """Start `python -m bot` with a /start queued; return seconds until its first Bot API call and reply."""
    api = TimedBotApi().start()
    api.send_text(4242, "/start")
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        ADVISOR_DB_PATH=str(workdir / f"startup-{attempt}.db"),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="INFO",
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        api.wait_for(lambda a: a.first_reply is not None, timeout=60)
        assert api.first_reply is not None and api.first_call is not None
        return api.first_call - started, api.first_reply - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        api.stop()


def rss_probe(db: Path, size: int, updates: int) -> float:
    """Return the RSS (MB) of a fresh process that serves *updates* updates with *db* (size users stored)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--rss-probe", str(db), str(size)]
    done = subprocess.run(
        [*command, "--updates", str(updates)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    for line in done.stdout.splitlines():
        if line.startswith("RSS_PROBE "):
            return float(json.loads(line[len("RSS_PROBE ") :])["rss_mb"])
    raise RuntimeError(f"the RSS probe failed:\n{done.stdout}\n{done.stderr}")


async def _probe(db: Path, size: int, updates: int) -> float:
    engine = Engine(load_library())
    stored = StoredUsers(size, session_templates(engine))
    await advisor_run(engine, db, updates, stored=stored, stored_share=0.3)
    return rss_mb()


# ----- profile ---------------------------------------------------------------------------------------------
ENTRY_POINTS = [
    ("Application.process_update (everything)", "telegram/ext/_application.py", "process_update"),
    ("AdvisorHandler.on_update", "bot/handlers.py", "on_update"),
    ("translate.incoming", "bot/translate.py", "incoming"),
    ("Store.load_with_last_update", "bot/store.py", "load_with_last_update"),
    ("Store.load", "bot/store.py", "load"),
    ("Engine.handle", "dialogs/engine.py", "handle"),
    ("  Engine._repair", "dialogs/engine.py", "_repair"),
    ("  machine.move (transitions)", "dialogs/machine.py", "move"),
    ("    Machine.add_model", "transitions/core.py", "add_model"),
    ("    Machine.remove_model", "transitions/core.py", "remove_model"),
    ("    Event.trigger (the move itself)", "transitions/core.py", "trigger"),
    ("  FaqMatcher.match", "content/search.py", "match"),
    ("  build_plan", "dialogs/plan.py", "build_plan"),
    ("  views.question_reply", "dialogs/views.py", "question_reply"),
    ("  views.summary_reply", "dialogs/views.py", "summary_reply"),
    ("  Session.evolve (dataclasses.replace)", "dialogs/session.py", "evolve"),
    ("Store.save", "bot/store.py", "save"),
    ("  Session.to_record", "dialogs/session.py", "to_record"),
    ("Store.log_unanswered", "bot/store.py", "log_unanswered"),
    ("AdvisorHandler._send_files (picture, PDF)", "bot/handlers.py", "_send_files"),
    ("  standing_png (Pillow)", "bot/standing_image.py", "standing_png"),
    ("  plan_pdf (fpdf2)", "bot/documents.py", "plan_pdf"),
    ("  ExtBot.send_photo", "telegram/ext/_extbot.py", "send_photo"),
    ("  ExtBot.send_document", "telegram/ext/_extbot.py", "send_document"),
    ("AdvisorHandler._send", "bot/handlers.py", "_send"),
    ("  text.split_message", "bot/text.py", "split_message"),
    ("  text.to_html", "bot/text.py", "to_html"),
    ("  handlers.keyboard", "bot/handlers.py", "keyboard"),
    ("ExtBot.send_message", "telegram/ext/_extbot.py", "send_message"),
    ("ExtBot.edit_message_text", "telegram/ext/_extbot.py", "edit_message_text"),
    ("ExtBot.answer_callback_query", "telegram/ext/_extbot.py", "answer_callback_query"),
    ("  RequestParameter/RequestData (encode)", "telegram/request/_requestdata.py", "parameters"),
    ("  HTTPXRequest.do_request", "telegram/request/_httpxrequest.py", "do_request"),
    ("    httpx AsyncClient.send", "httpx/_client.py", "send"),
    ("      fake Bot API (harness, not the bot)", "bench/benchmark.py", "_handle"),
    ("  Message.de_json (parse Bot API replies)", "telegram/_message.py", "de_json"),
    ("logging Logger.info", "logging/__init__.py", "info"),
    ("json.dumps", "json/__init__.py", "dumps"),
    ("json.loads", "json/__init__.py", "loads"),
]


def _layer(filename: str, name: str) -> str | None:
    """Return the layer a function belongs to, or None to charge its self time to its callers."""
    path = filename.replace("\\", "/")
    if path == "~":  # C built-ins
        if "sqlite3" in name:
            return "sqlite3 (C: execute/fetch/commit)"
        if "json" in name:
            return "json"
        return None
    if "/site-packages/" in path:
        package = path.split("/site-packages/", 1)[1].split("/", 1)[0]
        return {
            "telegram": "python-telegram-bot",
            "httpx": "httpx/httpcore",
            "httpcore": "httpx/httpcore",
            "anyio": "httpx/httpcore",
            "sniffio": "httpx/httpcore",
            "h11": "httpx/httpcore",
            "transitions": "transitions (state machine)",
            "sqlite_utils": "sqlite-utils",
            "PIL": "Pillow (standing picture)",
            "fpdf": "fpdf2 (plan PDF)",
            "fontTools": "fpdf2 (plan PDF)",
            "apscheduler": "APScheduler",
            "aiolimiter": "AIORateLimiter",
        }.get(package, f"site-packages: {package}")
    root = str(ROOT).replace("\\", "/") + "/"
    if path.startswith(root):
        rel = path[len(root) :]
        if rel.startswith(("bench/", "tests/")):
            return "benchmark harness (fake Bot API)"
        if rel == "content/search.py":
            return "FAQ matching (content/search.py)"
        if rel == "bot/text.py":
            return "text rendering (bot/text.py)"
        if rel == "bot/standing_image.py":
            return "Pillow (standing picture)"
        if rel == "bot/documents.py":
            return "fpdf2 (plan PDF)"
        if rel == "bot/store.py":
            return "our store (bot/store.py)"
        if rel.startswith("bot/"):
            return "our adapters (bot/)"
        if rel == "dialogs/machine.py":
            return "transitions (state machine)"
        if rel.startswith("dialogs/"):
            return "our engine (dialogs/)"
        if rel.startswith("content/"):
            return "our content model (content/)"
        return "ours, other"
    for marker, layer in (
        ("/json/", "json"),
        ("/logging/", "logging"),
        ("/asyncio/", "asyncio"),
        ("/sqlite3/", "sqlite3 (C: execute/fetch/commit)"),
        ("/dataclasses.py", "dataclasses (asdict/replace)"),
    ):
        if marker in path:
            return layer
    return None  # other standard library (urllib, re, copy, enum, ...): charged to whoever called it


def _layer_shares(raw: dict) -> Counter[str]:
    """Return self time per layer; time of built-ins and generic stdlib goes to the calling layer."""
    memo: dict[tuple, dict[str, float]] = {}

    def owners(key: tuple, depth: int = 0) -> dict[str, float]:
        if key in memo:
            return memo[key]
        layer = _layer(key[0], key[2])
        if layer is not None:
            memo[key] = {layer: 1.0}
            return memo[key]
        memo[key] = {"stdlib, unattributed": 1.0}  # breaks cycles
        callers = raw.get(key, (0, 0, 0, 0, {}))[4]
        weights = {caller: edge[3] or edge[1] for caller, edge in callers.items()}
        total = sum(weights.values())
        if depth > 30 or not total:
            return memo[key]
        mix: Counter[str] = Counter()
        for caller, weight in weights.items():
            for owner, share in owners(caller, depth + 1).items():
                mix[owner] += share * weight / total
        memo[key] = dict(mix)
        return memo[key]

    layers: Counter[str] = Counter()
    for key, (_, _, tt, _, _) in raw.items():
        for owner, share in owners(key).items():
            layers[owner] += tt * share
    return layers


def _short(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    path = filename.replace("\\", "/")
    for prefix in (str(ROOT).replace("\\", "/") + "/", "site-packages/", "lib/python3"):
        if prefix in path:
            path = path.split(prefix, 1)[1]
            break
    return f"{path}:{line}({name})"


def _layer_table(raw: dict, updates: int) -> list[str]:
    total = sum(tt for (_, _, tt, _, _) in raw.values()) or 1e-9
    lines = [
        "| layer (self time; C built-ins and generic stdlib charged to the caller) | ms | µs/update | % |",
        "|---|---:|---:|---:|",
    ]
    for layer, seconds in _layer_shares(raw).most_common():
        lines.append(
            f"| {layer} | {seconds * 1e3:.1f} | {seconds / updates * 1e6:.1f} | {100 * seconds / total:.1f} |"
        )
    return lines


def profile_report(
    profiler: cProfile.Profile, run: Run, target: Path, head: str, echo: tuple[cProfile.Profile, Run]
) -> dict[str, float]:
    """Write the profile tables to *target*, keeping its hand-written analysis; return layer shares."""
    stats = pstats.Stats(profiler)
    raw: dict = stats.stats  # type: ignore[attr-defined]
    updates = len(run.cpu)
    total = sum(tt for (_, _, tt, _, _) in raw.values()) or 1e-9
    layers = _layer_shares(raw)
    per_update = total / updates * 1e6
    echo_raw: dict = pstats.Stats(echo[0]).stats  # type: ignore[attr-defined]
    echo_updates = len(echo[1].cpu)
    echo_total = sum(tt for (_, _, tt, _, _) in echo_raw.values()) or 1e-9
    api_calls = {k: v for k, v in run.calls.items() if k not in ("getMe", "setMyCommands")}
    per_call = ", ".join(f"{k} {v / updates:.2f}" for k, v in sorted(api_calls.items(), key=lambda i: -i[1]))
    echo_calls = sum(v for k, v in echo[1].calls.items() if k != "getMe") / echo_updates

    def table(sort_index: int) -> list[str]:
        rows = sorted(raw.items(), key=lambda item: -item[1][sort_index])[:25]
        lines = [
            "| ncalls | tottime ms | cumtime ms | cum µs/update | function |",
            "|---:|---:|---:|---:|---|",
        ]
        for key, (cc, nc, tt, ct, _) in rows:
            calls = f"{nc}/{cc}" if nc != cc else str(nc)
            lines.append(
                f"| {calls} | {tt * 1e3:.1f} | {ct * 1e3:.1f} | {ct / updates * 1e6:.1f} | `{_short(key)}` |"
            )
        return lines

    entry_lines = [
        "| entry point | calls | cum ms | µs/update | % of profiled |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, suffix, name in ENTRY_POINTS:
        found = [(v[1], v[3]) for k, v in raw.items() if k[2] == name and k[0].endswith(suffix)]
        if not found:
            continue
        calls = sum(c for c, _ in found)
        cum = max(ct for _, ct in found)
        entry_lines.append(
            f"| {label} | {calls} | {cum * 1e3:.1f} | {cum / updates * 1e6:.1f} | {100 * cum / total:.1f} |"
        )
    layer_lines = _layer_table(raw, updates)
    mix = ", ".join(f"{k} {v}" for k, v in run.kinds.most_common())
    analysis = f"{ANALYSIS_START}\n## Analysis\n\n(not written yet)\n{ANALYSIS_END}"
    if target.exists():
        old = target.read_text(encoding="utf-8")
        if ANALYSIS_START in old and ANALYSIS_END in old:
            start = old.index(ANALYSIS_START)
            analysis = old[start : old.index(ANALYSIS_END) + len(ANALYSIS_END)]
    text = "\n".join(
        [
            "# Profile of the advisor's update handling",
            "",
            head,
            "",
            f"Profiled time: {total * 1e3:.0f} ms over {updates} updates = **{per_update:.0f} µs/update** "
            "under cProfile (cProfile roughly doubles the cost of call-heavy Python code; compare shares,"
            " not absolute times). Only `await application.process_update(update)` is profiled, so the"
            " simulated users and `Update.de_json` are excluded; the in-process fake Bot API is included"
            " and shown as the harness layer.",
            "",
            analysis,
            "",
            "## Cost by layer",
            "",
            f"Workload: {updates} updates from {run.users} users: {mix}.",
            "",
            f"Bot API calls per update: advisor {sum(api_calls.values()) / updates:.2f} ({per_call});"
            f" echo {echo_calls:.2f}.",
            "",
            *layer_lines,
            "",
            f"### The echo bot under the same profiler: {echo_total / echo_updates * 1e6:.0f} µs/update",
            "",
            *_layer_table(echo_raw, echo_updates),
            "",
            "## Cumulative time of entry points (nested rows overlap)",
            "",
            *entry_lines,
            "",
            "## Top 25 functions by cumulative time",
            "",
            *table(3),
            "",
            "## Top 25 functions by total (self) time",
            "",
            *table(2),
            "",
        ]
    )
    target.write_text(text, encoding="utf-8")
    return {layer: seconds / total for layer, seconds in layers.items()}


# ----- the whole benchmark ---------------------------------------------------------------------------------
@dataclass
class Options:
    """Sizes of one benchmark run."""

    updates: int
    warmup: int
    reps: int
    faq_rounds: int
    sizes: tuple[int, int]
    startups: int
    profile: Path | None
    probe_updates: int
    probe: tuple[Path, int] | None = None  # internal: measure RSS of a fresh process serving this database


def parse_options(argv: list[str] | None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--updates", type=int, help="updates per run (default 3000, quick 100)")
    parser.add_argument("--profile", type=Path, help=f"where to write the profile (default {PROFILE_PATH})")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--rss-probe", nargs=2, metavar=("DB", "USERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quick = args.quick
    updates = args.updates or (100 if quick else 3000)
    profile = None if args.no_profile else args.profile or (None if quick else PROFILE_PATH)
    return Options(
        updates=updates,
        warmup=max(50, updates // 8),
        reps=3,
        faq_rounds=5 if quick else 200,
        sizes=(200, 2_000) if quick else (1_000, 100_000),
        startups=1 if quick else 3,
        profile=profile,
        probe_updates=(args.updates or 1000) if args.rss_probe else (50 if quick else 1000),
        probe=(Path(args.rss_probe[0]), int(args.rss_probe[1])) if args.rss_probe else None,
    )


def _size_label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


async def _measure(options: Options, workdir: Path, say) -> dict[str, Any]:
    engine = Engine(load_library())
    figures: dict[str, Any] = {}
    counter = iter(range(10**6))

    def fresh_db() -> Path:
        return workdir / f"advisor-{next(counter)}.db"

    # 1-2. echo vs advisor: a warm-up, then repetitions in which the two alternate update by update.
    say(f"Warm-up: echo and advisor, {options.warmup} updates each")
    await echo_run(options.warmup)
    await advisor_run(engine, fresh_db(), options.warmup)
    echo_runs: list[Run] = []
    advisor_runs: list[Run] = []
    twice_runs: list[Run] = []
    for rep in range(options.reps):
        gc.collect()
        async with (
            echo_bot(options.updates) as echo,
            advisor_bot(engine, fresh_db(), options.updates) as adv,
            echo_bot(options.updates, replies=2) as twice,
        ):
            first, second, third = await drive([echo, adv, twice])
        echo_runs.append(first)
        advisor_runs.append(second)
        twice_runs.append(third)
        say(
            f"  repetition {rep + 1}: echo {first.per_second:,.0f} updates/s, advisor {second.per_second:,.0f}"
            f" updates/s (CPU time); wall clock {first.wall_per_second:,.0f} and {second.wall_per_second:,.0f}"
        )
    echo_rate = statistics.median(r.per_second for r in echo_runs)
    advisor_rate = statistics.median(r.per_second for r in advisor_runs)
    latencies = [x for r in advisor_runs for x in r.wall]
    sample = advisor_runs[-1]
    figures.update(
        echo_updates_per_s=echo_rate,
        advisor_updates_per_s=advisor_rate,
        throughput_ratio=statistics.median(
            a.per_second / e.per_second for a, e in zip(advisor_runs, echo_runs, strict=True)
        ),
        p50_ms=percentile(latencies, 50) * 1e3,
        p95_ms=percentile(latencies, 95) * 1e3,
        p99_ms=percentile(latencies, 99) * 1e3,
        max_ms=max(latencies) * 1e3,
        rss_mb=max(r.rss_mb for r in advisor_runs),
    )
    echo_cpu = sum(sum(r.cpu) for r in echo_runs)
    advisor_cpu = sum(sum(r.cpu) for r in advisor_runs)
    say("")
    say(
        f"Echo bot (reference): {echo_rate:,.0f} updates/s = {1e6 / echo_rate:.0f} µs/update (median of "
        f"{options.reps} x {options.updates} updates from {ECHO_USERS} users); fake Bot API share "
        f"{100 * sum(r.api_cpu for r in echo_runs) / echo_cpu:.0f}%"
    )
    say(
        f"Advisor: {advisor_rate:,.0f} updates/s = {1e6 / advisor_rate:.0f} µs/update (median of {options.reps});"
        f" ratio advisor/echo {figures['throughput_ratio']:.2f}"
    )
    twice_rate = statistics.median(r.per_second for r in twice_runs)
    figures["two_call_ceiling"] = statistics.median(
        t.per_second / e.per_second for t, e in zip(twice_runs, echo_runs, strict=True)
    )
    harness = sum(r.api_cpu for r in advisor_runs) / advisor_cpu
    echo_harness = sum(r.api_cpu for r in echo_runs) / echo_cpu
    figures["ratio_without_harness"] = (1 - echo_harness) / (1 - harness) * figures["throughput_ratio"]
    say(
        f"  Bot API floor: an echo bot that replies twice does {twice_rate:,.0f} updates/s = "
        f"{1e6 / twice_rate:.0f} µs/update, i.e. {100 * figures['two_call_ceiling']:.0f}% of echo: the best"
        " ratio any bot making two Bot API calls per update can reach through PTB+httpx"
    )
    say(f"  ratio with the fake Bot API's own time taken out of both: {figures['ratio_without_harness']:.2f}")
    say(
        f"  latency per process_update (wall): p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms,"
        f" p99 {figures['p99_ms']:.2f} ms, max {figures['max_ms']:.2f} ms ({len(latencies)} updates)"
    )
    cpu_all = [x for r in advisor_runs for x in r.cpu]
    heavy = ("/plan", "button: show plan", "button: plan PDF")
    cpu_light = [x for r in advisor_runs for k, v in r.cpu_by_kind.items() if k not in heavy for x in v]
    figures["cpu_p99_ms"] = percentile(cpu_all, 99) * 1e3
    figures["cpu_p99_light_ms"] = percentile(cpu_light, 99) * 1e3
    say(
        f"  CPU time per process_update (immune to other processes): p50 {percentile(cpu_all, 50) * 1e3:.2f} ms,"
        f" p95 {percentile(cpu_all, 95) * 1e3:.2f} ms, p99 {figures['cpu_p99_ms']:.2f} ms; without the plan"
        f" views and PDFs ({len(cpu_all) - len(cpu_light)} of {len(cpu_all)}): p99"
        f" {figures['cpu_p99_light_ms']:.2f} ms"
    )
    calls_per_update = sum(v for k, v in sample.calls.items() if k not in ("getMe", "setMyCommands")) / len(
        sample.cpu
    )
    say(
        f"  users: {sample.users}; Bot API calls per update {calls_per_update:.2f} (echo 1.00); fake Bot API"
        f" share {100 * sum(r.api_cpu for r in advisor_runs) / advisor_cpu:.0f}%; Update.de_json (not"
        f" included) {sample.de_json / len(sample.cpu) * 1e6:.0f} µs/update (echo"
        f" {echo_runs[-1].de_json / len(echo_runs[-1].cpu) * 1e6:.0f})"
    )
    by_kind: dict[str, list[float]] = defaultdict(list)
    calls_by_kind: Counter[str] = Counter()
    for run in advisor_runs:
        calls_by_kind.update(run.calls_by_kind)
        for kind, values in run.by_kind.items():
            by_kind[kind].extend(values)
    busy = sum(sum(v) for v in by_kind.values())
    say(f"  by kind of update ({options.reps} repetitions pooled, wall clock), most costly first:")
    say(
        f"    {'kind':<26} {'count':>6} {'share':>6} {'mean ms':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}"
        f" {'API calls':>9}"
    )
    for kind, values in sorted(by_kind.items(), key=lambda item: -sum(item[1])):
        say(
            f"    {kind:<26} {len(values):>6} {100 * sum(values) / busy:>5.1f}% {statistics.fmean(values) * 1e3:>8.2f}"
            f" {percentile(values, 50) * 1e3:>7.2f} {percentile(values, 99) * 1e3:>7.2f} {max(values) * 1e3:>7.2f}"
            f" {calls_by_kind[kind] / len(values):>9.2f}"
        )
    say("  Bot API calls: " + ", ".join(f"{k} {v}" for k, v in sample.calls.most_common()))
    say(f"  process RSS: {figures['rss_mb']:.0f} MB")

    # FAQ matching alone.
    timings = []
    clock = time.perf_counter
    for _ in range(options.faq_rounds):
        for question in QUESTIONS:
            started = clock()
            engine.matcher.match(question)
            timings.append(clock() - started)
    figures.update(faq_p50_ms=percentile(timings, 50) * 1e3, faq_p95_ms=percentile(timings, 95) * 1e3)
    say(
        f"FAQ matching ({len(timings)} calls over {len(QUESTIONS)} questions): "
        f"p50 {figures['faq_p50_ms'] * 1e3:.0f} µs, p95 {figures['faq_p95_ms'] * 1e3:.0f} µs"
    )

    # 3. Scale: users already stored. Both sizes are filled first, then their runs alternate, so a drift
    # of the machine's speed during the benchmark does not favour either size.
    templates = session_templates(engine)
    scales = []
    for size in options.sizes:
        stored = StoredUsers(size, templates)
        template_db = workdir / f"stored-{size}.db"
        started = time.perf_counter()
        store = Store(template_db)
        stored.populate(store)
        store.close()
        fill = time.perf_counter() - started
        say(
            f"Scale: {size:,} users stored in {fill:.1f} s "
            f"({template_db.stat().st_size / 2**20:.0f} MB file, executemany in one transaction)"
        )
        scales.append((stored, template_db, []))
    for rep in range(options.reps):
        (small, small_db, small_runs), (large, large_db, large_runs) = scales
        paths = [fresh_db(), fresh_db()]
        shutil.copyfile(small_db, paths[0])
        shutil.copyfile(large_db, paths[1])
        gc.collect()
        async with (
            advisor_bot(engine, paths[0], options.updates, stored=small, stored_share=0.3) as one,
            advisor_bot(engine, paths[1], options.updates, stored=large, stored_share=0.3) as two,
        ):
            first, second = await drive([one, two])
        small_runs.append(first)
        large_runs.append(second)
        say(
            f"  repetition {rep + 1}: {1e6 / first.per_second:.0f} µs/update with {small.size:,} stored, "
            f"{1e6 / second.per_second:.0f} µs/update with {large.size:,}"
        )
    for (stored, template_db, _), name in zip(scales, ("small", "large"), strict=True):
        db = fresh_db()
        shutil.copyfile(template_db, db)
        figures[f"rss_{name}_fresh_mb"] = rss_probe(db, stored.size, options.probe_updates)
    for (stored, _, runs), name in zip(scales, ("small", "large"), strict=True):
        rate = statistics.median(r.per_second for r in runs)
        figures[f"cost_{name}_us"] = 1e6 / rate
        figures[f"rss_{name}_mb"] = max(r.rss_mb for r in runs)
        figures[f"users_{name}"] = stored.size
        say(
            f"  {stored.size:,} users stored: {1e6 / rate:.0f} µs/update ({rate:,.0f} updates/s, median of "
            f"{options.reps}); users {runs[-1].users}, of them stored {runs[-1].stored_users}; RSS of a fresh"
            f" `advisor` process after {options.probe_updates} updates on this database:"
            f" {figures[f'rss_{name}_fresh_mb']:.0f} MB"
        )
    say(
        f"  RSS of this process with both databases open after the paired runs: {figures['rss_large_mb']:.0f} MB"
    )
    figures["scale_ratio"] = statistics.median(
        few.per_second / many.per_second for few, many in zip(scales[0][2], scales[1][2], strict=True)
    )
    say(
        f"  per-update cost ratio {_size_label(options.sizes[1])}/{_size_label(options.sizes[0])}: "
        f"{figures['scale_ratio']:.2f}"
    )

    # 5. Profile.
    if options.profile is not None:
        profiled = max(100, options.updates // 2)  # enough for the shares; keeps the run short
        profiler = cProfile.Profile()
        advisor = await advisor_run(engine, fresh_db(), profiled, profiler=profiler)
        echo_profiler = cProfile.Profile()
        echo = await echo_run(profiled, profiler=echo_profiler)
        head = (
            f"Generated by `bench/benchmark.py` on {date.today().isoformat()}: one advisor run of "
            f"{profiled} updates on a fresh database, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs; code: {tree_state()}."
        )
        shares = profile_report(profiler, advisor, options.profile, head, echo=(echo_profiler, echo))
        say(f"Profile written to {options.profile}; self time by layer:")
        for layer, share in sorted(shares.items(), key=lambda item: -item[1])[:12]:
            say(f"  {100 * share:5.1f}%  {layer}")
    return figures


def _table(figures: dict[str, Any], options: Options) -> list[str]:
    small, large = _size_label(options.sizes[0]), _size_label(options.sizes[1])

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    rows = [
        ("Echo throughput (reference)", f"{figures['echo_updates_per_s']:,.0f} upd/s", "-", ""),
        ("Advisor throughput", f"{figures['advisor_updates_per_s']:,.0f} upd/s", "-", ""),
        (
            "Advisor / echo throughput",
            f"{100 * figures['throughput_ratio']:.0f}%",
            ">= 70%",
            verdict(figures["throughput_ratio"] >= 0.70),
        ),
        (
            "Two-call Bot API floor (echo x2 / echo)",
            f"{100 * figures['two_call_ceiling']:.0f}%",
            "-",
            "",
        ),
        ("Advisor latency p50", f"{figures['p50_ms']:.2f} ms", "-", ""),
        ("Advisor latency p95", f"{figures['p95_ms']:.2f} ms", "-", ""),
        ("Advisor latency p99", f"{figures['p99_ms']:.2f} ms", "< 5 ms", verdict(figures["p99_ms"] < 5)),
        ("Advisor CPU time p99", f"{figures['cpu_p99_ms']:.2f} ms", "-", ""),
        ("  same, without plan views/PDFs", f"{figures['cpu_p99_light_ms']:.2f} ms", "-", ""),
        ("FAQ matching p50", f"{figures['faq_p50_ms']:.3f} ms", "-", ""),
        ("FAQ matching p95", f"{figures['faq_p95_ms']:.3f} ms", "< 5 ms", verdict(figures["faq_p95_ms"] < 5)),
        ("RSS, benchmark process after main runs", f"{figures['rss_mb']:.0f} MB", "-", ""),
        (f"RSS, benchmark process, {small}+{large} open", f"{figures['rss_large_mb']:.0f} MB", "-", ""),
        (f"RSS, fresh process, {small} users stored", f"{figures['rss_small_fresh_mb']:.0f} MB", "-", ""),
        (
            f"RSS, fresh process, {large} users stored",
            f"{figures['rss_large_fresh_mb']:.0f} MB",
            "< 150 MB",
            verdict(figures["rss_large_fresh_mb"] < 150),
        ),
        (
            "Start-up to first reply",
            f"{figures['startup_s']:.2f} s",
            "< 1.5 s",
            verdict(figures["startup_s"] < 1.5),
        ),
        ("Start-up to first Bot API call", f"{figures['startup_first_call_s']:.2f} s", "-", ""),
        (f"Per-update cost, {small} users", f"{figures['cost_small_us']:.0f} µs", "-", ""),
        (f"Per-update cost, {large} users", f"{figures['cost_large_us']:.0f} µs", "-", ""),
        (
            f"Cost ratio {large} / {small}",
            f"{figures['scale_ratio']:.2f}x",
            "<= 1.2x",
            verdict(figures["scale_ratio"] <= 1.2),
        ),
    ]
    widths = [max(len(r[i]) for r in [("Figure", "Value", "Target", "Result"), *rows]) for i in range(4)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [line]
    for index, row in enumerate([("Figure", "Value", "Target", "Result"), *rows]):
        out.append("|".join(f" {cell:<{widths[i]}} " for i, cell in enumerate(row)))
        if index == 0:
            out.append(line)
    out.append(line)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print every figure and the summary table; return the figures."""
    process_started = time.perf_counter()
    options = parse_options(argv)
    if options.probe is not None:
        with production_logging():
            rss = asyncio.run(_probe(*options.probe, options.probe_updates))
        print("RSS_PROBE " + json.dumps({"rss_mb": rss}), flush=True)
        return {"rss_mb": rss}

    def say(text: str) -> None:
        print(text, flush=True)

    say(
        f"Med-Psych Advisor benchmark: {options.updates} updates per run, {options.reps} repetitions, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; code {tree_state()}"
    )
    say(
        "Both bots: sequential `await application.process_update(update)`, Bot API answered in-process by"
        " httpx.MockTransport. Advisor built by bot.app.build_application with rate_limiter=False"
        " (AIORateLimiter would cap sending at Telegram's 30 msg/s); everything else as production,"
        " including INFO logging (to /dev/null)."
    )
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        workdir = Path(tmp)
        with production_logging() as problems:
            figures = asyncio.run(_measure(options, workdir, say))
        kinds = Counter(f"{r.levelname} {r.name}: {r.getMessage()[:90]}" for r in problems.records)
        figures["problems_logged"] = len(problems.records)
        figures["errors_logged"] = sum(r.levelno >= logging.ERROR for r in problems.records)
        say(f"Warnings/errors logged during the runs: {len(problems.records)}")
        for text, count in kinds.most_common(8):
            say(f"  {count} x {text}")
        say(f"Start-up: `python -m bot` with a /start queued, {options.startups} launch(es)")
        launches = [startup_seconds(workdir, attempt) for attempt in range(options.startups)]
        figures["startup_s"] = statistics.median(reply for _, reply in launches)
        figures["startup_first_call_s"] = statistics.median(call for call, _ in launches)
        say("  to first reply: " + ", ".join(f"{reply:.2f} s" for _, reply in launches))
        say(
            "  to the first Bot API call (getMe: imports, content, engine, store, application built): "
            + ", ".join(f"{call:.2f} s" for call, _ in launches)
        )
    say("")
    for line in _table(figures, options):
        say(line)
    say(f"Total benchmark time: {time.perf_counter() - process_started:.0f} s")
    return figures


if __name__ == "__main__":
    main()
