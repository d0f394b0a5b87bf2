"""Shared fixtures: the real content, a real SQLite file, the fake Bot API and a running bot."""

import asyncio
import time
from collections.abc import Callable
from datetime import date

import pytest

from bot.app import build_application
from bot.settings import Settings
from bot.store import Store
from content.loader import load_library
from dialogs.engine import Engine
from tests.fakeapi import FakeBotApi

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="session")
def library():
    """The real content, loaded once."""
    return load_library()


@pytest.fixture(scope="session")
def engine(library):
    """One engine, as production builds it."""
    return Engine(library)


@pytest.fixture
def store(tmp_path):
    """A real SQLite file in WAL mode."""
    db = Store(tmp_path / "advisor.db")
    yield db
    db.close()


@pytest.fixture
def fake_api():
    """The fake Bot API server on 127.0.0.1."""
    api = FakeBotApi().start()
    yield api
    api.stop()


async def until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait, without blocking the event loop, until *predicate* holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.01)


class RunningBot:
    """A polling Application against the fake API, with helpers to talk to it as a user would."""

    def __init__(self, api: FakeBotApi, application, store: Store) -> None:
        self.api, self.application, self.store = api, application, store

    async def say(self, user_id: int, text: str, expect: int = 1, **kw) -> list[str]:
        """Send *text*; wait until *expect* more messages arrive; return the new texts."""
        before = len(self.api.texts(user_id))
        self.api.send_text(user_id, text, **kw)
        await until(lambda: len(self.api.texts(user_id)) >= before + expect)
        await asyncio.sleep(0.05)  # let any further parts of the same reply arrive
        return self.api.texts(user_id)[before:]

    async def tap(self, user_id: int, label_start: str, expect: int = 1) -> list[str]:
        """Press the newest button whose label starts with *label_start*; return the new texts."""
        return await self.press(user_id, self.api.button(user_id, label_start), expect)

    async def press(self, user_id: int, data: str, expect: int = 1) -> list[str]:
        """Press a button with raw callback *data*; wait for the callback answer and *expect* messages."""
        before = len(self.api.texts(user_id))
        answers = len(self.api.sent(method="answerCallbackQuery"))
        self.api.press(user_id, data)
        await until(lambda: len(self.api.sent(method="answerCallbackQuery")) > answers)
        await until(lambda: len(self.api.texts(user_id)) >= before + expect)
        await asyncio.sleep(0.05)
        return self.api.texts(user_id)[before:]


async def start_bot(api: FakeBotApi, db_path, engine, **kw) -> RunningBot:
    """Build the production Application and start polling the fake API."""
    settings = Settings(bot_token="123456:TEST-TOKEN", api_base_url=api.base_url, db_path=db_path)
    store = Store(db_path)
    application = build_application(settings, engine, store, clock=lambda: TODAY, **kw)
    await application.initialize()
    await application.post_init(application)
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    return RunningBot(api, application, store)


async def stop_bot(bot: RunningBot) -> None:
    """Stop polling and close everything, as a shutdown would."""
    await bot.application.updater.stop()
    await bot.application.stop()
    await bot.application.shutdown()
    bot.store.close()


@pytest.fixture
async def bot(fake_api, tmp_path, engine):
    """A running bot on a fresh database."""
    running = await start_bot(fake_api, tmp_path / "bot.db", engine)
    yield running
    await stop_bot(running)
