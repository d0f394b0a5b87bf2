"""Answering the questions: pick, tick, skip, go back, and move on to what is still open."""

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from content.model import Question
from dialogs import buttons, planning, rules, views
from dialogs.dialog import Dialog
from dialogs.errors import StaleButton
from dialogs.plan_changes import plan_changes
from dialogs.replies import Effect, Outcome, Reply
from dialogs.session import FINISHED, PLAN, Session

logger = logging.getLogger(__name__)


def _option(question: Question, wire: str) -> Any:
    """Return the option value a button's text stands for, or raise StaleButton."""
    option = next((o for o in question.options if str(o.value) == wire), None)
    if option is None:
        raise StaleButton
    return option.value


def _asked(d: Dialog, session: Session, multi: bool) -> Question:
    question = d.asked(session)
    if question is None or (question.kind == "multi") != multi:
        raise StaleButton
    return question


def answer(d: Dialog, session: Session, action: buttons.Answer, today: date) -> Outcome:
    """Store the option pressed for a single-choice question and show what comes next."""
    question = _asked(d, session, multi=False)
    return give(d, session, question, _option(question, action.value))


def toggle(d: Dialog, session: Session, action: buttons.Toggle, today: date) -> Outcome:
    """Tick or untick one option of a multi-select question, in place."""
    question = _asked(d, session, multi=True)
    value = _option(question, action.value)
    draft = list(session.draft)
    if value in draft:
        draft = question.without(draft, value)
    elif value in question.exclusive:
        draft = [value]
    else:
        draft = [v for v in draft if v not in question.exclusive] + [value]
    session = session.evolve(draft=tuple(question.with_implied(draft)))
    (reply,) = d.prompt(session)
    return Outcome(session, (Reply(reply.text, reply.choices, edit=True, kind=reply.kind),))


def done(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Store the ticks of a multi-select question (at least one) and show what comes next."""
    question = _asked(d, session, multi=True)
    if not session.draft:
        return d.show(session, toast=d.msg("multi_empty"))
    return give(d, session, question, list(session.draft))


def skip(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Skip the question asked, when it may be skipped; otherwise show it again."""
    question = d.asked(session)
    if question is None or not d.mover.may(session, "skip"):
        return d.show(session)
    value = list(question.skip_value) if isinstance(question.skip_value, list) else question.skip_value
    return give(d, session, question, value, trigger="skip")


def go_back(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Go where the machine says Back leads (the question before, or the summary); else stay."""
    if not d.mover.may(session, "go_back"):  # nothing before the first question
        first = [Reply(d.msg("back_first"))] if d.asked(session) is not None else []
        return d.show(session, first)
    return d.show(d.move(session, "go_back"))


def give(d: Dialog, session: Session, question: Question, value: Any, trigger: str = "answer") -> Outcome:
    """Store *value* for *question*, drop answers that no longer apply, and move on."""
    answers = rules.prune(d.questions, {**session.answers, question.id: value})
    session = d.move(session.evolve(answers=answers), trigger)
    before = [Reply(d.msg("citizen_note"))] if question.id == "visa" and value == "none" else []
    logger.debug("user %s: answered %s", session.user_id, question.id)
    return d.show(session, before)


def fill(
    d: Dialog,
    session: Session,
    today: date,
    before: list[Reply],
    changed: bool,
    ticks: dict[str, Any] | None = None,
    previous: dict[str, Any] | None = None,
) -> Outcome:
    """Move to the first question still open, or back to the summary or plan the user was at.

    *ticks*: options already named for a multi-choice question, ticked when it is the one asked;
    *previous*: the answers before this change, to say what it changed in the plan."""
    dest = d.mover.move(session, "fill")
    if dest == PLAN and not changed:
        if not before:
            return planning.open_plan(d, session, today)
        if not before[-1].choices:  # "OK, I didn't save that.": the plan stays one tap away
            before = [*before[:-1], replace(before[-1], choices=((views.plan_button(d.library, session),),))]
        return Outcome(session, tuple(before))
    if dest == PLAN:
        session = session.evolve(turn=session.turn + 1)
        button = views.updated_plan_button(d.library, session)
        effects = frozenset({Effect.REMINDERS}) if session.reminders else frozenset()
        note = d.msg("plan_updated")
        if previous is not None:
            lines = plan_changes(d.library, previous, session.answers, today, d.season_open_month)
            listed = "\n".join(f"- {line}" for line in lines)
            note += "\n\n" + (
                f"{d.msg('plan_changes_title')}\n{listed}" if lines else d.msg("plan_change_none")
            )
        return Outcome(session, (*before, Reply(note, ((button,),))), effects=effects)
    if dest == session.state and d.asked(session) is not None:
        return d.show(session, before)
    was_done = session.state in FINISHED or session.editing
    arrived = d.by_state.get(dest)
    named = (ticks or {}).get(arrived.id) if arrived is not None else None
    draft: dict[str, Any] = {}
    if named and arrived is not None and arrived.id not in session.answers:
        # "2 letters, one from psych": the writer named is ticked, the others are asked for
        draft = {"draft": tuple(named)}
        labels = {o.value: o.label for o in arrived.options}
        note = d.msg("ticked_so_far", named=", ".join(labels[v] for v in named if v in labels))
        before = (
            [replace(before[0], text=f"{before[0].text}\n{note}"), *before[1:]]  # under "Got it: ..."
            if before
            else [Reply(note)]
        )
    return d.show(d.move(session, "fill", editing=was_done, **draft), before)
