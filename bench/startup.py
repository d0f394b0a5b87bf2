"""Real `python -m bot` processes: start-up time and the memory of a fresh process."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.runner import TOKEN, advisor_run, rss_mb
from bench.workload import StoredUsers, session_templates
from content.loader import load_library
from dialogs.engine import Engine
from tests.fakeapi import FakeBotApi
from tests.processes import launch_bot

ROOT = Path(__file__).resolve().parent.parent


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


def start_process(module: str, api: FakeBotApi, db: Path, log: Any = subprocess.DEVNULL) -> subprocess.Popen:
    """Start `python -m <module>` polling *api*, configured as production is (the tests' launcher)."""
    return launch_bot(api, db, TOKEN, module=module, log=log)


def stop_process(process: subprocess.Popen) -> None:
    """Stop *process* as systemd would: SIGTERM, then SIGKILL after 20 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def startup_seconds(workdir: Path, attempt: int) -> tuple[float, float]:
    """Start `python -m bot` with a /start queued; return seconds until its first Bot API call and reply."""
    api = TimedBotApi().start()
    api.send_text(4242, "/start")
    started = time.perf_counter()
    process = start_process("bot", api, workdir / f"startup-{attempt}.db")
    try:
        api.wait_for(lambda a: a.first_reply is not None, timeout=60)
        assert api.first_reply is not None and api.first_call is not None
        return api.first_call - started, api.first_reply - started
    finally:
        stop_process(process)
        api.stop()


def rss_probe(db: Path, size: int, updates: int) -> float:
    """Return the RSS (MB) of a fresh process that serves *updates* updates with *db* (size users stored)."""
    command = [sys.executable, "-m", "bench", "--rss-probe", str(db), str(size)]
    done = subprocess.run(
        [*command, "--updates", str(updates)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    for line in done.stdout.splitlines():
        if line.startswith("RSS_PROBE "):
            return float(json.loads(line[len("RSS_PROBE ") :])["rss_mb"])
    raise RuntimeError(f"the RSS probe failed:\n{done.stdout}\n{done.stderr}")


async def probe(db: Path, size: int, updates: int) -> float:
    engine = Engine(load_library())
    stored = StoredUsers(size, session_templates(engine))
    await advisor_run(engine, db, updates, stored=stored, stored_share=0.3)
    return rss_mb()
