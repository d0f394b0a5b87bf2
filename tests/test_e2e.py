"""`python -m bot` as a separate process against the fake Bot API: kill it mid-dialog, restart, resume."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
USER = 777


def launch(api, db):
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN="123456:SECRET-TOKEN-VALUE",
        TELEGRAM_API_BASE_URL=api.base_url,
        ADVISOR_DB_PATH=str(db),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="INFO",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def say(api, text, expect=1):
    before = len(api.texts(USER))
    api.send_text(USER, text)
    api.wait_for(lambda a: len(a.texts(USER)) >= before + expect, timeout=20)
    time.sleep(0.1)
    return api.texts(USER)[before:]


def tap(api, label, expect=1):
    before = len(api.texts(USER))
    api.press(USER, api.button(USER, label))
    api.wait_for(lambda a: len(a.texts(USER)) >= before + expect, timeout=20)
    time.sleep(0.1)
    return api.texts(USER)[before:]


def test_sigkill_mid_dialog_then_restart_keeps_every_acknowledged_answer(fake_api, tmp_path):
    db = tmp_path / "e2e.db"
    process = launch(fake_api, db)
    try:
        say(fake_api, "/start")
        tap(fake_api, "Yes, J-1")
        tap(fake_api, "Passed on the first attempt")
        say(fake_api, "238")
        assert fake_api.sent(method="setMyCommands"), "the command menu is registered at start-up"
    finally:
        process.send_signal(signal.SIGKILL)
        output = process.communicate(timeout=20)[0]
    assert "SECRET-TOKEN-VALUE" not in output, "the token must never be logged"
    # Timestamps carry milliseconds ("10:00:19,238"), so look for the score as a word of its own.
    words = re.sub(r"\d\d:\d\d:\d\d,\d{3}", "", output.replace("update 238", ""))
    assert not re.search(r"\b238\b", words), "what users type is never logged"
    process = launch(fake_api, db)
    try:
        texts = say(fake_api, "/start")
        assert "Welcome back" in texts[-1]
        assert "US clinical experience" in texts[-1]
        tap(fake_api, "None yet")
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    store = Store(db)
    try:
        assert store.load(USER).answers == {"visa": "j1", "step1": "pass_first", "ck": 238, "usce": "none"}
    finally:
        store.close()
