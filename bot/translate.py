"""Translate a Telegram update into a dialog event (and where to reply)."""

from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType

from dialogs.events import Button, Command, Event, Text, Unsupported

MAX_CALLBACK = 64  # Telegram's own limit; anything longer is forged


@dataclass(frozen=True)
class Incoming:
    """One update, reduced to what the handler needs."""

    user_id: int
    chat_id: int
    event: Event
    private: bool
    update_id: int


def _command(text: str, bot_username: str | None) -> Command:
    head, *args = text.split()
    name, _, target = head[1:].partition("@")
    if target and bot_username and target.lower() != bot_username.lower():
        name = ""  # a command for another bot in a group
    return Command(name.lower(), tuple(args[:3]))


def incoming(update: Update, bot_username: str | None = None) -> Incoming | None:
    """Return the event carried by *update*, or None for updates the advisor ignores."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    # In a private chat the chat is the user; anything else is treated like a group.
    private = chat.type == ChatType.PRIVATE and chat.id == user.id
    event: Event
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        event = Button(data[: MAX_CALLBACK + 1])
    elif update.message is not None:
        message = update.message
        if message.text is not None:
            # A lone surrogate is valid JSON but not UTF-8; SQLite and Telegram would refuse it later.
            text = message.text.encode("utf-8", "replace").decode("utf-8")
            event = (
                _command(text, bot_username) if text.startswith("/") and text.strip() != "/" else Text(text)
            )
        else:
            kinds = (
                "sticker",
                "photo",
                "voice",
                "video",
                "document",
                "audio",
                "location",
                "contact",
                "animation",
            )
            what = next((k for k in kinds if getattr(message, k, None)), "other")
            event = Unsupported(what)
    elif update.edited_message is not None:
        event = Unsupported("edit")
    else:
        return None
    return Incoming(user.id, chat.id, event, private, update.update_id)
