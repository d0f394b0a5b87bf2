"""The summary of answers: /profile, and changing one answer from the summary or the plan."""

from datetime import date

from dialogs import buttons, rules, views
from dialogs.dialog import Dialog
from dialogs.errors import StaleButton
from dialogs.replies import Choice, Outcome, Reply
from dialogs.session import SUMMARY, Session


def profile(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Show the answers so far: the summary when complete, else a list and a button to continue."""
    if not session.answers:
        return Outcome(session, (Reply(d.msg("profile_empty")),))
    if rules.is_complete(d.questions, session.answers) and session.state != SUMMARY:
        session = d.move(session, "review")
    if session.state == SUMMARY:
        session = session.evolve(pending=None)
        return Outcome(session, (views.summary_reply(d.library, session, "profile_title"),))
    lines = [d.msg("profile_title"), *views.answers_lines(d.library, session.answers)]
    lines += ["", d.msg("profile_incomplete")]
    cont = ((Choice(d.msg("continue_button"), buttons.Continue().encode(session.turn)),),)
    return Outcome(session, (Reply("\n".join(lines), cont, kind="summary"),))


def edit(d: Dialog, session: Session, action: buttons.Edit, today: date) -> Outcome:
    """Open one question again to change its answer; the machine refuses one that does not apply."""
    if not d.mover.may(session, "edit", question=action.question):
        raise StaleButton  # a question that does not apply, or one from another version
    session = d.move(session, "edit", chosen=action.question, editing=True)
    return d.show(session)
