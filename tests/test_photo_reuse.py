"""The standing picture is uploaded once; later plans send Telegram's file_id for the same picture."""

from dialogs.session import Session
from tests.conftest import start_bot, stop_bot, until
from tests.test_plan import SAMPLE

DONE = {**SAMPLE, "goals": ["unsure"]}
FIRST, SECOND = 21, 22


async def test_the_same_picture_is_sent_by_file_id_after_its_first_upload(fake_api, tmp_path, engine):
    bot = await start_bot(fake_api, tmp_path / "s.db", engine)
    try:
        for user in (FIRST, SECOND):
            bot.store.save(Session(user, "reviewing_summary", DONE, turn=3), chat_id=user)
            await bot.press(user, "plan:3", expect=1)
            await until(lambda u=user: fake_api.sent(u, method="sendPhoto"))
        first = fake_api.sent(FIRST, method="sendPhoto")[0]["photo"]
        second = fake_api.sent(SECOND, method="sendPhoto")[0]
        assert first.startswith(b"\x89PNG"), "the first plan uploads the picture"
        assert second["photo"] == "ph1", "the second sends the file_id Telegram returned"
        assert second["caption"], "with the same caption"
    finally:
        await stop_bot(bot)


async def test_a_refused_file_id_falls_back_to_uploading(fake_api, tmp_path, engine):
    bot = await start_bot(fake_api, tmp_path / "s.db", engine)
    try:
        bot.store.save(Session(FIRST, "reviewing_summary", DONE, turn=3), chat_id=FIRST)
        await bot.press(FIRST, "plan:3", expect=1)
        await until(lambda: fake_api.sent(FIRST, method="sendPhoto"))
        refused = {"ok": False, "error_code": 400, "description": "Bad Request: wrong file identifier"}
        fake_api.faults["sendPhoto"].append((400, refused))
        bot.store.save(Session(SECOND, "reviewing_summary", DONE, turn=3), chat_id=SECOND)
        await bot.press(SECOND, "plan:3", expect=1)
        await until(lambda: fake_api.sent(SECOND, method="sendPhoto"))
        assert fake_api.sent(SECOND, method="sendPhoto")[0]["photo"].startswith(b"\x89PNG")
    finally:
        await stop_bot(bot)
