"""Run the advisor: on Telegram when a token is set, otherwise as a terminal chat."""

import logging
import sys

from telegram.error import InvalidToken

from bot.logs import configure_logging
from bot.settings import Settings
from bot.store import Store
from content.loader import load_library
from dialogs.engine import Engine

logger = logging.getLogger(__name__)

NO_TOKEN_NOTE = """No TELEGRAM_BOT_TOKEN is set, so this is the terminal chat (same engine, same database: {db}).
To run on Telegram: create a bot with @BotFather, then run  TELEGRAM_BOT_TOKEN=123:ABC python3 dev.py run
"""


def main() -> int:
    """Start the bot from environment settings."""
    settings = Settings.from_env()
    configure_logging(settings.log_level, [settings.bot_token, settings.webhook_secret])
    try:
        return _run(settings)
    except InvalidToken:
        # PTB's message quotes the token; say what to fix instead.
        logger.critical("the Bot API rejected TELEGRAM_BOT_TOKEN; check the token from @BotFather")
        return 1
    except Exception:
        # Through logging, not Python's default hook, so the traceback passes the token mask.
        logger.critical("the bot stopped on an error", exc_info=True)
        return 1


def _run(settings: Settings) -> int:
    engine = Engine(load_library(), season_open_month=settings.season_open_month)
    store = Store(settings.db_path)
    try:
        if not settings.bot_token:
            from bot.terminal import TerminalChat

            # The chat shares the screen with the logs: only warnings and errors interrupt it.
            root = logging.getLogger()
            root.setLevel(max(root.getEffectiveLevel(), logging.WARNING))
            sys.stdout.write(NO_TOKEN_NOTE.format(db=settings.db_path))
            TerminalChat(engine, store).run()
            return 0
        from bot.app import build_application

        application = build_application(settings, engine, store)
        if settings.webhook_url:
            import asyncio

            from bot.webhook import serve_webhook

            logger.info("starting in webhook mode")
            asyncio.run(serve_webhook(application, settings, store))
            return 0
        logger.info("starting polling")
        # run_polling stops on SIGTERM/SIGINT after the updates in hand are finished.
        application.run_polling(allowed_updates=["message", "edited_message", "callback_query"])
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
