"""What a user did, independent of the channel it came from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A slash command such as /start, with its arguments."""

    name: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Text:
    """A typed message."""

    text: str


@dataclass(frozen=True)
class Button:
    """A pressed button, carrying its callback data exactly as received."""

    data: str


@dataclass(frozen=True)
class Unsupported:
    """Something the bot cannot read: a sticker, photo, voice message, document, ..."""

    what: str


Event = Command | Text | Button | Unsupported
