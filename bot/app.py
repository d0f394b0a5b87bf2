"""Build the python-telegram-bot Application exactly as production runs it."""

import logging
from collections.abc import Callable
from datetime import date

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, TypeHandler
from telegram.request import HTTPXRequest

from bot.errors import install_error_handler
from bot.handlers import AdvisorHandler
from bot.pacing import ChatPacer
from bot.processor import PerUserUpdateProcessor
from bot.request import RetryingRequest
from bot.settings import Settings
from bot.store import Store
from dialogs.engine import Engine

logger = logging.getLogger(__name__)

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


def build_application(
    settings: Settings,
    engine: Engine,
    store: Store,
    *,
    clock: Callable[[], date] = date.today,
    request: HTTPXRequest | None = None,
    rate_limiter: bool = True,
) -> Application:
    """Return the Application with the advisor's handler, error handler and command menu."""
    builder: ApplicationBuilder = (
        Application.builder()
        .token(settings.bot_token)
        .base_url(settings.api_base_url)
        .concurrent_updates(PerUserUpdateProcessor(64))
        .post_init(_register_commands)
    )
    if request is None:
        builder = builder.request(RetryingRequest(connection_pool_size=32)).get_updates_request(
            RetryingRequest()
        )
    else:
        builder = builder.request(request).get_updates_request(request)
    if rate_limiter:
        # Retries honour retry_after from 429s; the overall/per-chat limits pace multi-part replies.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application = builder.build()
    pacer = ChatPacer() if rate_limiter else None
    handler = AdvisorHandler(engine, store, clock, settings.operator_ids, pacer)
    application.add_handler(TypeHandler(Update, handler.on_update))
    if application.job_queue is not None:
        handler.reminders.install(application)
    install_error_handler(application, store, engine.library.message("sorry"))
    return application


async def _register_commands(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
