"""Build the python-telegram-bot Application exactly as production runs it."""

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, ExtBot, TypeHandler
from telegram.request import HTTPXRequest

from bot.errors import install_error_handler
from bot.handlers import AdvisorHandler
from bot.pacing import ChatPacer
from bot.processor import PerUserUpdateProcessor
from bot.request import UpdatesRequest, bot_api_request
from bot.settings import Settings
from bot.store import Store
from dialogs.engine import Engine

logger = logging.getLogger(__name__)
PRUNE_EVERY = 6 * 3600  # seconds between sweeps of old inbox tombstones

COMMANDS = [
    ("start", "Begin or continue"),
    ("plan", "Your personal plan"),
    ("profile", "See and change your answers"),
    ("faq", "Browse topics"),
    ("help", "How this works"),
    ("restart", "Start over"),
    ("timeline", "Your dated timeline"),
    ("remind", "Reminders on or off"),
    ("mydata", "Everything stored about you"),
    ("delete", "Erase everything stored about you"),
    ("cancel", "Stop what we're doing"),
]


class InboxBot(ExtBot):
    """PTB's bot, writing each fetched update to the durable inbox before the offset moves past it."""

    __slots__ = ("_inbox", "_raw")

    def __init__(self, *args: Any, inbox: Store, raw: UpdatesRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inbox = inbox
        self._raw = raw  # the updates' JSON as received, when the getUpdates request keeps it

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """Call Bot API *method* and return Telegram's JSON result as it is, without PTB objects.

        For the replies, whose returned Message the advisor never reads: parsing it back, echoed
        keyboard included, was ~7% of the bot's CPU per update (bench/PROFILE.md). It goes through
        PTB's request path as every call does (rate limiter, errors); `do_api_request` would too, but
        warns for methods PTB already has.
        """
        return await self._post(method, params)

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """Fetch updates and store them; the Updater confirms them (next offset) only after this returns."""
        updates = await super().get_updates(*args, **kwargs)
        if updates:
            try:
                raw = self._raw.raw if self._raw is not None else {}
                self._inbox.receive_many(
                    [(u.update_id, raw.get(u.update_id) or u.to_json()) for u in updates]
                )
            except sqlite3.Error:
                # A full or read-only disk: still serve them (the handler then apologises) rather
                # than stall every user; only these few lose their safety copy.
                logger.error("inbox: %d updates not stored", len(updates))
        return updates


def build_application(
    settings: Settings,
    engine: Engine,
    store: Store,
    *,
    clock: Callable[[], date] = date.today,
    request: HTTPXRequest | None = None,
    rate_limiter: bool = True,
    pacer: ChatPacer | None = None,
) -> Application:
    """Return the Application with the advisor's handler, error handler, inbox and command menu."""
    updates_request = request or bot_api_request(connection_pool_size=2, kind=UpdatesRequest)
    bot = InboxBot(
        settings.bot_token,
        base_url=settings.api_base_url,
        request=request or bot_api_request(),
        get_updates_request=updates_request,
        raw=updates_request if isinstance(updates_request, UpdatesRequest) else None,
        # Retries honour retry_after from 429s; the overall/per-chat limits pace multi-part replies.
        rate_limiter=AIORateLimiter(max_retries=3) if rate_limiter else None,
        inbox=store,
    )

    async def post_init(application: Application) -> None:
        await _register_commands(application)
        replay_inbox(application, store)

    application = (
        Application.builder()
        .bot(bot)
        .concurrent_updates(PerUserUpdateProcessor(64))
        .post_init(post_init)
        .build()
    )
    pacer = pacer or (ChatPacer() if rate_limiter else None)
    handler = AdvisorHandler(engine, store, clock, settings.operator_ids, pacer)
    application.add_handler(TypeHandler(Update, handler.on_update))
    if application.job_queue is not None:
        handler.reminders.install(application)

        async def prune(context: ContextTypes.DEFAULT_TYPE) -> None:
            store.prune_inbox(time.time())

        # Tombstones older than any redelivery go, so the inbox stays small on a long-running bot.
        application.job_queue.run_repeating(prune, interval=PRUNE_EVERY, first=PRUNE_EVERY, name="inbox")
    library = engine.library
    install_error_handler(
        application, store, {"unsaved": library.message("sorry"), "unsent": library.message("sorry_unsent")}
    )
    return application


def replay_inbox(application: Application, store: Store) -> int:
    """Queue every update received but not applied before the last stop (or crash); return how many."""
    store.prune_inbox(time.time())
    count = 0
    for update_id, body in store.pending():
        try:
            update = Update.de_json(json.loads(body), application.bot)
        except (ValueError, TypeError, KeyError):
            logger.warning("inbox: update %s unreadable, dropped", update_id)
            store.mark_done(update_id)
            continue
        application.update_queue.put_nowait(update)
        count += 1
    if count:
        logger.info("inbox: %d updates from before the restart queued again", count)
    return count


async def _register_commands(application: Application) -> None:
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as error:
        # The menu is a convenience; a Bot API hiccup at start-up must not keep the bot down.
        logger.warning("command menu not registered (%s)", type(error).__name__)
