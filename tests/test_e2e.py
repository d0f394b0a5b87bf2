"""`python -m bot` as a separate process against the fake Bot API: kill it mid-dialog, restart, resume."""

import signal
import time
from pathlib import Path

from bot.store import Store
from tests.processes import launch_bot, without_own_numbers

ROOT = Path(__file__).resolve().parent.parent
USER = 777


def launch(api, db):
    return launch_bot(api, db, "123456:SECRET-TOKEN-VALUE")


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
    assert "238" not in without_own_numbers(output), "what users type is never logged"
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
