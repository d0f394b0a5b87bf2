"""The plan: /plan and its button, the plan's parts, the PDF, the timeline and reminders."""

from datetime import date

from dialogs import buttons, plan_view, rules
from dialogs.dialog import Dialog
from dialogs.events import Command
from dialogs.plan import build_plan, first_step_text, timeline_reply
from dialogs.replies import Effect, Outcome, Reply
from dialogs.session import SUMMARY, Session


def open_plan(d: Dialog, session: Session, today: date, before: tuple[Reply, ...] = ()) -> Outcome:
    """Show the plan's first message, with the picture and reminders it brings along."""
    replies = (*before, *build_plan(d.library, session.answers, today, d.season_open_month))
    effects: frozenset[Effect] = frozenset()
    if session.answers.get("ck") not in (None, "not_taken"):
        effects = frozenset({Effect.STANDING_IMAGE})
    if session.reminders:  # answers may have changed the dates
        effects |= {Effect.REMINDERS}
    return Outcome(session, replies, effects=effects)


def first_step(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Answer "what should I do first?": the one step to start with, from the user's own plan."""
    if not _complete(d, session):
        return d.show(session, [Reply(d.msg("plan_not_ready"))])
    text = first_step_text(d.library, session.answers, today, d.season_open_month)
    return Outcome(session, (Reply(text),))


def _complete(d: Dialog, session: Session) -> bool:
    return rules.is_complete(d.questions, session.answers)


def plan(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Show the plan once every question that applies is answered (/plan)."""
    if not _complete(d, session):
        return d.show(session, [Reply(d.msg("plan_not_ready"))])
    if session.state != SUMMARY:
        session = d.move(session, "review")
    return open_plan(d, d.move(session, "show_plan"), today)


def show_plan(d: Dialog, session: Session, action: buttons.ShowPlan, today: date) -> Outcome:
    """Go from the summary to the plan (the summary's plan button)."""
    return open_plan(d, d.move(session, "show_plan"), today)


def show_updated_plan(d: Dialog, session: Session, action: buttons.ShowPlan, today: date) -> Outcome:
    """Show the plan again after typed answers changed it ("Show my updated plan")."""
    return open_plan(d, session.evolve(turn=session.turn + 1), today)


def part(d: Dialog, session: Session, action: buttons.PlanPart, today: date) -> Outcome:
    """Open one part of the plan."""
    complete = _complete(d, session)
    return plan_view.open_part(d.library, session, action.part, today, d.season_open_month, complete=complete)


def document(d: Dialog, session: Session, action: buttons.Document, today: date) -> Outcome:
    """Ask the adapter to send the plan as a PDF."""
    if not _complete(d, session):
        return d.show(session, [Reply(d.msg("plan_not_ready"))])
    return Outcome(session, effects=frozenset({Effect.PLAN_DOCUMENT}))


def timeline(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Show the dated timeline (/timeline)."""
    if "timing" not in session.answers:
        return d.show(session, [Reply(d.msg("needs_timing"))])
    return Outcome(session, (timeline_reply(d.library, session.answers, today, d.season_open_month),))


def remind(d: Dialog, session: Session, event: Command | buttons.Reminder, today: date) -> Outcome:
    """Switch timeline reminders on or off (/remind on|off, or the timeline's button)."""
    if isinstance(event, buttons.Reminder):
        setting = event.argument()
    else:
        setting = event.args[0].lower() if event.args else ""
    if setting not in ("on", "off"):
        return Outcome(session, (Reply(d.msg("remind_usage")),))
    if setting == "on" and "timing" not in session.answers:
        return d.show(session, [Reply(d.msg("needs_timing"))])
    session = session.evolve(reminders=setting == "on")
    key = "reminders_on" if session.reminders else "reminders_off"
    return Outcome(session, (Reply(d.msg(key)),), effects=frozenset({Effect.REMINDERS}))
