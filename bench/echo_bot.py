"""The production run's reference: a bare python-telegram-bot echo bot with AIORateLimiter, polling.

TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot python -m bench.echo_bot
"""

import os

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    message = update.message  # allowed_updates=["message"] and filters.TEXT: a message with text
    assert message is not None and message.text is not None
    await message.reply_text(message.text)


def main() -> None:
    """Poll until SIGTERM, as PTB's own echo example does, plus Telegram's rate limits."""
    app = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .rate_limiter(AIORateLimiter())
        # Sequential, each send would wait out the limiter's 1/30 s before the next update starts, so
        # the echo bot would fall short of the ~30 messages a second the advisor (64 at once) reaches.
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=["message"])


if __name__ == "__main__":
    main()
