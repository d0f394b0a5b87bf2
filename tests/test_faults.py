"""Faults: Bot API errors, blocked users, redelivered updates, a broken database, odd stored state."""

import asyncio
import json
import logging
import socket
import threading

import pytest

from bot.request import bot_api_request
from dialogs.session import Session
from tests.conftest import start_bot, stop_bot, until
from tests.fakeapi import FakeBotApi, dropped_connection, server_error, slow, too_many_requests

A, B = 5001, 5002


def delivered_texts(api, chat_id):
    return [p["text"] for m, p in api.delivered if m == "sendMessage" and int(p["chat_id"]) == chat_id]


async def test_429_is_waited_out_and_other_users_are_served_meanwhile(bot):
    bot.api.faults["sendMessage"].append(too_many_requests(retry_after=1))
    bot.api.send_text(A, "/start")
    await asyncio.sleep(0.2)  # A's first send is now waiting out retry_after
    texts_b = await bot.say(B, "/help")
    assert "How this works" in texts_b[0]
    await until(lambda: len(delivered_texts(bot.api, A)) >= 1, timeout=10)
    await asyncio.sleep(0.2)
    sent_a = delivered_texts(bot.api, A)
    assert len(sent_a) == 1 and "Question 1 of 9" in sent_a[0], "the reply is sent once"


@pytest.mark.parametrize("fault", [server_error(), dropped_connection], ids=["5xx", "dropped"])
async def test_a_send_that_may_have_arrived_is_not_repeated_and_the_apology_says_it_was_saved(bot, fault):
    await bot.say(A, "/start")
    bot.api.faults["sendMessage"].append(fault)
    texts = await bot.tap(A, "Yes, J-1")
    attempts = [p["text"] for m, p in bot.api.calls if m == "sendMessage" and "Step 1" in p["text"]]
    assert len(attempts) == 1, "a send that may have been delivered is never repeated blindly"
    assert "saved" in texts[-1] and "could not save" not in texts[-1]
    assert bot.store.load(A).answers == {"visa": "j1"}
    texts = await bot.press(A, _last_visa_button(bot))
    assert "Step 1" in texts[-1], "tapping again shows the question the lost reply carried"


def _last_visa_button(bot):
    """The J-1 button of the first question, as the user still sees it."""
    for method, params in reversed(bot.api.delivered):
        markup = params.get("reply_markup") if method == "sendMessage" else None
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"].startswith("Yes, J-1"):
                    return button["callback_data"]
    raise AssertionError("no J-1 button was shown")


async def test_a_send_that_timed_out_is_not_repeated(fake_api, tmp_path, engine):
    running = await start_bot(fake_api, tmp_path / "t.db", engine, request=bot_api_request(read_timeout=0.3))
    try:
        fake_api.faults["sendMessage"].append(slow(0.6))
        bot_texts = await running.say(A, "/start")
        assert "saved" in bot_texts[-1]
        attempts = [p for m, p in fake_api.calls if m == "sendMessage" and "Question 1" in p["text"]]
        assert len(attempts) == 1
        assert running.store.load(A).state == "asking_visa"
    finally:
        await stop_bot(running)


async def test_a_refused_connection_is_retried_until_the_bot_api_is_back():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started: list[FakeBotApi] = []
    # Nothing listens for the first 0.3 s: the connection is refused, so the request cannot have arrived.
    timer = threading.Timer(0.3, lambda: started.append(FakeBotApi(port=port).start()))
    timer.start()
    request = bot_api_request()
    await request.initialize()
    try:
        status, body = await request.do_request(f"http://127.0.0.1:{port}/bot1:T/getMe", "POST")
        assert status == 200 and json.loads(body)["result"]["is_bot"]
    finally:
        await request.shutdown()
        timer.join()
        for api in started:
            api.stop()


async def test_a_failed_callback_answer_does_not_lose_the_tap(bot):
    await bot.say(A, "/start")
    bot.api.faults["answerCallbackQuery"].append(
        (400, {"ok": False, "error_code": 400, "description": "Bad Request: query is too old"})
    )
    before = len(bot.api.texts(A))
    bot.api.press(A, bot.api.button(A, "Yes, J-1"))
    await until(lambda: len(bot.api.texts(A)) > before)
    assert "Step 1" in bot.api.texts(A)[-1]
    assert bot.store.load(A).answers == {"visa": "j1"}
    bot.api.faults["answerCallbackQuery"].extend([dropped_connection, server_error()])
    before = len(bot.api.texts(A))
    bot.api.press(A, bot.api.button(A, "Passed on the first attempt"))
    await until(lambda: len(bot.api.texts(A)) > before)
    assert "Step 2 CK" in bot.api.texts(A)[-1]
    assert bot.store.load(A).answers == {"visa": "j1", "step1": "pass_first"}


async def test_blocked_user_is_marked_inactive_and_nothing_more_is_sent(bot):
    await bot.say(A, "/start")
    bot.api.blocked_chats.add(A)
    bot.api.send_text(A, "/help")
    await until(
        lambda: bot.store.db.execute("select active from sessions where user_id=?", [A]).fetchone()[0] == 0
    )
    bot.api.blocked_chats.discard(A)
    texts = await bot.say(A, "/help")  # writing again makes the user active again
    assert "How this works" in texts[0]
    assert bot.store.db.execute("select active from sessions where user_id=?", [A]).fetchone()[0] == 1


async def test_redelivered_update_is_applied_once(bot):
    await bot.say(A, "/start")
    await bot.tap(A, "Yes, J-1")
    count = len(bot.api.texts(A))
    update_id = bot.api.send_text(A, "first attempt")
    await until(lambda: len(bot.api.texts(A)) == count + 1)
    count += 1
    bot.api.redeliver(update_id)
    help_texts = await bot.say(A, "/help")
    assert len(bot.api.texts(A)) == count + 1, "the redelivered update sent nothing"
    assert "How this works" in help_texts[0]
    assert bot.store.load(A).state == "asking_ck"


async def test_double_tap_advances_only_once(bot):
    await bot.say(A, "/start")
    data = bot.api.button(A, "Yes, J-1")
    answers = len(bot.api.sent(method="answerCallbackQuery"))
    bot.api.press(A, data)
    bot.api.press(A, data)
    await until(lambda: len(bot.api.sent(method="answerCallbackQuery")) == answers + 2)
    await asyncio.sleep(0.1)
    session = bot.store.load(A)
    assert session.state == "asking_step1" and session.answers == {"visa": "j1"}
    toasts = [p.get("text") for p in bot.api.sent(method="answerCallbackQuery")[-2:]]
    assert "Already saved." in toasts


async def test_read_only_database_apologises_and_keeps_stored_answers(bot, caplog):
    await bot.say(A, "/start")
    await bot.tap(A, "Yes, J-1")
    bot.store.db.execute("PRAGMA query_only = ON")
    with caplog.at_level(logging.ERROR):
        texts = await bot.press(A, bot.api.button(A, "Passed on the first attempt"))
    assert "Sorry" in texts[-1] and "could not save" in texts[-1]
    assert "Step 2 CK" not in texts[-1], "an answer that was not stored is not acknowledged"
    bot.store.db.execute("PRAGMA query_only = OFF")
    assert bot.store.load(A).answers == {"visa": "j1"}
    texts = await bot.tap(A, "Passed on the first attempt")
    assert "Step 2 CK" in texts[-1]


async def test_full_disk_apologises_and_keeps_stored_answers(bot):
    await bot.say(A, "/start")
    await bot.tap(A, "Yes, H-1B")
    db = bot.store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 1}")
    filler = iter(range(900_000, 999_999))
    for size in (1000, 200, 50, 1):  # fill the sessions table's pages, down to the small gaps
        try:
            while True:
                with db.conn:
                    db.execute(
                        "INSERT INTO sessions (user_id, data) VALUES (?, ?)", [next(filler), "x" * size]
                    )
        except Exception as error:  # the disk (page limit) is full for rows of this size
            assert "full" in str(error)
    texts = await bot.say(B, "/start")
    assert "Sorry" in texts[-1]
    assert bot.store.load(A).answers == {"visa": "h1b"}
    assert bot.store.load(B) is None
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_unknown_stored_state_resumes_at_a_sensible_question(bot):
    stale = Session(user_id=A, state="asking_old_question", answers={"visa": "j1", "removed": 3}, turn=4)
    bot.store.save(stale, chat_id=A)
    texts = await bot.say(A, "/start")
    assert "How did USMLE Step 1 go?" in texts[-1]
    assert bot.store.load(A).answers == {"visa": "j1"}


async def test_unreadable_stored_session_starts_fresh_instead_of_crashing(bot):
    bot.store.save(Session(user_id=A), chat_id=A)
    with bot.store.db.conn:
        bot.store.db.execute("UPDATE sessions SET data = ? WHERE user_id = ?", ["{not json", A])
    texts = await bot.say(A, "/start")
    assert "Question 1 of 9" in texts[-1]
    assert (
        json.loads(bot.store.db.execute("select data from sessions").fetchone()[0])["state"] == "asking_visa"
    )
