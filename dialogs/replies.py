"""What the engine asks an adapter to show."""

from dataclasses import dataclass, field
from enum import StrEnum

from dialogs.buttons import Topic
from dialogs.session import Session


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


class Effect(StrEnum):
    """Work an outcome asks of the adapter beyond showing replies (bot/outcomes.py carries it out)."""

    ERASE = "erase"  # delete everything stored about the user
    EXPORT = "export"  # show everything stored about the user
    PLAN_DOCUMENT = "plan_document"  # send the plan as a PDF
    STANDING_IMAGE = "standing_image"  # send the "where you stand" picture
    REMINDERS = "reminders"  # reschedule the user's reminders


@dataclass(frozen=True)
class Outcome:
    """The result of one event: the session to store, what to show, and side effects for the adapter."""

    session: Session
    replies: tuple[Reply, ...] = ()
    toast: str | None = None  # short notice for the pressed button (callback answer)
    effects: frozenset[Effect] = field(default_factory=frozenset)
    unanswered: str | None = None  # question text with no confident answer, for the content log
    rating: tuple[str, bool] | None = None  # (rated item, helpful?) — stored without any message text


def coalesce(replies: tuple[Reply, ...] | list[Reply], limit: int = 3500) -> list[Reply]:
    """Merge a text-only reply into the message after it, so one event shows as fewer bubbles.

    "Noted." followed by the next question becomes one message; replies with buttons, plan parts and
    in-place edits keep their own message (text may still lead into a plan part). *limit* leaves room under Telegram's 4096 characters.
    """
    merged: list[Reply] = []
    for reply in replies:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.choices
            and not previous.edit
            and not reply.edit
            and previous.kind != "plan"  # each plan part stays one message of its own
            and len(previous.text) + len(reply.text) + 2 <= limit
        ):
            merged[-1] = Reply(
                f"{previous.text}\n\n{reply.text}",
                reply.choices,
                kind=reply.kind,
                snippet_ids=previous.snippet_ids + reply.snippet_ids,
            )
        else:
            merged.append(reply)
    return merged


def with_prompt(answer: Reply, bridge: str, prompt: Reply, limit: int = 3500) -> list[Reply]:
    """Put an answer and the pending question in one message when both fit, else keep two.

    The question's buttons come first (the dialog goes on); the answer's related topics follow, at
    most two rows; its rating row is left out, as the merged message is mostly the question.
    """
    body = answer.text.rsplit("\n\n", 1)[0] if answer.text.endswith(":") else answer.text  # no "Related:"
    text = f"{body}\n\n{bridge}\n\n{prompt.text}"
    if len(text) > limit or answer.edit or prompt.edit:
        return [answer, Reply(f"{bridge}\n\n{prompt.text}", prompt.choices, kind=prompt.kind)]
    topics = tuple(row for row in answer.choices if all(Topic.owns(c.data) for c in row))[:2]
    return [Reply(text, (*prompt.choices, *topics), kind=answer.kind, snippet_ids=answer.snippet_ids)]
