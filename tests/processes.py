"""Run `python -m bot` as its own process against the fake Bot API, and read what it logged."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A log line's clock ("11:04:31,241") and update ids are the bot's own numbers, not what users typed.
# log timestamps, the scheduler's "next wakeup at 2026-12-01 16:13:59.202416+00:00 (in 4.89 seconds)" and
# update ids: numbers of the bot's own, never typed
_OWN_NUMBERS = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:[+-]\d\d:\d\d)?|\d\d:\d\d:\d\d,\d{3}"
    r"|\(in [\d.]+ seconds\)|\bupdate \d+"
)


def launch_bot(api, db, token: str, level: str = "INFO", module: str = "bot", log=None) -> subprocess.Popen:
    """Start `python -m <module>` (the bot, as production configures it through the environment) polling
    *api* with its database at *db*; its output goes to *log*, or comes back as text."""
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=api.base_url,
        ADVISOR_DB_PATH=str(db),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL=level,
    )
    if log is not None:
        return subprocess.Popen([sys.executable, "-m", module], cwd=ROOT, env=env, stdout=log, stderr=log)
    return subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def without_own_numbers(output: str) -> str:
    """Return *output* without timestamps and update ids, so a typed number can be looked for."""
    return _OWN_NUMBERS.sub("", output)
