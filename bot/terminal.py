"""A terminal chat on the same engine and database: for trying the bot without Telegram."""

import json
import string
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.reminders import Reminders
from bot.store import Store
from bot.text import to_plain
from dialogs.engine import Engine
from dialogs.events import Button, Command, Event, Text
from dialogs.replies import Reply, coalesce
from dialogs.session import Session

LOCAL_USER = 1  # the terminal chat stores its one user under this id
LETTERS = string.ascii_lowercase


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
        self.reminders = Reminders(engine, store, clock)
        self.options: dict[str, str] = {}

    def show(self, replies: tuple[Reply, ...] | list[Reply]) -> None:
        """Print *replies*, numbering the buttons of the last one that has any."""
        self.options = {}
        for reply in coalesce(replies):
            self.stdout.write("\n" + to_plain(reply.text) + "\n")
            if reply.choices:
                self.options = {}
                for letter, choice in zip(LETTERS, [c for row in reply.choices for c in row], strict=False):
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

    def step(self, event: Event) -> None:
        """Apply one event: engine, store, show."""
        session = self.store.load(LOCAL_USER) or Session(user_id=LOCAL_USER)
        outcome = self.engine.handle(session, event, self.clock())
        if "erase" in outcome.effects:
            self.store.erase(LOCAL_USER)
        else:
            if outcome.unanswered:
                self.store.log_unanswered(LOCAL_USER, outcome.unanswered)
            if outcome.rating:
                self.store.record_rating(LOCAL_USER, *outcome.rating)
            self.store.save(outcome.session, chat_id=0)
            if "reminders" in outcome.effects:
                self.reminders.reschedule(outcome.session)
        if outcome.toast and not outcome.replies:
            self.stdout.write(f"\n({outcome.toast})\n")
        if "export" in outcome.effects:
            self.stdout.write("\n" + json.dumps(self.store.export(LOCAL_USER), indent=1) + "\n")
        self.show(outcome.replies)
        self.write_files(outcome)

    def write_files(self, outcome) -> None:
        """Save the PDF and the picture the outcome asks for, and say where."""
        from bot.documents import cached_plan_pdf  # only needed once a plan is shown
        from bot.standing_image import standing_png

        answers = outcome.session.answers
        library = self.engine.library
        if "standing_image" in outcome.effects:
            path = self.output_dir / "where-you-stand.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(standing_png(answers["ck"], answers.get("ck_retake")))
            self.stdout.write(f"\n({library.message('standing_caption')} Saved as {path})\n")
        if "plan_document" in outcome.effects:
            path = self.output_dir / f"med-psych-plan-{self.clock().isoformat()}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(cached_plan_pdf(library, answers, self.clock(), self.engine.season_open_month))
            self.stdout.write("\n" + library.message("plan_document_saved", path=path) + "\n")

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
            if line.strip():
                self.step(self.event_for(line.rstrip("\n")))
