"""The one error handler: log with context, apologise truthfully, stop talking to blocked users."""

import logging
import sqlite3
import traceback

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.logs import redact
from bot.store import Store
from bot.text import to_html

logger = logging.getLogger(__name__)


def describe(error: BaseException | None, token: str) -> str:
    """Return *error*'s traceback for the log: the token masked, our own errors' messages left out.

    A Bot API error's message is Telegram's description, safe to log; any other exception's message may
    quote what the user sent (``invalid literal for int(): '...'``), so only its type is kept.
    """
    parts, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:  # the cause chain, newest first
        seen.add(id(current))
        message = f": {current}" if isinstance(current, TelegramError) else " (message withheld)"
        parts.append(
            "".join(traceback.format_tb(current.__traceback__)) + type(current).__qualname__ + message
        )
        current = current.__cause__ or current.__context__
    return redact("\nwhich was raised while handling:\n".join(parts), [token])


def install_error_handler(application: Application, store: Store, apologies: dict[str, str]) -> None:
    """Register the error handler on *application*.

    *apologies* has "unsaved" (the update's effects were not stored) and "unsent" (they were stored, but
    the reply failed), so the user is told what actually happened.
    """

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        user_id = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
        if isinstance(context.error, Forbidden):
            logger.info("user %s blocked the bot; marked inactive", user_id)
            if user_id is not None:
                store.mark_inactive(user_id)
            return
        update_id = update.update_id if isinstance(update, Update) else None
        # Log first, so a failing apology cannot hide the original error. Never the message text; the
        # traceback is rendered here with the token masked, whatever logging filters are installed.
        trace = describe(context.error, context.bot.token)
        logger.error(
            "update %s user %s failed: %s\n%s", update_id, user_id, type(context.error).__name__, trace
        )
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        try:
            saved = store.is_done(update.update_id)
            if not saved:
                # Not replayed after a restart: the user is told it failed and can simply try again.
                store.mark_done(update.update_id)
        except sqlite3.Error:
            saved = False
        apology = apologies["unsent" if saved else "unsaved"]
        try:
            await context.bot.send_message(
                update.effective_chat.id, to_html(apology), parse_mode=ParseMode.HTML
            )
        except Exception:  # the apology is best effort; the error is already logged
            logger.warning("update %s: apology not delivered", update_id)

    application.add_error_handler(on_error)
