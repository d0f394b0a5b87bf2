"""Logs never carry the token or what users typed, at any level, including errors and a rejected token."""

import logging
import signal
import sys
import time
from pathlib import Path

from bot.logs import SecretMask
from tests.fakeapi import server_error
from tests.processes import launch_bot, without_own_numbers

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654:SECRET-token_VALUE-xyz"
TYPED = "pelican-harmonica"  # a marker only a user typed
USER = 8801


def launch(api, db, level="DEBUG"):
    return launch_bot(api, db, TOKEN, level)


def wait_texts(api, count, timeout=20):
    api.wait_for(lambda a: len(a.texts(USER)) >= count, timeout=timeout)
    time.sleep(0.1)


def test_mask_covers_message_arguments_and_traceback():
    mask = SecretMask([TOKEN])
    try:
        raise RuntimeError(f"url https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "calling %s", (TOKEN,), sys.exc_info())
    assert mask.filter(record)
    rendered = logging.Formatter().format(record)
    assert TOKEN not in rendered and "***" in rendered and "RuntimeError" in rendered
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lowered: %s", (TOKEN.lower(),), None)
    assert mask.filter(record) and TOKEN.lower() not in record.getMessage()


def test_debug_logs_of_a_whole_conversation_with_errors_hold_no_token_and_no_typed_text(fake_api, tmp_path):
    process = launch(fake_api, tmp_path / "log.db")
    try:
        fake_api.send_text(USER, "/start")
        wait_texts(fake_api, 1)
        fake_api.press(USER, fake_api.button(USER, "Yes, J-1"))
        wait_texts(fake_api, 2)
        fake_api.press(USER, fake_api.button(USER, "Passed on the first attempt"))
        wait_texts(fake_api, 3)
        fake_api.send_text(USER, f"241 {TYPED}")  # an invalid score: the bot re-asks
        wait_texts(fake_api, 4)
        fake_api.faults["sendMessage"].append(server_error())  # an error, logged with its traceback
        fake_api.send_text(USER, f"what does {TYPED} mean for my application?")
        wait_texts(fake_api, 5)
        fake_api.send_text(USER, "241")
        wait_texts(fake_api, 6)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert "DEBUG" in output and "ERROR" in output, "the run logged at DEBUG and logged an error"
    assert TOKEN.split(":")[1].lower() not in output.lower()
    assert TYPED not in output
    assert "241" not in without_own_numbers(output)


def test_a_rejected_token_is_reported_without_the_token(fake_api, tmp_path):
    fake_api.faults["getMe"].append((401, {"ok": False, "error_code": 401, "description": "Unauthorized"}))
    process = launch(fake_api, tmp_path / "bad.db")
    output = process.communicate(timeout=30)[0]
    assert process.returncode == 1
    assert "rejected TELEGRAM_BOT_TOKEN" in output
    assert TOKEN.split(":")[1].lower() not in output.lower()


async def test_the_error_handler_masks_the_token_even_without_the_log_filter(bot, caplog):
    token = bot.application.bot.token
    bot.api.faults["sendMessage"].append(
        (400, {"ok": False, "error_code": 400, "description": f"Bad Request: echo of bot{token}/sendMessage"})
    )
    with caplog.at_level(logging.ERROR):
        texts = await bot.say(USER, "/start")
    assert "saved" in texts[-1], "the user hears the reply failed"
    logged = "\n".join(logging.Formatter().format(r) for r in caplog.records)
    assert "BadRequest" in logged and "of bot***/sendmessage" in logged.lower()
    assert token.lower() not in logged.lower()


def test_an_error_is_logged_with_its_place_but_without_what_the_user_typed():
    from telegram.error import BadRequest

    from bot.errors import describe

    try:
        try:
            int(f"score {TYPED}")
        except ValueError as error:
            raise BadRequest(f"Bad Request: echo of bot{TOKEN}") from error
    except BadRequest as error:
        text = describe(error, TOKEN)
    assert "ValueError (message withheld)" in text and "BadRequest" in text and "test_logs.py" in text
    assert TYPED not in text and TOKEN.split(":")[1].lower() not in text.lower()
