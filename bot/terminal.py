"""A terminal chat on the same engine and database: for trying the bot without Telegram."""

import asyncio
import json
import re
import string
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from bot.outcomes import OutcomeApplier
from bot.store import Store
from bot.text import to_plain
from dialogs import buttons
from dialogs.engine import Engine
from dialogs.errors import StaleButton
from dialogs.events import Button, Command, Event, Text
from dialogs.replies import Reply, coalesce
from dialogs.session import Session

LOCAL_USER = 1  # the terminal chat stores its one user under this id
LETTERS = string.ascii_lowercase


_SEVERAL = re.compile(r"\s*(?:,|\band\b|&|\+|\s)\s*")  # "a, d", "b and c", "a d"


def _ticks(data: str) -> bool:
    """Return whether a button's callback data ticks an option of a multi-choice question."""
    try:
        return isinstance(buttons.decode(data).action, buttons.Toggle)
    except StaleButton:
        return False


def _labels() -> Iterator[str]:
    """Yield a, b, ..., z, aa, ab, ...: as many option letters as a turn needs."""
    yield from LETTERS
    for first in LETTERS:
        for second in LETTERS:
            yield first + second


class TerminalChat:
    """Read lines from *stdin*, show replies on *stdout*, choices as lettered options."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        clock: Callable[[], date] = date.today,
        output_dir: Path = Path("plans"),
    ) -> None:
        self.engine, self.store = engine, store
        self.stdin, self.stdout = stdin, stdout
        self.clock = clock
        self.output_dir = output_dir
        self.applier = OutcomeApplier(engine, store, clock)
        self.options: dict[str, str] = {}

    def show(self, replies: tuple[Reply, ...] | list[Reply]) -> None:
        """Print *replies* with every button lettered. The last message's buttons (the question on
        screen) always start at "a", so the letters a user learns stay put; buttons of the messages
        before it (an FAQ's related topics, a "Did you mean") continue after them."""
        self.options = {}
        messages = coalesce(replies)
        labels = _labels()
        lettered: dict[int, list[str]] = {}
        for index in sorted(range(len(messages)), key=lambda i: i != len(messages) - 1):
            lettered[index] = [next(labels) for row in messages[index].choices for _ in row]
        for index, reply in enumerate(messages):
            self.stdout.write("\n" + to_plain(reply.text) + "\n")
            choices = [c for row in reply.choices for c in row]
            for letter, choice in zip(lettered[index], choices, strict=True):
                self.options[letter] = choice.data
                self.stdout.write(f"  {letter}) {to_plain(choice.label)}\n")
        self.stdout.flush()

    def event_for(self, line: str) -> Event:
        """Return the event a typed line stands for: an option letter, a command or text."""
        key = line.strip().lower().rstrip(")")
        if key in self.options:
            return Button(self.options[key])
        if line.startswith("/") and line.strip() != "/":
            head, *args = line.split()
            return Command(head[1:].lower(), tuple(args))
        return Text(line)

    def several_letters(self, line: str) -> list[str]:
        """Return the option letters of a line that ticks several options of a multi-choice question
        ("a, d", "b and c"), else [] (several letters never answer several questions at once)."""
        letters = [part.rstrip(")") for part in _SEVERAL.split(line.strip().lower()) if part]
        if len(letters) < 2 or not all(letter in self.options for letter in letters):
            return []
        return letters if all(_ticks(self.options[letter]) for letter in letters) else []

    def step(self, event: Event) -> None:
        """Apply one event: engine, then the shared outcome applier (store, then show here)."""
        session = self.store.load(LOCAL_USER) or Session(user_id=LOCAL_USER)
        outcome = self.engine.handle(session, event, self.clock())
        if not self.applier.persist(LOCAL_USER, 0, None, outcome):
            self.show([Reply(self.engine.library.message("sorry"))])
            return
        asyncio.run(self.applier.show(TerminalSurface(self), outcome))

    def run(self) -> None:
        """Chat until end of input or /quit."""
        self.stdout.write(
            "Med-Psych Advisor — terminal chat. Type a letter to pick an option, type answers or questions,"
            " /help for commands, /quit to leave.\n"
        )
        self.step(Command("start"))
        while True:
            self.stdout.write("\n> ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line or line.strip() in ("/quit", "/exit"):
                self.stdout.write("\nBye. Your answers are saved; run the same command to continue.\n")
                return
            if not line.strip():
                continue
            several = self.several_letters(line)
            for letter in several:  # pressed one after another; each press redraws the options
                if letter in self.options:
                    self.step(Button(self.options[letter]))
            if not several:
                self.step(self.event_for(line.rstrip("\n")))


class TerminalSurface:
    """Shows an outcome in the terminal: text, lettered options, and files saved under output_dir."""

    def __init__(self, chat: TerminalChat) -> None:
        self.chat = chat

    async def notice(self, text: str | None, replies_follow: bool) -> None:
        """Print a button's short notice when nothing else answers it."""
        if text and not replies_follow:
            self.chat.stdout.write(f"\n({text})\n")

    async def show(self, replies: list[Reply]) -> None:
        """Print the replies."""
        self.chat.show(replies)

    async def export(self, data: dict[str, Any]) -> None:
        """Print everything stored, as JSON."""
        self.chat.stdout.write("\n" + json.dumps(data, indent=1) + "\n")

    async def picture(self, png: bytes, caption: str) -> None:
        """Save the picture and say where."""
        path = self.chat.output_dir / "where-you-stand.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        self.chat.stdout.write(f"\n[Picture: {caption.rstrip('.')}. Saved as {path}]\n")

    async def document(self, pdf: bytes, caption: str) -> None:
        """Save the PDF and say where."""
        path = self.chat.output_dir / f"med-psych-plan-{self.chat.clock().isoformat()}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        self.chat.stdout.write(
            "\n" + self.chat.engine.library.message("plan_document_saved", path=path) + "\n"
        )
