"""Button data: one frozen dataclass per action, written and read back by the same class.

The wire format is `<prefix>:<turn>:<argument>` for buttons that belong to one prompt (the turn
stamp makes a press on an older prompt recognisable) and `<prefix>:<argument>` for buttons that
stay valid in any old message (FAQ topics, plan parts, ratings). `encode` adds the stamp and
`decode` reads it, for every action, here and nowhere else. Telegram allows 64 bytes.
"""

from dataclasses import dataclass, fields
from typing import ClassVar, Self

from dialogs.errors import StaleButton

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_TURN_DIGITS = 9
MAX_PAGE_DIGITS = 3


@dataclass(frozen=True)
class Action:
    """A button's meaning; subclasses name their prefix and whether they carry the turn."""

    prefix: ClassVar[str]
    stamped: ClassVar[bool] = True

    def argument(self) -> str:
        """Return the text after the prefix (and turn); empty for actions without one."""
        return ""

    @classmethod
    def parse(cls, argument: str) -> Self:
        """Return the action for *argument*, or raise StaleButton when it does not fit."""
        if argument:
            raise StaleButton
        return cls()

    def encode(self, turn: int | None = None) -> str:
        """Return the callback data for this action, stamped with *turn* when the action needs it."""
        if self.stamped and turn is None:
            raise ValueError(f"{type(self).__name__} needs the turn of the prompt it belongs to")
        head = f"{self.prefix}:{turn}" if self.stamped else self.prefix
        argument = self.argument()
        return f"{head}:{argument}" if argument or not self.stamped else head

    @classmethod
    def owns(cls, data: str) -> bool:
        """Return True when *data* was written by this action."""
        return data.startswith(cls.prefix + ":")


@dataclass(frozen=True)
class Pressed:
    """A decoded press: the action and the turn it was stamped with (None for unstamped actions)."""

    action: Action
    turn: int | None


def _choice(argument: str, values: dict[str, bool]) -> bool:
    if argument not in values:
        raise StaleButton
    return values[argument]


@dataclass(frozen=True)
class _Named(Action):
    """An action whose argument is one name (an option value, a question or snippet id), as is."""

    def argument(self) -> str:
        (value,) = self.__dict__.values()  # the one field; dataclasses.fields() costs more per button
        return str(value)

    @classmethod
    def parse(cls, argument: str) -> Self:
        (field,) = fields(cls)
        return cls(**{field.name: argument})


# ----- a question's own buttons ------------------------------------------------------------------
@dataclass(frozen=True)
class Answer(_Named):
    """Pick one option of a single-choice question."""

    prefix = "ans"
    value: str


@dataclass(frozen=True)
class Toggle(_Named):
    """Tick or untick one option of a multi-select question."""

    prefix = "tog"
    value: str


@dataclass(frozen=True)
class Done(Action):
    """Confirm the ticks of a multi-select question."""

    prefix = "done"


@dataclass(frozen=True)
class Back(Action):
    """Go to the question before (or back to the summary while editing)."""

    prefix = "back"


@dataclass(frozen=True)
class Skip(Action):
    """Skip a skippable question."""

    prefix = "skip"


# ----- moving through the dialog ----------------------------------------------------------------
@dataclass(frozen=True)
class Begin(Action):
    """Start the questionnaire."""

    prefix = "begin"


@dataclass(frozen=True)
class Continue(Action):
    """Show the question still waiting (from the profile of an unfinished questionnaire)."""

    prefix = "go"


@dataclass(frozen=True)
class Edit(_Named):
    """Change one answer from the summary or the plan."""

    prefix = "edit"
    question: str


@dataclass(frozen=True)
class ShowPlan(Action):
    """Show the plan (from the summary, or the updated plan after a typed change)."""

    prefix = "plan"


# ----- confirmations ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ConfirmRestart(Action):
    """Answer "start over?"."""

    prefix = "rst"
    yes: bool

    def argument(self) -> str:
        return "y" if self.yes else "n"

    @classmethod
    def parse(cls, argument: str) -> Self:
        return cls(_choice(argument, {"y": True, "n": False}))


@dataclass(frozen=True)
class ConfirmDelete(ConfirmRestart):
    """Answer "delete my data?"."""

    prefix = "del"


@dataclass(frozen=True)
class ConfirmReading(ConfirmRestart):
    """Answer "did you mean ...?" for a typed value read with doubt."""

    prefix = "pass"


# ----- buttons valid in any old message ---------------------------------------------------------
@dataclass(frozen=True)
class Topic(_Named):
    """Open one FAQ topic."""

    prefix = "faq"
    stamped = False
    snippet: str


@dataclass(frozen=True)
class Page(Action):
    """Show one page of the FAQ topic list."""

    prefix = "faqp"
    stamped = False
    number: int

    def argument(self) -> str:
        return str(self.number)

    @classmethod
    def parse(cls, argument: str) -> Self:
        # isascii: int() would accept "²" and other Unicode digits.
        if not (argument.isascii() and argument.isdigit()) or len(argument) > MAX_PAGE_DIGITS:
            raise StaleButton
        return cls(int(argument))


@dataclass(frozen=True)
class Rating(Action):
    """Rate an FAQ answer or a plan part as helpful or not."""

    prefix = "rate"
    stamped = False
    item: str  # a snippet id, or "part-<key>" for a plan part
    helpful: bool

    def argument(self) -> str:
        return f"{self.item}:{int(self.helpful)}"

    @classmethod
    def parse(cls, argument: str) -> Self:
        item, _, value = argument.rpartition(":")
        return cls(item, _choice(value, {"1": True, "0": False}))

    @staticmethod
    def part_item(part: str) -> str:
        """Return the rated item for a plan part."""
        return f"part-{part}"


@dataclass(frozen=True)
class Reminder(Action):
    """Switch timeline reminders on or off."""

    prefix = "rem"
    stamped = False
    on: bool

    def argument(self) -> str:
        return "on" if self.on else "off"

    @classmethod
    def parse(cls, argument: str) -> Self:
        return cls(_choice(argument, {"on": True, "off": False}))


@dataclass(frozen=True)
class PlanPart(_Named):
    """Open one part of the plan, or the plan's first message again (`plan`)."""

    prefix = "part"
    stamped = False
    part: str


@dataclass(frozen=True)
class Document(Action):
    """Send the plan as a PDF."""

    prefix = "doc"
    stamped = False
    name: str = "plan"

    def argument(self) -> str:
        return self.name

    @classmethod
    def parse(cls, argument: str) -> Self:
        if argument != "plan":
            raise StaleButton
        return cls(argument)


@dataclass(frozen=True)
class Link(Action):
    """Open a URL; the adapter turns it into a URL button, so it never comes back as a press."""

    prefix = "url"
    stamped = False
    url: str

    def argument(self) -> str:
        return self.url

    @classmethod
    def target(cls, data: str) -> str:
        """Return the URL of a link button's data."""
        return data.removeprefix(cls.prefix + ":")


ACTIONS: tuple[type[Action], ...] = (
    Answer,
    Toggle,
    Done,
    Back,
    Skip,
    Begin,
    Continue,
    Edit,
    ShowPlan,
    ConfirmRestart,
    ConfirmDelete,
    ConfirmReading,
    Topic,
    Page,
    Rating,
    Reminder,
    PlanPart,
    Document,
)
BY_PREFIX = {action.prefix: action for action in ACTIONS}


def decode(data: str) -> Pressed:
    """Return the action and turn stamp of callback *data*; raise StaleButton for anything else."""
    prefix, _, rest = data.partition(":")
    action = BY_PREFIX.get(prefix)
    if action is None:
        raise StaleButton
    if not action.stamped:
        return Pressed(action.parse(rest), None)
    turn, _, argument = rest.partition(":")
    if not (turn.isascii() and turn.isdigit()) or len(turn) > MAX_TURN_DIGITS:
        raise StaleButton
    return Pressed(action.parse(argument), int(turn))
