"""The real python-telegram-bot stack, polling a fake Bot API over HTTP on 127.0.0.1."""

import json

from tests.conftest import start_bot, stop_bot

USER = 4242


async def answer_everything(bot, user=USER):
    """Go through the whole questionnaire by buttons and typing; return the summary text."""
    await bot.say(user, "/start")
    await bot.tap(user, "Yes, J-1")
    await bot.tap(user, "Passed after a failure")
    await bot.say(user, "my score is 225")
    await bot.tap(user, "None yet")
    await bot.tap(user, "2")
    await bot.tap(user, "Internal medicine attending")
    await bot.tap(user, "Psychiatry attending")
    await bot.tap(user, "Done")
    await bot.tap(user, "None")
    await bot.tap(user, "Consultation-liaison")
    await bot.tap(user, "Done")
    await bot.tap(user, "A TOEFL or IELTS score")
    await bot.tap(user, "Done")
    texts = await bot.tap(user, "The season after")
    return texts[-1]


async def test_full_conversation_by_buttons_and_typing(bot):
    summary = await answer_everything(bot)
    assert "Your answers" in summary
    assert "Step 2 CK: <b>225</b>" in summary
    assert "Letter writers: <b>Internal medicine attending, Psychiatry attending</b>" in summary
    session = bot.store.load(USER)
    assert session.state == "reviewing_summary"
    assert session.answers["ck"] == 225 and session.answers["goals"] == ["cl"]
    # Every callback query was answered.
    assert len(bot.api.sent(method="answerCallbackQuery")) == 13
    # The command menu was registered.
    commands = bot.api.sent(method="setMyCommands")[0]["commands"]
    assert {c["command"] for c in commands} >= {
        "start",
        "plan",
        "profile",
        "restart",
        "delete",
        "help",
        "mydata",
    }


async def test_progress_is_shown_and_html_is_valid(bot):
    texts = await bot.say(USER, "/start")
    assert "<i>Question 1 of 9</i>" in texts[-1]
    assert "<b>Will you need a visa to train in the US?</b>" in texts[-1]


async def test_multi_select_toggle_edits_message_in_place(bot):
    await bot.say(USER, "/start")
    await bot.tap(USER, "Yes, J-1")
    await bot.tap(USER, "Passed on the first attempt")
    await bot.say(USER, "250")
    await bot.tap(USER, "Both medicine")
    await bot.tap(USER, "Hands-on")
    await bot.say(USER, "8")
    await bot.say(USER, "4")  # of those, weeks in psychiatry
    await bot.tap(USER, "3")
    edited = await bot.tap(USER, "Psychiatry attending")
    assert len(bot.api.sent(method="editMessageText")) == 1
    assert edited and "Who writes them" in edited[-1]
    assert bot.api.button(USER, "✅ Psychiatry attending")


async def test_invalid_score_reprompts_without_moving(bot):
    await bot.say(USER, "/start")
    await bot.tap(USER, "Yes, J-1")
    await bot.tap(USER, "Passed on the first attempt")
    texts = await bot.say(USER, "2 2 5")
    assert "three-digit" in texts[0]
    assert bot.store.load(USER).state == "asking_ck"


async def test_stale_button_gets_outdated_notice_and_current_question(bot):
    await bot.say(USER, "/start")
    old = bot.api.button(USER, "Yes, J-1")
    await bot.tap(USER, "Yes, J-1")
    await bot.tap(USER, "Passed on the first attempt")
    texts = await bot.press(USER, old.replace("j1", "h1b"))
    assert "earlier message" in texts[0]
    assert "Step 2 CK" in texts[0]
    session = bot.store.load(USER)
    assert session.answers["visa"] == "j1" and session.state == "asking_ck"


async def test_forged_button_data_is_refused_politely(bot):
    await bot.say(USER, "/start")
    turn = bot.store.load(USER).turn
    for forged in (f"ans:{turn}:nonsense", "x" * 80, "ans:99999999999999:j1", "edit:1:visa", "faq:../../etc"):
        texts = await bot.press(USER, forged)
        assert "earlier message" in texts[0]
    assert bot.store.load(USER).answers == {}


async def test_delete_erases_all_rows(bot):
    await bot.say(USER, "/start")
    await bot.tap(USER, "Yes, J-1")
    await bot.say(USER, "what is the weather in paris", expect=1)
    assert bot.store.db.execute("select count(*) from unanswered").fetchone()[0] == 1
    await bot.say(USER, "/delete")
    texts = await bot.tap(USER, "Yes, erase")
    assert "erased" in texts[-1]
    assert bot.store.db.execute("select count(*) from sessions").fetchone()[0] == 0
    assert bot.store.db.execute("select count(*) from unanswered").fetchone()[0] == 0


async def test_mydata_sends_what_is_stored(bot):
    await bot.say(USER, "/start")
    await bot.tap(USER, "Yes, H-1B")
    texts = await bot.say(USER, "/mydata")
    assert "<pre>" in texts[0]
    payload = texts[0].split("<pre>", 1)[1].rsplit("</pre>", 1)[0]
    data = json.loads(payload.replace("&quot;", '"').replace("&amp;", "&"))
    assert data["session"]["session"]["answers"] == {"visa": "h1b"}


async def test_restart_of_the_bot_resumes_at_the_same_question(fake_api, tmp_path, engine):
    db = tmp_path / "restart.db"
    first = await start_bot(fake_api, db, engine)
    await first.say(USER, "/start")
    await first.tap(USER, "Yes, J-1")
    await first.tap(USER, "Passed after a failure")
    await stop_bot(first)
    second = await start_bot(fake_api, db, engine)
    try:
        texts = await second.say(USER, "/start")
        assert "Welcome back" in texts[-1]
        assert "Step 2 CK" in texts[-1]
        texts = await second.say(USER, "231")
        assert "US clinical experience" in texts[-1]
        answers = second.store.load(USER).answers
        assert answers == {"visa": "j1", "step1": "pass_after_fail", "ck": 231}
    finally:
        await stop_bot(second)
