"""The in-process run, for profiling: bots fed update by update through `process_update`.

The Bot API is answered in this process (ScreenBotApi through an httpx transport), so the figures are
the CPU cost of one update through python-telegram-bot, httpx, the advisor's engine and its SQLite
store, with no network, no rate limiter and no pacing.
"""

import contextlib
import cProfile
import logging
import os
import resource
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bench.api import ScreenBotApi
from bench.workload import ECHO_USERS, StoredUsers, Workload, echo_workload
from bot.app import build_application
from bot.settings import Settings
from bot.store import Store
from dialogs.engine import Engine

TOKEN = "123456:BENCHMARK-TOKEN"


def in_process(api: ScreenBotApi) -> HTTPXRequest:
    """Return PTB's HTTPXRequest whose calls *api* answers in this process."""
    return HTTPXRequest(httpx_kwargs={"transport": api.transport()})


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
    api: ScreenBotApi
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
        run.api_cpu, run.calls, run.rss_mb = lane.api.cpu_seconds, lane.api.counts, memory
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
    api = ScreenBotApi(port=None)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message  # echo_workload sends text messages only
        assert message is not None and message.text is not None
        for _ in range(replies):
            await message.reply_text(message.text)

    app = (
        Application.builder()
        .token(TOKEN)
        .request(in_process(api))
        .get_updates_request(in_process(api))
        .updater(None)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    api.cpu_seconds = 0.0
    try:
        yield Lane(app, api, echo_workload(api, total))
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
    api = ScreenBotApi(port=None)
    store = Store(db_path)
    try:
        settings = Settings(bot_token=TOKEN, db_path=db_path)
        request = in_process(api)  # production builds the same HTTPXRequest, on a real transport
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
