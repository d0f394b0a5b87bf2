"""What the engine asks an adapter to show."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choice:
    """One button: a label and the data it sends back."""

    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """One message: light Markdown text plus rows of buttons."""

    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    # Replace the message whose button was pressed instead of sending a new one (multi-select toggles).
    edit: bool = False
    kind: str = "text"  # text | question | faq | plan | summary
    snippet_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The result of one event: the session to store, what to show, and side effects for the adapter."""

    session: "object"
    replies: tuple[Reply, ...] = ()
    toast: str | None = None  # short notice for the pressed button (callback answer)
    # Work for the adapter: "erase", "export", "plan_document", "standing_image", "reminders".
    effects: frozenset[str] = field(default_factory=frozenset)
    unanswered: str | None = None  # question text with no confident answer, for the content log
    rating: tuple[str, bool] | None = None  # (rated item, helpful?) — stored without any message text
