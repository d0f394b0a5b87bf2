"""The adapters: Telegram (python-telegram-bot), the terminal chat, the outcome applier both use, storage, settings.

Everything channel- or I/O-specific lives here; the conversation logic stays in `dialogs/`.
"""

import os

# Opt in to python-telegram-bot's timedelta durations (retry_after etc.) now, as its next major version
# will; otherwise every 429 logs a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")
