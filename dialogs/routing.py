"""The routing table: what the user did (a command, a button action, text) and where they are → one handler.

Read it like python-telegram-bot's `ConversationHandler(states={...}, fallbacks=[...])`: `STATES` lists
what only works in one place, `FALLBACKS` what works anywhere. Every handler has the signature of
`dialogs.dialog.Handler`. A button that has no route is stale.
"""

from dataclasses import replace
from datetime import date
from typing import Any

from dialogs import buttons, commands, faq, lifecycle, planning, questionnaire, review, typed
from dialogs.dialog import Dialog, Handler
from dialogs.errors import StaleButton
from dialogs.events import Button, Command, Event, Text, Unsupported
from dialogs.replies import Outcome
from dialogs.session import NEW, PLAN, SUMMARY, Session

ASKING = "asking"  # any question of the questionnaire

STATES: dict[str, dict[Any, Handler]] = {
    NEW: {
        "start": lifecycle.begin,
        buttons.Begin: lifecycle.begin,
    },
    ASKING: {
        buttons.Answer: questionnaire.answer,
        buttons.Toggle: questionnaire.toggle,
        buttons.Done: questionnaire.done,
        buttons.Skip: questionnaire.skip,
    },
    SUMMARY: {
        buttons.Edit: review.edit,
        buttons.ShowPlan: planning.show_plan,
    },
    PLAN: {
        buttons.Edit: review.edit,
        buttons.ShowPlan: planning.show_updated_plan,
    },
}


FALLBACKS: dict[Any, Handler] = {
    **commands.COMMANDS,
    Command: lifecycle.unknown_command,
    # buttons of the current prompt
    buttons.Back: questionnaire.go_back,
    buttons.Continue: lifecycle.resume,
    buttons.ConfirmRestart: lifecycle.confirm_restart,
    buttons.ConfirmDelete: lifecycle.confirm_delete,
    buttons.ConfirmReading: typed.confirm_reading,
    # buttons that work in any old message
    buttons.Topic: faq.topic,
    buttons.Page: faq.page,
    buttons.Rating: faq.rate,
    buttons.Reminder: planning.remind,
    buttons.PlanPart: planning.part,
    buttons.Document: planning.document,
    # messages
    Text: typed.read,
    Unsupported: lifecycle.unreadable,
}
CONFIRMATIONS = (buttons.ConfirmRestart, buttons.ConfirmDelete, buttons.ConfirmReading)


def where(d: Dialog, session: Session) -> str:
    """Return the routing state of *session*: ASKING for any question, else its own state."""
    return ASKING if d.asked(session) is not None else session.state


def handler_for(d: Dialog, session: Session, key: Any) -> Handler | None:
    """Return the handler for *key* (a command name, an action class, an event class) where *session* is."""
    return STATES.get(where(d, session), {}).get(key) or FALLBACKS.get(key)


def route(d: Dialog, session: Session, event: Event, today: date) -> Outcome:
    """Return the outcome of *event* from the one handler the table names for it."""
    if isinstance(event, Button):
        return _press(d, session, event.data, today)
    key = event.name if isinstance(event, Command) else type(event)
    handler = handler_for(d, session, key) or FALLBACKS.get(type(event))
    if handler is None:
        raise TypeError(f"unknown event {event!r}")
    return handler(d, session, event, today)


def _press(d: Dialog, session: Session, data: str, today: date) -> Outcome:
    """Check a button's turn stamp, then run its handler; a stamped press is remembered for double taps."""
    pressed = buttons.decode(data)
    stamped = pressed.turn is not None
    if stamped and pressed.turn != session.turn:
        if data == session.last_press:
            return Outcome(session, toast=d.msg("already_saved"))
        raise StaleButton
    handler = handler_for(d, session, type(pressed.action))
    # While a confirmation is open, only its own buttons (and those valid in any message) work.
    if handler is None or (stamped and session.pending and not isinstance(pressed.action, CONFIRMATIONS)):
        raise StaleButton
    outcome = handler(d, session, pressed.action, today)
    if not stamped:
        return outcome
    return replace(outcome, session=outcome.session.evolve(last_press=data))
