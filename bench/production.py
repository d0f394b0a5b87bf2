"""The production run: each bot as its own process, rate limiter and pacing on, polling over loopback.

The advisor runs as users run it (`python -m bot`: AIORateLimiter, per-chat pacing, INFO logging, a
SQLite file); the reference is a bare PTB echo bot with AIORateLimiter (`bench.echo_bot`). Each polls
its own ScreenBotApi on 127.0.0.1 at the same time, fed by simulated users in a closed loop: a user acts
again once the bot has answered and then gone quiet in that chat, as a person reads before tapping.
Telegram's ~30 messages a second cap both, so updates per second follow messages per update; CPU per
update comes from each process's own CPU time (/proc/<pid>/stat).
"""

import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.api import ScreenBotApi
from bench.startup import start_process, stop_process
from bench.workload import (
    ECHO_TEXTS,
    NEW_USER_BASE,
    Person,
    StoredUsers,
    Workload,
    message_update,
    session_templates,
)
from bot.store import Store
from dialogs.engine import Engine

QUIET = 0.6  # seconds without a message in the chat before the user acts again
LONG_QUIET = 2.0  # the same after a callback answer with no message
STUCK = 15.0
STORED = 2_000  # users already in the advisor's database, at every stage of the dialog
STORED_SHARE = 0.6  # of the simulated users, so plans, FAQ and /profile are in the mix from the start  # seconds without any answer after which the user acts anyway
TICK = 0.005


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time of process *pid* (Linux /proc), in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Slot:
    """One simulated user and their latest action."""

    person: Any  # Person (advisor) or a user id (echo)
    chat: int
    kind: str = ""
    acted_at: float = 0.0


@dataclass
class Figures:
    """What one bot did inside the measured window."""

    seconds: float = 0.0
    updates: int = 0
    messages: int = 0
    cpu: float = 0.0
    kinds: Counter[str] = field(default_factory=Counter)  # actions answered, per kind
    messages_by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def per_second(self) -> float:
        """Return updates answered per second."""
        return self.updates / self.seconds if self.seconds else 0.0

    @property
    def messages_per_update(self) -> float:
        """Return rate-limited calls (messages, edits, files) per update."""
        return self.messages / self.updates if self.updates else 0.0

    @property
    def cpu_ms(self) -> float:
        """Return the bot process's CPU milliseconds per update."""
        return 1e3 * self.cpu / self.updates if self.updates else 0.0


class Lane:
    """One bot process, its fake Bot API and its users."""

    def __init__(self, name: str, module: str, db: Path, log: Path, users: int) -> None:
        self.name = name
        self.api = ScreenBotApi().start()
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = start_process(module, self.api, db, self.log)
        self.slots: list[Slot] = []
        self.users = users
        self.figures = Figures()
        self._start: tuple[float, int] = (0.0, 0)

    def next_action(self, slot: Slot) -> tuple[str, dict[str, Any]]:
        """Return (kind, update) for the slot's user."""
        raise NotImplementedError

    def act(self, slot: Slot, now: float) -> None:
        """Queue the user's next action."""
        kind, update = self.next_action(slot)
        slot.kind, slot.acted_at = kind, now
        self.api.kind_of[slot.chat] = kind
        self.api.send_raw(update)

    def tick(self, now: float, measuring: bool) -> None:
        """Let every user whose last action was answered, and has gone quiet, act again."""
        for slot in self.slots:
            seen = self.api.last_seen.get(slot.chat, 0.0)
            if seen < slot.acted_at:
                ready = now - slot.acted_at >= STUCK
            else:
                # A callback answer alone may be followed by messages waiting for the rate limiter.
                said = self.api.last_message.get(slot.chat, 0.0) >= slot.acted_at
                ready = now - seen >= (QUIET if said else LONG_QUIET)
            if ready:
                if measuring:
                    self.figures.updates += 1
                    self.figures.kinds[slot.kind] += 1
                self.act(slot, now)

    def begin(self) -> None:
        """Start the measured window."""
        self._start = (cpu_seconds(self.process.pid), self.api.messages())
        self.api.by_kind.clear()
        self.api.counting = True

    def end(self, seconds: float) -> None:
        """Close the measured window."""
        self.api.counting = False
        cpu, messages = self._start
        self.figures.seconds = seconds
        self.figures.cpu = cpu_seconds(self.process.pid) - cpu
        self.figures.messages = self.api.messages() - messages
        self.figures.messages_by_kind = Counter(self.api.by_kind)

    def stop(self) -> None:
        """Stop the bot and its fake Bot API."""
        stop_process(self.process)
        self.api.stop()
        self.log.close()


class EchoLane(Lane):
    """The bare echo bot, sent texts from many users."""

    def __init__(self, workdir: Path, users: int, seed: int) -> None:
        super().__init__("echo", "bench.echo_bot", workdir / "echo.db", workdir / "echo.log", users)
        self.rng = random.Random(seed)
        self.update_id = 0
        self.slots = [Slot(NEW_USER_BASE + i, NEW_USER_BASE + i) for i in range(users)]

    def next_action(self, slot: Slot) -> tuple[str, dict[str, Any]]:
        """Return a typed text."""
        self.update_id += 1
        return "echo", message_update(self.api, self.update_id, slot.chat, self.rng.choice(ECHO_TEXTS))


class AdvisorLane(Lane):
    """`python -m bot`, with the benchmark's mix of applicants."""

    def __init__(self, workdir: Path, users: int, engine: Engine, seed: int) -> None:
        db = workdir / "advisor.db"
        stored = StoredUsers(STORED, session_templates(engine))
        store = Store(db)
        stored.populate(store)
        store.close()
        super().__init__("advisor", "bot", db, workdir / "advisor.log", users)
        self.workload = Workload(
            self.api, engine, 10**9, seed=seed, stored=stored, stored_share=STORED_SHARE, active=1
        )
        self.slots = [self._slot() for _ in range(users)]

    def _slot(self) -> Slot:
        person = self.workload.new_person()
        return Slot(person, person.user_id)

    def next_action(self, slot: Slot) -> tuple[str, dict[str, Any]]:
        """Return what the applicant does next; one who is done is replaced by a new one."""
        person: Person = slot.person
        if person.done or person.steps > 80:
            fresh = self._slot()
            slot.person, slot.chat = fresh.person, fresh.chat
            person = fresh.person
        update = self.workload.act(person)
        person.steps += 1
        return self.workload.kind, update

    def errors(self) -> list[str]:
        """Return the ERROR and CRITICAL lines the bot logged."""
        self.log.flush()
        lines = Path(self.log.name).read_text(encoding="utf-8", errors="replace").splitlines()
        return [line for line in lines if " ERROR " in line or " CRITICAL " in line]


def wait_ready(lanes: list[Lane], timeout: float = 60.0) -> None:
    """Block until every bot has called getMe (imports done, polling about to start)."""
    deadline = time.monotonic() + timeout
    while not all(any(m == "getMe" for m, _ in lane.api.calls) for lane in lanes):
        for lane in lanes:
            if lane.process.poll() is not None:
                raise RuntimeError(f"the {lane.name} bot exited with {lane.process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError("the bots did not start")
        time.sleep(0.05)


def production_run(engine: Engine, workdir: Path, users: int, warmup: float, seconds: float, seed: int = 1):
    """Run the advisor and the echo bot side by side; return (advisor Figures, echo Figures, errors)."""
    workdir.mkdir(parents=True, exist_ok=True)
    advisor = AdvisorLane(workdir, users, engine, seed)
    echo = EchoLane(workdir, users, seed)
    lanes: list[Lane] = [advisor, echo]
    try:
        wait_ready(lanes)
        now = time.monotonic()
        for lane in lanes:
            for slot in lane.slots:
                lane.act(slot, now)
        started = time.monotonic()
        measuring = False
        while True:
            now = time.monotonic()
            if not measuring and now - started >= warmup:
                measuring, window = True, now
                for lane in lanes:
                    lane.begin()
            if measuring and now - window >= seconds:
                break
            for lane in lanes:
                lane.tick(now, measuring)
            time.sleep(TICK)
        for lane in lanes:
            lane.end(now - window)
        return advisor.figures, echo.figures, advisor.errors()
    finally:
        for lane in lanes:
            lane.stop()
