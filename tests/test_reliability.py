"""Nothing lost, nobody stranded: repeated taps, erasure that sticks, the inbox, fair pacing of /mydata."""

import asyncio
import json

from bot.pacing import ChatPacer
from bot.store import Store
from tests.conftest import RunningBot, start_bot, stop_bot, until

A, B, OPERATOR = 6001, 6002, 6999
MARKER = "zebraquokka marmalade"  # typed by the user; must leave the disk on /delete


async def settle(api, quiet: float = 0.3, timeout: float = 10.0) -> None:
    """Wait, without blocking the bot's event loop, until it made no Bot API call for *quiet* seconds."""
    for _ in range(int(timeout / quiet)):
        calls = len(api.calls)
        await asyncio.sleep(quiet)
        if len(api.calls) == calls:
            return
    raise AssertionError("the bot did not settle")


def handler_of(bot: RunningBot):
    """Return the AdvisorHandler behind the running application."""
    return next(iter(bot.application.handlers[0])).callback.__self__


async def test_repeated_tap_on_an_answered_question_shows_the_current_question_again(bot):
    await bot.say(A, "/start")
    data = bot.api.button(A, "Yes, J-1")
    first = await bot.press(A, data)
    assert "Step 1" in first[-1]
    again = await bot.press(A, data)
    assert "Step 1" in again[-1], "the reply to the first tap may have been lost: show it again"
    assert bot.api.sent(method="answerCallbackQuery")[-1].get("text") == "Already saved."
    assert bot.store.load(A).answers == {"visa": "j1"}


async def test_repeated_tap_after_the_last_question_shows_the_summary_again(bot):
    from tests.test_telegram import answer_everything

    await answer_everything(bot, A)
    last_tap = bot.store.load(A).last_press  # "The season after", which led to the summary
    texts = await bot.press(A, last_tap)
    assert "Your answers" in texts[-1]
    assert bot.store.load(A).state == "reviewing_summary"


async def test_stats_shows_typed_markup_as_text(fake_api, tmp_path, engine):
    from dataclasses import replace

    from bot.app import build_application
    from bot.settings import Settings

    settings = Settings(bot_token="1:T", api_base_url=fake_api.base_url, db_path=tmp_path / "s.db")
    settings = replace(settings, operator_ids=frozenset({OPERATOR}))
    store = Store(settings.db_path)
    application = build_application(settings, engine, store)
    await application.initialize()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    bot = RunningBot(fake_api, application, store)
    try:
        await bot.say(A, "/start")
        await bot.say(
            A, "what about **bold** [click](https://evil.example) _slanted_ <b>x</b> & y?", expect=1
        )
        await asyncio.sleep(0.2)
        texts = await bot.say(OPERATOR, "/stats")
        shown = texts[0]
        assert "**bold**" in shown and "[click](https://evil.example)" in shown and "_slanted_" in shown
        assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in shown
        assert "evil.example" not in shown.replace("(https://evil.example)", "")
        assert "<a " not in shown and "<i>" not in shown
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        store.close()


async def test_delete_removes_typed_text_from_the_database_file_and_its_wal(bot, tmp_path):
    await bot.say(A, "/start")
    await bot.say(A, f"is {MARKER} a thing?", expect=1)
    await until(lambda: bot.store.db.execute("select count(*) from unanswered").fetchone()[0] == 1)
    await settle(bot.api)
    await bot.say(A, "/delete")
    texts = await bot.tap(A, "Yes, erase")
    assert "erased" in texts[-1]
    files = [p for p in tmp_path.iterdir() if p.name.startswith("bot.db")]
    assert files
    for path in files:
        assert MARKER.encode() not in path.read_bytes(), f"erased text still in {path.name}"


async def test_redelivered_update_after_delete_brings_nothing_back(bot):
    await bot.say(A, "/start")
    await bot.say(A, f"is {MARKER} a thing?")
    update_id = bot.api.history[-1]["update_id"]
    await until(lambda: bot.store.db.execute("select count(*) from unanswered").fetchone()[0] == 1)
    await settle(bot.api)
    await bot.say(A, "/delete")
    await bot.tap(A, "Yes, erase")
    sent = len(bot.api.texts(A))
    bot.api.redeliver(update_id)
    await bot.say(B, "/help")  # B's reply proves the redelivered update was fetched and handled
    await asyncio.sleep(0.2)
    assert len(bot.api.texts(A)) == sent, "the redelivered update is not applied again"
    assert bot.store.load(A) is None
    assert bot.store.db.execute("select count(*) from unanswered").fetchone()[0] == 0


async def test_stale_tap_after_delete_creates_no_row_and_says_so(bot):
    await bot.say(A, "/start")
    old = bot.api.button(A, "Yes, J-1")
    await bot.say(A, "/delete")
    await bot.tap(A, "Yes, erase")
    texts = await bot.press(A, old)
    assert "haven't started" in texts[-1]
    assert bot.store.load(A) is None
    assert bot.store.db.execute("select count(*) from sessions").fetchone()[0] == 0


async def test_an_earlier_update_arriving_late_is_applied(bot):
    await bot.say(A, "/start")
    late = bot.api.reserve()
    await bot.tap(A, "Yes, J-1")
    before = len(bot.api.texts(A))
    bot.api.deliver_late(late, {"message": bot.api.message_payload(A, "/help")})
    await until(lambda: len(bot.api.texts(A)) > before)
    assert "How this works" in bot.api.texts(A)[before]


async def test_updates_left_in_the_inbox_are_processed_after_a_restart(fake_api, tmp_path, engine):
    db = tmp_path / "inbox.db"
    store = Store(db)
    body = {"update_id": 900, "message": fake_api.message_payload(A, "/start")}
    store.receive(900, json.dumps(body))  # received, then the process died before applying it
    assert store.pending() == [(900, json.dumps(body))]
    store.close()
    running = await start_bot(fake_api, db, engine)
    try:
        await until(lambda: fake_api.texts(A))
        assert "Question 1 of 9" in fake_api.texts(A)[-1]
        await until(lambda: running.store.pending() == [])
        assert running.store.is_done(900)
        row = running.store.db.execute("select body from inbox where update_id = 900").fetchone()
        assert row == (None,), "an applied update keeps its id only, not what the user sent"
    finally:
        await stop_bot(running)


async def test_polled_updates_are_in_the_inbox_and_applied(bot):
    await bot.say(A, "/start")
    update_id = bot.api.history[-1]["update_id"]
    await until(lambda: bot.store.is_done(update_id))
    assert bot.store.pending() == []


async def test_mydata_goes_through_the_per_chat_pacer(bot):
    waits: list[int] = []

    class CountingPacer(ChatPacer):
        async def wait(self, chat_id: int) -> float:
            waits.append(chat_id)
            return await super().wait(chat_id)

    handler_of(bot).pacer = CountingPacer(burst=100)
    await bot.say(A, "/start")
    for i in range(12):
        bot.api.send_text(A, f"question number {i} about {'x' * 300} whatever?")
    await until(lambda: bot.store.db.execute("select count(*) from unanswered").fetchone()[0] == 12)
    await settle(bot.api)
    waits.clear()
    before = len(bot.api.texts(A))
    bot.api.send_text(A, "/mydata")
    await until(lambda: len(bot.api.texts(A)) >= before + 2)
    await asyncio.sleep(0.3)
    parts = len(bot.api.texts(A)) - before
    assert parts >= 2 and waits.count(A) >= parts, "every part of /mydata is paced"


def test_old_tombstones_are_pruned_and_recent_ones_kept(store):
    import time

    store.mark_done(1)
    store.mark_done(2)
    with store.db.conn:
        store.db.execute("UPDATE inbox SET done_at = ? WHERE update_id = 1", [time.time() - 4 * 24 * 3600])
    assert store.prune_inbox(time.time()) == 1
    assert store.is_done(2) and not store.is_done(1)


def test_an_update_is_applied_all_or_nothing(store):
    import sqlite3

    import pytest

    from dialogs.session import Session

    with store.db.conn:  # the session write fails after the question was logged
        store.db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(sqlite3.Error):
        store.apply(41, Session(user_id=A, state="asking_visa"), A, unanswered="is this kept?")
    assert store.db.execute("select count(*) from unanswered").fetchone()[0] == 0
    assert not store.is_done(41), "an update whose effects were rolled back is not marked applied"
    with store.db.conn:
        store.db.execute("DROP TRIGGER refuse")
    store.apply(41, Session(user_id=A, state="asking_visa"), A, unanswered="is this kept?")
    assert store.is_done(41) and store.load(A).state == "asking_visa"
    assert store.db.execute("select count(*) from unanswered").fetchone()[0] == 1
