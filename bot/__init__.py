"""The adapters: Telegram (python-telegram-bot), the terminal chat, storage and settings.

Everything channel- or I/O-specific lives here; the conversation logic stays in `dialogs/`.
"""
