"""The one error handler: log with context, apologise to the user, stop talking to blocked users."""

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import Application, ContextTypes

from bot.store import Store
from bot.text import to_html

logger = logging.getLogger(__name__)


def install_error_handler(application: Application, store: Store, apology: str) -> None:
    """Register the error handler on *application*."""

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        user_id = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
        if isinstance(context.error, Forbidden):
            logger.info("user %s blocked the bot; marked inactive", user_id)
            if user_id is not None:
                store.mark_inactive(user_id)
            return
        update_id = update.update_id if isinstance(update, Update) else None
        # Log first, so a failing apology cannot hide the original error. Never the message text.
        logger.error("update %s user %s failed", update_id, user_id, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(
                    update.effective_chat.id, to_html(apology), parse_mode=ParseMode.HTML
                )
            except Exception:  # the apology is best effort; the error is already logged
                logger.warning("update %s: apology not delivered", update_id)

    application.add_error_handler(on_error)
