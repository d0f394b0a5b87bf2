"""The chaos harness: the bot as a process, SIGKILLed again and again, under a faulty Bot API and busy users.

Everything runs on 127.0.0.1 and every loop is bounded in count and in time. Simulated users answer the
questionnaire like people do: tap the first option, type a score, tap Done, and when nothing comes back
for a couple of seconds, tap (or send) again; at the summary they start over until the kills end, then
finish once more. At the end the harness reports:

- kills: SIGKILLs (and a few SIGTERMs) of the bot process
- taps / actions: button presses and all user actions, retries: actions repeated after silence
- taps lost: actions answered with "could not save that" (no database fault is injected)
- answers lost: a question acknowledged (the next one was shown) and later asked again, plus users whose
  final stored answers differ from the expected ones
- stranded: users who did not reach the summary once the chaos stopped
- duplicates: the same message delivered twice to a chat for one user update (see ChaosApi.duplicates)
- updates lost: updates Telegram handed over (and so forgot) that the bot never applied
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fakeapi import FakeBotApi, dropped_connection, server_error, too_many_requests

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "424242:CHAOS-token-never-logged"
SECRET = "chaos-webhook-secret"
RETRY_AFTER_SILENCE = 2.0  # seconds a simulated user waits before tapping again
TOO_OLD = (400, {"ok": False, "error_code": 400, "description": "Bad Request: query is too old"})

# Faults on the calls that carry replies; "after" ones happen once Telegram has delivered the message.
BEFORE = {"429": too_many_requests(1), "500": server_error(), "drop": None}
AFTER = ("500 after delivery", "drop after delivery", "timeout after delivery")


@dataclass
class Figures:
    """What one chaos run measured."""

    mode: str
    kills: int = 0
    terms: int = 0
    taps: int = 0
    actions: int = 0
    retries: int = 0
    faults: int = 0
    answers_lost: int = 0
    taps_lost: int = 0
    stranded: int = 0
    duplicates: int = 0
    updates: int = 0
    updates_lost: int = 0
    longest_wait_after_restart: float = 0.0
    token_in_logs: bool = False
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        """Return the figures as one report line."""
        return (
            f"{self.mode}: {self.kills} SIGKILLs + {self.terms} SIGTERMs, {self.actions} actions ({self.taps} taps,"
            f" {self.retries} repeated after silence), {self.faults} injected faults, {self.updates} updates;"
            f" taps lost {self.taps_lost}, answers lost {self.answers_lost}, users stranded {self.stranded}, duplicates {self.duplicates},"
            f" updates lost {self.updates_lost}; longest wait once the bot was back"
            f" {self.longest_wait_after_restart:.1f} s"
        )


class ChaosApi(FakeBotApi):
    """The fake Bot API plus random faults, and a per-chat log of user updates and delivered messages."""

    def __init__(self, seed: int, rate: float) -> None:
        super().__init__()
        self.rng = random.Random(seed)
        self.rate = rate
        self.chaos = False
        self.injected = 0
        self.polls = 0
        self.events: dict[int, list[tuple[str, Any]]] = {}
        self.webhook_acks: set[int] | None = None  # webhook mode: updates answered with 200

    def acknowledged(self) -> list[int]:
        """Return the update ids Telegram would no longer redeliver (confirmed by offset, or 200)."""
        with self.cond:
            if self.webhook_acks is not None:
                return sorted(self.webhook_acks)
            return [u["update_id"] for u in self.history if u["update_id"] <= self._confirmed]

    def _push(self, update: dict[str, Any]) -> int:
        body = update.get("message") or update.get("callback_query") or {}
        user = body.get("from", {}).get("id")
        # Under the lock (reentrant), so the bot cannot fetch and answer the update before it is logged.
        with self.cond:
            update_id = super()._push(update)
            self.events.setdefault(user, []).append(("in", update_id))
        return update_id

    def _fault(self, method: str) -> str | None:
        if not self.chaos or method not in ("sendMessage", "editMessageText", "answerCallbackQuery"):
            return None
        with self.cond:
            roll = self.rng.random()
            if method == "answerCallbackQuery" and roll < self.rate * 2:
                self.injected += 1
                return "too old"
            if roll >= self.rate:
                return None
            self.injected += 1
            return self.rng.choice([*BEFORE, *AFTER])

    def _answer(self, method: str, params: dict[str, Any]):
        if method == "getUpdates":
            with self.cond:
                self.polls += 1
            return super()._answer(method, params)
        fault = self._fault(method)
        if fault in BEFORE or fault == "too old":
            with self.cond:
                self.calls.append((method, params))
            return TOO_OLD if fault == "too old" else BEFORE[fault]
        answer = super()._answer(method, params)
        if answer is not None and answer[0] == 200 and method == "sendMessage":
            shown = (params.get("text"), json.dumps(params.get("reply_markup"), sort_keys=True))
            with self.cond:
                self.events.setdefault(int(params.get("chat_id") or 0), []).append(("out", shown))
        if fault == "500 after delivery":
            return server_error()
        if fault == "drop after delivery":
            return dropped_connection(self)
        if fault == "timeout after delivery":
            time.sleep(6)  # past the bot's 5 s read timeout
        return answer

    def duplicates(self) -> list[str]:
        """Return the messages delivered twice to one chat for one user update.

        Each user update answered accounts for the next message; further messages until the next update
        belong to the same one, so one of them repeating is a duplicate. A tap repeated after silence is
        a second update, and the question it brings back again is not a duplicate.
        """
        found = []
        with self.cond:
            for chat, events in self.events.items():
                unanswered, shown = 0, set()
                for kind, value in events:
                    if kind == "in":
                        unanswered += 1
                    elif unanswered:
                        unanswered, shown = unanswered - 1, {value}
                    elif value in shown:
                        found.append(f"chat {chat}: {str(value[0])[:60]!r} twice for one update")
                    else:
                        shown.add(value)
        return found


def free_port() -> int:
    """Return a TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    """`python -m bot` against the chaos API, restarted after every kill; output kept for the token check."""

    def __init__(self, api: ChaosApi, db: Path, mode: str, log: Path) -> None:
        self.api, self.db, self.mode, self.log = api, db, mode, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.ready_times: list[float] = []
        self.output = log.open("a")

    def env(self) -> dict[str, str]:
        env = dict(
            os.environ,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=self.api.base_url,
            ADVISOR_DB_PATH=str(self.db),
            PYTHONPATH=str(ROOT),
            LOG_LEVEL="INFO",
        )
        if self.mode == "webhook":
            env.update(
                ADVISOR_WEBHOOK_URL="https://bot.example.org/telegram",
                ADVISOR_WEBHOOK_LISTEN="127.0.0.1",
                ADVISOR_WEBHOOK_PORT=str(self.port),
                ADVISOR_WEBHOOK_SECRET=SECRET,
            )
        return env

    def start(self, timeout: float = 30.0) -> None:
        """Launch the bot and wait until it serves (polls, or its webhook answers)."""
        polls = self.api.polls
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=ROOT,
            env=self.env(),
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the bot exited with {self.process.returncode}; see {self.log}")
            if self.mode == "polling" and self.api.polls > polls:
                break
            if self.mode == "webhook" and self._listening():
                break
            time.sleep(0.02)
        else:
            raise AssertionError("the bot did not come up")
        self.ready_times.append(time.monotonic())

    def _listening(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=0.5) as answer:
                return answer.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Stop the bot with *sig* and wait for it to exit."""
        assert self.process is not None
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def close(self) -> None:
        """Stop the bot cleanly and close the log."""
        if self.process is not None and self.process.poll() is None:
            self.kill(signal.SIGTERM)
        self.output.close()


class WebhookSender:
    """Telegram's side of webhook mode: POST queued updates in order per user; forget them on 200."""

    def __init__(self, api: ChaosApi, bot: BotProcess, workers: int = 4) -> None:
        self.api, self.bot = api, bot
        api.webhook_acks = set()
        self.stop = threading.Event()
        self.in_flight: set[int] = set()
        self.users_in_flight: set[int] = set()
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]

    def start(self) -> None:
        """Start posting."""
        for thread in self.threads:
            thread.start()

    def close(self) -> None:
        """Stop posting."""
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)

    @staticmethod
    def _user(update: dict[str, Any]) -> int:
        body = update.get("message") or update.get("callback_query") or {}
        return body.get("from", {}).get("id", 0)

    def _next(self) -> dict[str, Any] | None:
        with self.api.cond:
            for update in self.api.queue:
                user = self._user(update)
                if update["update_id"] not in self.in_flight and user not in self.users_in_flight:
                    self.in_flight.add(update["update_id"])
                    self.users_in_flight.add(user)
                    return update
        return None

    def _work(self) -> None:
        while not self.stop.is_set():
            update = self._next()
            if update is None:
                time.sleep(0.01)
                continue
            accepted = False
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{self.bot.port}/telegram",
                    data=json.dumps(update).encode(),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=5) as answer:
                    accepted = answer.status == 200
            except (OSError, urllib.error.URLError):
                pass
            with self.api.cond:
                self.in_flight.discard(update["update_id"])
                self.users_in_flight.discard(self._user(update))
                if accepted:  # Telegram forgets an update once the webhook said 200
                    self.api.queue = [u for u in self.api.queue if u["update_id"] != update["update_id"]]
                    self.api.webhook_acks.add(update["update_id"])
            if not accepted:
                time.sleep(0.1)


class User(threading.Thread):
    """One simulated user going through the questionnaire, tapping again when nothing comes back."""

    def __init__(
        self,
        api: ChaosApi,
        user_id: int,
        figures: Figures,
        lock: threading.Lock,
        bot: BotProcess,
        think: tuple[float, float] = (0.0, 0.2),
    ):
        super().__init__(daemon=True)
        self.api, self.user_id, self.figures, self.lock, self.bot = api, user_id, figures, lock, bot
        self.think = think
        self.rng = random.Random(user_id)
        self.finished = threading.Event()
        self.stop = threading.Event()
        self.wind_down = threading.Event()  # set: finish at the summary instead of starting over
        self.restarting = False  # "start over" tapped: question 1 comes next, not a lost answer
        self.progress = 0  # the highest "Question k of 9" acknowledged
        self.seen = 0  # messages looked at
        self.error: str | None = None

    def _messages(self) -> list[dict[str, Any]]:
        with self.api.cond:
            return [
                p
                for m, p in self.api.delivered
                if m in ("sendMessage", "editMessageText") and int(p.get("chat_id", 0)) == self.user_id
            ]

    def _keyboard(self) -> list[dict[str, Any]]:
        for params in reversed(self._messages()):
            markup = params.get("reply_markup")
            if markup and "inline_keyboard" in markup:
                return [b for row in markup["inline_keyboard"] for b in row if "callback_data" in b]
        return []

    def _check_progress(self, messages: list[dict[str, Any]]) -> None:
        for params in messages:
            text = params.get("text", "")
            if "Question " in text and " of " in text:
                step = int(text.split("Question ", 1)[1].split(" ", 1)[0])
                if self.restarting and step == 1:
                    self.restarting, self.progress = False, 0
                if step < self.progress:
                    with self.lock:
                        self.figures.answers_lost += 1
                        self.figures.problems.append(
                            f"user {self.user_id}: asked question {step} after {self.progress}"
                        )
                self.progress = max(self.progress, step)

    def _action(self) -> tuple[str, str] | None:
        """Return what to do next: ("press", data) or ("text", text); None when at the summary."""
        keyboard = self._keyboard()
        if any(b["callback_data"].startswith("plan:") for b in keyboard):
            # At the summary: go round again while the chaos lasts, so the taps keep coming.
            return None if self.wind_down.is_set() else ("text", "/restart")
        start_over = [
            b for b in keyboard if b["callback_data"].startswith("rst:") and b["callback_data"][-2:] == ":y"
        ]
        if start_over:
            self.restarting = True
            return "press", start_over[0]["callback_data"]
        answers = [b for b in keyboard if b["callback_data"].startswith("ans:")]
        if answers:
            return "press", answers[0]["callback_data"]
        toggles = [b for b in keyboard if b["callback_data"].startswith("tog:")]
        if toggles:
            if any(b["text"].startswith("✅") for b in toggles):
                done = next(b for b in keyboard if b["callback_data"].startswith("done:"))
                return "press", done["callback_data"]
            return "press", toggles[0]["callback_data"]
        if not keyboard and not self._messages():
            return "text", "/start"
        return "text", "240"  # a score or a number of weeks, whichever is asked

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # reported by the test, not lost in a thread
            self.error = repr(error)

    def _run(self) -> None:
        action: tuple[str, str] | None = ("text", "/start")
        while action is not None and not self.stop.is_set():
            first = sent_at = self._do(action)
            while not self.stop.is_set():
                count = len(self._messages())
                if count > self.seen:
                    break
                if time.monotonic() - sent_at > RETRY_AFTER_SILENCE:
                    with self.lock:
                        self.figures.retries += 1
                    sent_at = self._do(action)
                time.sleep(0.02)
            time.sleep(0.1)  # let the rest of a multi-part reply arrive
            messages = self._messages()
            self._note_wait(first)
            self._check_progress(messages[self.seen :])
            self.seen = len(messages)
            time.sleep(self.rng.uniform(*self.think))  # reading and thinking
            action = self._action()
        if action is None:
            self.finished.set()

    def _note_wait(self, sent_at: float) -> None:
        now = time.monotonic()
        ready = [t for t in self.bot.ready_times if t <= now]
        since = max(sent_at, ready[-1]) if ready else sent_at
        with self.lock:
            self.figures.longest_wait_after_restart = max(
                self.figures.longest_wait_after_restart, now - since
            )

    def _do(self, action: tuple[str, str]) -> float:
        kind, value = action
        with self.lock:
            self.figures.actions += 1
            self.figures.taps += kind == "press"
        if kind == "press":
            self.api.press(self.user_id, value)
        else:
            self.api.send_text(self.user_id, value)
        return time.monotonic()


def run_chaos(
    tmp: Path,
    mode: str,
    *,
    users: int,
    kills: int,
    burst: int = 30,
    big_burst: int = 30,
    think: tuple[float, float] = (0.0, 0.2),
    seed: int = 13,
    fault_rate: float = 0.03,
    grace: float = 60.0,
) -> Figures:
    """Run one chaos session in *mode* ("polling" or "webhook") and return its figures."""
    figures = Figures(mode)
    rng = random.Random(seed)
    api = ChaosApi(seed, fault_rate).start()
    db = tmp / f"chaos-{mode}.db"
    bot = BotProcess(api, db, mode, tmp / f"chaos-{mode}.log")
    sender = WebhookSender(api, bot) if mode == "webhook" else None
    lock = threading.Lock()
    crowd = [User(api, 900_000 + i, figures, lock, bot, think) for i in range(users)]
    try:
        bot.start()
        if sender:
            sender.start()
        api.chaos = True
        for user in crowd:
            user.start()
            time.sleep(0.01)
        for number in range(kills):
            time.sleep(rng.uniform(0.3, 1.5))
            # A burst just before the kill, so updates are in hand (acknowledged, not yet applied).
            # Now and then a big one, like a crowd arriving at once (Telegram lets the bot send ~30/s).
            # Some before a SIGTERM: a graceful stop with a long queue in hand. Spaced out, so that the
            # bursts stay within Telegram's ~30 messages a second on average.
            size = big_burst if number % 20 in (4, 14, 19) else burst
            for i in range(size):
                api.send_text(800_000 + number * 1000 + i, "/help")
            time.sleep(rng.uniform(0.05, 0.4))
            gentle = number % 10 == 9  # now and then a SIGTERM, as a deploy or systemd stop sends
            bot.kill(signal.SIGTERM if gentle else signal.SIGKILL)
            figures.terms += gentle
            figures.kills += not gentle
            bot.start()
        api.chaos = False
        for user in crowd:
            user.wind_down.set()
        deadline = time.monotonic() + grace
        for user in crowd:
            user.join(timeout=max(0.1, deadline - time.monotonic()))
        for user in crowd:
            user.stop.set()
        for user in crowd:
            user.join(timeout=5)
        wait_quiet(api)
    finally:
        api.chaos = False
        if sender:
            sender.close()
        bot.close()
        api.stop()
    figures.faults = api.injected
    figures.stranded = sum(not u.finished.is_set() for u in crowd)
    figures.problems += [f"user {u.user_id}: {u.error}" for u in crowd if u.error]
    duplicates = api.duplicates()
    figures.duplicates = len(duplicates)
    figures.problems += duplicates
    # No database fault is injected, so every "could not save that" is an action thrown away.
    figures.taps_lost = sum("could not save" in p.get("text", "") for _, p in api.delivered)
    figures.token_in_logs = TOKEN.split(":")[1].lower() in bot.log.read_text().lower()
    _check_store(db, api, crowd, figures)
    return figures


def wait_quiet(api: ChaosApi, quiet: float = 0.5, timeout: float = 30.0) -> None:
    """Wait until the bot made no call for *quiet* seconds (bounded by *timeout*)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = len(api.calls)
        time.sleep(quiet)
        if len(api.calls) == before:
            return


def _check_store(db: Path, api: ChaosApi, crowd: list[User], figures: Figures) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = {row[0] for row in conn.execute("SELECT update_id FROM inbox WHERE done_at IS NOT NULL")}
        sessions = {
            user_id: (state, json.loads(data)["answers"] if data else {})
            for user_id, state, data in conn.execute("SELECT user_id, state, data FROM sessions")
        }
    handed_over = api.acknowledged()
    figures.updates = len(api.history)
    missing = [uid for uid in handed_over if uid not in done]
    figures.updates_lost = len(missing)
    if missing:
        figures.problems.append(f"updates acknowledged but never applied: {missing[:10]}")
    finals = [json.dumps(sessions.get(u.user_id, ("", {}))[1], sort_keys=True) for u in crowd]
    expected = max(set(finals), key=finals.count)  # every user taps the same options, so one answer set
    for user, final in zip(crowd, finals, strict=True):
        state = sessions.get(user.user_id, ("missing", {}))[0]
        if user.finished.is_set() and (state != "reviewing_summary" or final != expected):
            figures.answers_lost += 1
            figures.problems.append(f"user {user.user_id}: stored {state} {final}")
