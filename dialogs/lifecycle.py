"""Around the questionnaire: start, help, start over, delete, cancel, export, and their confirmations."""

from datetime import date

from dialogs import buttons, faq, rules
from dialogs.dialog import Dialog
from dialogs.errors import StaleButton
from dialogs.events import Command, Unsupported
from dialogs.replies import Effect, Outcome, Reply
from dialogs.session import FINISHED, NEW, Session


def begin(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Welcome a new user and ask the first question (/start, or the Start button)."""
    replies = [*faq.deep_link(d, event), Reply(d.msg("welcome"))]
    return d.show(d.move(session, "begin"), replies)


def welcome_back(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Greet a returning user (/start) and show where they are."""
    session = session.evolve(pending=None)
    # Nothing answered yet (a second /start right after the first): no "your answers are saved".
    key = "welcome_done" if session.state in FINISHED else "welcome_back" if session.answers else "welcome"
    return d.show(session, [*faq.deep_link(d, event), Reply(d.msg(key))])


def show_help(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Explain the commands, then show where the user is (/help)."""
    if session.state == NEW:
        return Outcome(session, (Reply(d.msg("help")),))
    return d.show(session, [Reply(d.msg("help"))])


def unknown_command(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Say the command is unknown and list the ones there are."""
    return Outcome(session, (Reply(d.msg("unknown_command") + "\n\n" + d.msg("help")),))


def unreadable(d: Dialog, session: Session, event: Unsupported, today: date) -> Outcome:
    """Say what the bot cannot read (an edited message, a sticker, ...) and show where the user is."""
    return d.show(session, [Reply(d.msg("edited" if event.what == "edit" else "not_text"))])


def export(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Ask the adapter to send the user's stored data (/mydata)."""
    return Outcome(session, effects=frozenset({Effect.EXPORT}))


def resume(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Show the question still waiting (the profile's Continue button)."""
    return d.show(session)


def ask_restart(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Ask before forgetting every answer (/restart); a user with none simply starts."""
    if session.state == NEW and not session.answers:
        return begin(d, session, Command("start"), today)
    return d.show(session.evolve(pending="restart", turn=session.turn + 1))


def ask_delete(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Ask before erasing everything stored about the user (/delete)."""
    return d.show(session.evolve(pending="delete", turn=session.turn + 1))


def _kept(d: Dialog, session: Session) -> Outcome:
    return d.show(session.evolve(pending=None, turn=session.turn + 1), [Reply(d.msg("kept"))])


def confirm_restart(d: Dialog, session: Session, action: buttons.ConfirmRestart, today: date) -> Outcome:
    """Start over (yes) or keep the answers (no)."""
    if session.pending != "restart":
        raise StaleButton
    if not action.yes:
        return _kept(d, session)
    session = d.move(session.evolve(answers={}), "restart", editing=False)
    return d.show(session, [Reply(d.msg("restarted"))])


def confirm_delete(d: Dialog, session: Session, action: buttons.ConfirmDelete, today: date) -> Outcome:
    """Erase the user's data (yes) or keep it (no)."""
    if session.pending != "delete":
        raise StaleButton
    if not action.yes:
        return _kept(d, session)
    fresh = Session(user_id=session.user_id, turn=session.turn + 1)
    return Outcome(fresh, (Reply(d.msg("erased")),), effects=frozenset({Effect.ERASE}))


def cancel(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Close an open confirmation or leave an edit for the summary (/cancel)."""
    if session.pending:
        return _kept(d, session)
    asked = d.asked(session) is not None
    # Leave an edit for the summary only when no follow-up it opened (e.g. "passed since?") is open.
    if session.editing and asked and rules.is_complete(d.questions, session.answers):
        return d.show(d.move(session, "review"), [Reply(d.msg("edit_left"))])
    return Outcome(session, (Reply(d.msg("cancelled" if asked else "cancel_nothing")),))
