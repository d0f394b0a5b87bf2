"""Typed messages: read by `dialogs.interpret`, then applied here as answers, corrections, navigation
words, confirmations, small talk or a question for the FAQ."""

import logging
import re
from dataclasses import replace
from datetime import date
from typing import Any

from content.model import FEELING_INTENT
from dialogs import (
    buttons,
    commands,
    doubt,
    faq,
    lifecycle,
    planning,
    questionnaire,
    review,
    rules,
    timeline,
    views,
)
from dialogs.dialog import Dialog
from dialogs.errors import StaleButton
from dialogs.events import Text
from dialogs.interpret import Reading
from dialogs.replies import Outcome, Reply
from dialogs.session import FINISHED, PLAN, SUMMARY, Session

logger = logging.getLogger(__name__)

MAX_TEXT = 4000  # longer messages are cut before parsing or searching; Telegram allows 4096

# refusals whose reply says why nothing was stored ("Until the green card is in your hand, ...")
_SAID_WHY = (
    "home_letters",
    "rough_amount",
    "test_to_come",
    "status_to_come",
    "native_english",
    "share_over_total",
    "letters_range",
    "usce_to_come",
)


def read(d: Dialog, session: Session, event: Text, today: date) -> Outcome:
    """Act on what a typed message means, wherever the user is."""
    text = event.text[:MAX_TEXT]
    question = d.asked(session)
    destructive = session.pending in ("restart", "delete")  # "Start over?" / "Erase everything?"
    # There a word like "no" answers the prompt, not the question.
    focus = question.id if question and not destructive else None
    if session.pending == "doubt" and session.doubt is not None:
        # While "Did you mean ...?" is open the confirmation is what waits: "no, 223" at "CK 213?" is
        # about the CK, and a bare number at any other confirmation answers nothing.
        # "no!! i PASSED after failing once" at "Did you mean: Step 1: Failed?" (asked at Step 1) answers
        # Step 1; a doubt about another question leaves the one on screen to be answered.
        about = session.doubt[0]
        on_screen = question is not None and question.id == about
        numeric = any(c.isdigit() for c in text)
        if about in ("ck", "ck_retake") or (on_screen and not numeric):
            focus = about
        elif on_screen:
            focus = None  # "225" at "Change USCE to Another specialty?" answers nothing
    reading = d.interpreter.read(
        text, focus, session.answers, today, confirming=bool(session.pending), destructive=destructive
    )
    logger.debug("user %s: typed text read as %s in %s", session.user_id, reading.kind, session.state)
    if session.pending == "doubt" and session.doubt is not None:
        qid, value = session.doubt
        # a date settles it even after a "no" ("no, i took it in may 2021 and i passed")
        if doubt.question_kind(qid, value) == doubt.PASS_DATE:
            before = d.interpreter.taken_before(text, doubt.rise_for(value)[0])  # "took it oct 2025"
            if before is not None:
                return confirm_reading(d, session, buttons.ConfirmReading(before), today)
    if reading.kind == "confirm" and not reading.answer and session.pending == "doubt" and session.doubt:
        remainder = d.interpreter.without_leading_no(text)
        if remainder != text and d.interpreter.opens_with_no(text):
            # "no, passed on third try" at "Did you mean: Step 1: Failed?": the no declines it, and what
            # follows answers the question the doubt was about
            about = session.doubt[0]
            again = d.interpreter.read(remainder, about, session.answers, today)
            if again.kind == "answers" and (again.facts or again.doubt):
                kept = session.evolve(pending=None, turn=session.turn + 1)
                return apply_facts(d, kept, dict(again.facts), dict(again.doubt), today)
    if reading.kind == "confirm":
        return _confirmation(d, session, bool(reading.answer), today)
    if destructive:
        # Nothing is cleared or erased on anything but a clear yes: a question, a doubt ("hmm not
        # sure") or another move word keeps the confirmation open and says what it would do.
        if reading.kind == "move" and reading.move in ("cancel", "back"):
            return _confirmation(d, session, False, today)
        if reading.kind == "answers" and d.interpreter.opens_with_no(text):
            # "nah no keep it. i have a completed QI project": the no keeps everything, then the answer
            # is read where the user was
            kept = session.evolve(pending=None, turn=session.turn + 1)
            rest = Text(d.interpreter.without_leading_no(text))  # the "no" answers the prompt, not a question
            outcome = read(d, kept, rest, today)
            return replace(outcome, replies=(Reply(d.msg(f"declined_{session.pending}")), *outcome.replies))
        if reading.kind not in ("move", "small_talk"):
            key = "confirm_first" if reading.kind == "answers" else f"explain_{session.pending}"
            return d.show(session, [Reply(d.msg(key))])
        if reading.kind == "move":  # "help" (or "menu") there is "what happens if I say yes?"
            key = f"explain_{session.pending}" if reading.move in ("help", "menu") else "confirm_first"
            return d.show(session, [Reply(d.msg(key))])
    if reading.kind == "edit":
        return _edit(d, session, reading.intent or "", today)
    if reading.kind == "part":
        if session.state in FINISHED and reading.intent == "pdf":
            return planning.document(d, session, buttons.Document(), today)
        if session.state in FINISHED:
            return planning.part(d, session, buttons.PlanPart(reading.intent or ""), today)
        return faq.answer_question(d, session, text)  # "timeline" before the plan exists: ask the FAQ
    asked = _asked_beside_help(d, text) if reading.kind == "move" and reading.move == "help" else None
    if asked is not None:
        # "what happens if I don't match, what do I do then": the words of help beside a question the
        # FAQ answers outright ask that question, not how the bot works
        return faq.answer_question(d, session, asked)
    if reading.kind == "move":
        outcome = _move(d, session, reading.move or "", event, today)
        if reading.intent == FEELING_INTENT:  # "I'm overwhelmed. What should I do first?"
            outcome = replace(outcome, replies=(_worry_line(d), *outcome.replies))
        return outcome
    # A question ("what does that mean for my chances?" at "Did you take it before 1 July 2025?") is
    # answered below with the confirmation, and the value it holds, still open; anything else closes it.
    closes = session.pending == "doubt" and reading.kind not in ("question", "glossary")
    left: list[Reply] = []
    if closes and session.doubt is not None and session.doubt[0] not in reading.facts:
        # Typing on instead of answering "Did you mean ...?" leaves that value as it was: say so.
        qid = session.doubt[0]
        left = (
            [Reply(d.msg("kept_answer", facts=_describe(d, {qid: session.answers[qid]})))]
            if qid in session.answers
            else []
        )
    if closes:
        session = session.evolve(pending=None, doubt=None)
    if reading.kind == "small_talk":
        key = d.library.understanding.small_talk[reading.intent or ""][0]
        return d.show(session, [*left, Reply(d.msg(key))])
    if reading.kind == "glossary":
        return d.show(session, [Reply(d.library.understanding.glossary[reading.intent or ""])])
    if (
        reading.kind == "question"
        and reading.refused in _SAID_WHY
        and d.matcher.match(text).status != "answer"
    ):
        # "my green card interview is in march, what should i pick?": the reason it is no answer yet
        # is the reply, not "I'm not confident I can answer that"
        return d.show(session, [Reply(d.msg(reading.refused))])
    if (
        reading.kind == "question"
        or _only_restates(d, session, reading, text)
        or _asks_about_stored(session, reading, text)
    ):
        outcome = faq.answer_question(d, session, text, guessed=reading.guessed)
        if reading.kind == "question" and reading.intent is not None and outcome.replies:
            # the word for the feeling opens the answer, in the same message
            feeling = d.msg(d.library.understanding.small_talk[reading.intent][0])
            first = outcome.replies[0]
            outcome = replace(
                outcome, replies=(replace(first, text=f"{feeling}\n\n{first.text}"), *outcome.replies[1:])
            )
        return outcome
    if reading.kind == "unclear" and reading.answer and session.state in FINISHED:
        return planning.plan(d, session, event, today)  # "yes" at the summary or the plan: show it
    if reading.facts or reading.doubt:
        facts, doubtful = dict(reading.facts), dict(reading.doubt)
        if not reading.corrects:
            # Changing an earlier answer without saying so ("wait", "actually", "I meant") is
            # confirmed with one tap: a misread answer must never silently replace a given one.
            asked = focus  # the question on screen, or the one a "Did you mean ...?" is about
            changes = [k for k, v in facts.items() if k != asked and _replaces(session.answers, k, v)]
            if changes and not doubtful:
                doubtful[changes[0]] = facts[changes[0]]
            for key in changes:
                del facts[key]
        # the FAQ beside the answers speaks to what is stored, not to a change still to confirm
        # a question beside the answer to the question on screen is likely about it ("219, is that a pass?")
        topic_of = (focus,) if focus is not None and (focus in facts or focus in doubtful) else ()
        asked_part = d.interpreter.asked_part(text) if reading.asks else ""
        asked_at = text.lower().rfind(asked_part.lower()) if asked_part else -1
        named = d.interpreter.last_named(text[:asked_at]) if asked_at > 0 else None
        if named is not None and named != focus and (named in facts or named in doubtful):
            topic_of = (named,)  # "s1 pass first try. ck 214 in march 2025, is that a pass?": the CK
        extra = faq.replies_beside(d, text, {**session.answers, **facts}, topic_of) if reading.asks else []
        asked = asked_part if not extra else ""
        if len(asked.split()) >= faq.MIN_QUESTION_WORDS and "?" in text and facts and not doubtful:
            # "this coming season sir. is it too early?": the answer is kept, and the question not ignored
            extra = [Reply(d.msg("faq_none_beside"))]
        if reading.intent is not None:  # "not taken yet. btw are you a bot?"
            talk = Reply(d.msg(d.library.understanding.small_talk[reading.intent][0]))
            if reading.intent == FEELING_INTENT and not reading.asks:
                talk = _worry_line(d)  # one line: the answers come next
            # a word for a worry comes first, before the answer to the question asked with it
            if reading.intent == FEELING_INTENT:
                extra.insert(0, talk)
            else:
                extra.append(talk)
        extra += _failed_by_date(d, text, reading.facts)
        observed = reading.facts.get("usce_kind") in ("observing", "mixed")  # "8 wks IM obs"
        if observed and reading.facts.get("usce") not in (None, "none"):
            extra.insert(int(reading.intent == FEELING_INTENT), Reply(d.msg("observership_note")))
        extra = [*left, *extra]
        return apply_facts(d, session, facts, doubtful, today, extra, ticks=reading.ticks)
    if reading.refused in ("result_pending", "practice_score") and question is not None:
        waiting = next((o.label for o in question.options if o.value in ("not_taken", "not_yet")), "")
        return d.show(session, [Reply(d.msg(reading.refused, option=waiting))])
    if reading.refused in _SAID_WHY:
        return d.show(session, [Reply(d.msg(reading.refused))])
    if reading.refused == "not_a_score":
        return d.show(session, [Reply(d.msg("not_a_score", score=reading.refused_value))])
    if reading.refused == "timing_past":
        opening = timeline.season_opening("this_season", today, d.season_open_month)
        return d.show(
            session,
            [Reply(d.msg("timing_past", year=reading.refused_value, opening=timeline.month_label(opening)))],
        )
    if reading.refused == "timing_year" and question is not None:
        year, as_match, as_applying = reading.refused_value
        labels = {o.value: o.label for o in question.options}
        text = d.msg(
            "timing_year", year=year, before=year - 1, match=labels[as_match], applying=labels[as_applying]
        )
        return d.show(session, [Reply(text)])
    if question is not None:
        return d.show(session, [Reply(d.msg("nothing_clear", invalid=question.invalid))])
    if (
        session.state in FINISHED
        and d.interpreter.names_an_answer(text)
        and d.matcher.match(text).status == "none"
    ):
        # "psych" at the summary, with both fields stored: which answer it changes is not clear
        return d.show(session, [Reply(d.msg("edit_unclear"))])
    return faq.answer_question(d, session, text)


def _edit(d: Dialog, session: Session, qid: str, today: date) -> Outcome:
    """Open a named answer for editing ("change my ck answer"), or ask for the new value mid-way."""
    question = d.by_id[qid]
    if session.state in FINISHED and d.mover.may(session, "edit", question=qid):
        return review.edit(d, session, buttons.Edit(qid), today)
    asked = d.asked(session)
    if asked is not None and asked.id == qid:
        return d.show(session)  # already the question on screen
    if asked is not None and d.mover.may(session, "edit", question=qid):
        # "go back to the english one, it was wrong": that question again, then on from here
        reopened = d.move(session.evolve(pending=None, doubt=None), "edit", chosen=qid)
        return d.show(reopened, [Reply(d.msg("edit_midway", short=question.short))])
    if not rules.applies(question, session.answers):
        key = "edit_not_applies"  # "change my retake" with a passed CK
    else:
        key = "edit_typed" if qid in session.answers else "edit_not_yet"
    return d.show(session, [Reply(d.msg(key, short=question.short))])


def _confirmation(d: Dialog, session: Session, yes: bool, today: date) -> Outcome:
    """Answer the open confirmation with a typed yes or no, as its button would."""
    if session.pending == "restart":
        return lifecycle.confirm_restart(d, session, buttons.ConfirmRestart(yes), today)
    if session.pending == "delete":
        return lifecycle.confirm_delete(d, session, buttons.ConfirmDelete(yes), today)
    return confirm_reading(d, session, buttons.ConfirmReading(yes), today)


def _move(d: Dialog, session: Session, move: str, event: Text, today: date) -> Outcome:
    """Follow a navigation word ("back", "skip", "plan", ...) as its command or button would."""
    question = d.asked(session)
    if session.pending and move not in ("cancel", "help"):
        session = session.evolve(pending=None, doubt=None, turn=session.turn + 1)
    if move == "skip" and question is not None and question.id in session.answers:
        # "skip" / "next" at a question already answered (after Back) keeps the answer and moves on.
        kept = session.answers[question.id]
        outcome = questionnaire.give(d, session, question, kept)
        note = Reply(d.msg("kept_answer", facts=_describe(d, {question.id: kept})))
        return replace(outcome, replies=(note, *outcome.replies))
    if move == "skip" and question is not None and not question.skippable:
        if question.option("unsure") is not None:  # "not sure, maybe next year or after": that answer
            return apply_facts(d, session, {question.id: "unsure"}, {}, today)
        return d.show(session, [Reply(d.msg("cannot_skip"))])
    if move == "done" and session.state == SUMMARY:
        return planning.plan(d, session, event, today)  # "I'm done" at the summary: the answers stand
    if move == "done":
        multi = question is not None and question.kind == "multi"
        return questionnaire.done(d, session, event, today) if multi else d.show(session)
    if move == "plan" and session.state == PLAN:
        return planning.open_plan(d, session, today)
    if move == "first":
        return planning.first_step(d, session, event, today)
    handler = commands.COMMANDS.get(commands.WORD_COMMANDS.get(move, move), review.profile)
    outcome = handler(d, session, event, today)
    stored = outcome.session.answers.get(question.id) if question is not None and move == "skip" else None
    if stored not in (None, [], ()) and question is not None and question.id not in session.answers:
        # "no idea bro" at the visa question stores its skip answer: say which one
        note = Reply(d.msg("understood", facts=_describe(d, {question.id: stored})))
        return replace(outcome, replies=(note, *outcome.replies))
    return outcome


def confirm_reading(d: Dialog, session: Session, action: buttons.ConfirmReading, today: date) -> Outcome:
    """Store (yes) or drop (no) a typed value that waited for the user's one-tap confirmation."""
    if session.pending != "doubt" or session.doubt is None:
        raise StaleButton
    qid, value = session.doubt
    session = session.evolve(pending=None, doubt=None)
    store, value = doubt.settle(qid, value, action.yes)
    if not store:
        session = session.evolve(turn=session.turn + 1)
        return questionnaire.fill(d, session, today, [Reply(d.msg("reading_rejected"))], changed=False)
    return apply_facts(d, session, {qid: value}, {}, today)


def apply_facts(
    d: Dialog,
    session: Session,
    facts: dict[str, Any],
    doubtful: dict[str, Any],
    today: date,
    extra: list[Reply] | None = None,
    ticks: dict[str, Any] | None = None,
) -> Outcome:
    """Store every answer a message gave, say what was understood and changed, show what is next.

    *ticks*: part of a multi-choice answer ("2 letters, one from psych"), ticked when that is asked."""
    asked = d.asked(session)
    ticked = asked is not None and asked.kind == "multi" and bool(session.draft)
    if (
        ticked
        and asked is not None
        and asked.id in facts
        and list(session.draft) != session.answers.get(asked.id)
    ):
        # Ticks made on this screen: add the typed ones and show the question again for Done.
        typed = facts.pop(asked.id)
        session = session.evolve(draft=tuple(asked.with_implied([*session.draft, *typed])))
        if not facts and not doubtful:
            return d.show(session, [*(extra or [])])
    old = session.answers
    if ticks:
        # writers named for some letters are ticked when "Who writes them?" comes next; asked later
        # (other questions open before it), they are stored as said rather than lost
        ahead = rules.prune(d.questions, {**old, **facts})
        upcoming = d.by_state.get(d.mover.move(session.evolve(answers=ahead), "fill"))
        later = {q: v for q, v in ticks.items() if upcoming is None or upcoming.id != q}
        facts = {**facts, **later}
        ticks = {q: v for q, v in ticks.items() if q not in later}
    # Only values the questionnaire can hold, for questions that apply, are stored.
    facts = {k: v for k, v in facts.items() if k in d.by_id and rules.valid(d.by_id[k], v)}
    for key, value in list(facts.items()):
        question = d.by_id[key]
        removed = (
            set(old.get(key) or ()) - set(value) if question.implies and isinstance(value, list) else set()
        )
        for option in removed:
            # "im not ecfmg certified actually" with Step 3 ticked: Step 3, which needs it, goes too
            value = question.without(value, option)
        if removed:
            facts[key] = value or list(question.exclusive[:1])  # none left: "Neither yet"
    answers = rules.prune(d.questions, {**old, **facts})
    # a follow-up said before the answer it follows ("4 weeks" with no field) can't be stored yet; one
    # whose question the answers rule out (a retake beside "not taken yet") goes without a word
    # (nor is it named when a "Did you mean ...?" about its own question comes next)
    waiting = {
        k: v
        for k, v in facts.items()
        if k not in answers and not any(p in answers or p in doubtful for p in d.by_id[k].ask_when)
    }
    facts = {k: answers[k] for k in facts if k in answers}  # as stored: with the options they imply
    changed = {k: v for k, v in facts.items() if k in old and old[k] != v}
    fresh = {k: v for k, v in facts.items() if k not in old}
    lines = []
    if fresh:
        lines.append(d.msg("understood", facts=_describe(d, fresh)))
    if changed:
        lines.append(d.msg("changed", changes=_describe(d, changed, old)))
    if facts.get("visa") == "none" and old.get("visa") != "none":
        lines.append(d.msg("citizen_note"))
    same = {k: v for k, v in facts.items() if k in old and old[k] == v}
    if same and not (fresh or changed or waiting or doubtful):
        # "None, no US rotations yet" at the letters: it only restates an answer; say so, then ask
        lines.append(d.msg("already_noted", facts=_describe(d, same)))
    if waiting:
        parents = [q.short for q in d.questions if any(q.id in d.by_id[k].ask_when for k in waiting)]
        lines.append(d.msg("follow_up_waits", facts=_describe(d, waiting), parent=" / ".join(parents)))
    before = [Reply("\n".join(lines))] if lines else []
    before += extra or []
    session = session.evolve(answers=answers)
    # A doubt about a follow-up whose question does not apply yet (writers before any count) would
    # be dropped on Yes; it is not asked.
    askable = {k: v for k, v in doubtful.items() if k in d.by_id and rules.applies(d.by_id[k], answers)}
    asked = d.asked(session)
    if doubtful and not askable and not before and asked is not None:
        # "I think she has two letters, one from the psychiatry professor": nothing to say is no reply
        before = [Reply(d.msg("nothing_clear", invalid=asked.invalid))]
    doubtful = askable
    if doubtful:
        qid, value = next(iter(doubtful.items()))
        return d.show(session.evolve(pending="doubt", doubt=(qid, value), turn=session.turn + 1), before)
    return questionnaire.fill(d, session, today, before, changed=bool(changed), ticks=ticks, previous=old)


def _failed_by_date(d: Dialog, text: str, facts: dict[str, Any]) -> list[Reply]:
    """Say why a typed 209-217 with its test date was noted as a failure ("216. i took it in august 2025")."""
    if facts.get("ck") != "failed" and facts.get("ck_retake") != "not_yet":
        return []
    scores = [
        int(t)
        for t in d.interpreter.norm.tokens(text)
        if t.isdigit() and doubt.PASS_BEFORE_JULY_2022 <= int(t) < doubt.PASS_FROM_JULY_2025
    ]
    if len(scores) != 1:
        return []
    day, _, passing = doubt.rise_for(scores[0])
    if d.interpreter.taken_before(text, day) is not False:
        return []  # only a test date on or after the rise says why: not "212 in march 2021", not an NBME
    return [Reply(d.msg("ck_failed_by_date", score=scores[0], day=doubt.long_date(day), passing=passing))]


def _asked_beside_help(d: Dialog, text: str) -> str | None:
    """Return the question in *text*, without its words of help, when the FAQ answers it outright."""
    for rest in d.interpreter.asked_without_moves(text):
        asked = " ".join(rest)
        if d.interpreter.clause_asks(rest) and d.matcher.match(asked).status == "answer":
            return asked
    return None


def _only_restates(d: Dialog, session: Session, reading: Reading, text: str) -> bool:
    """Return True for a longer message whose answers are all the ones stored and that the FAQ answers:
    "programs will see my 216 fail also or only 229" after the plan talks about the answers, so it
    gets the FAQ answer rather than the plan again."""
    if reading.kind != "answers" or reading.doubt or not reading.facts or len(text.split()) < 6:
        return False
    if any(session.answers.get(k) != v for k, v in reading.facts.items()):
        return False
    return d.matcher.match(text).status == "answer"


def _asks_about_stored(session: Session, reading: Reading, text: str) -> bool:
    """Return True for a question whose answers are all part of those stored: "the psych letter is from an
    observership, does it still carry weight?" with IM and psychiatry writers asks, it changes nothing."""
    if (
        not (reading.asks and reading.facts)
        or reading.doubt
        or reading.corrects
        or session.state not in FINISHED
    ):
        return False
    if _WHOLE_ANSWER & set(re.findall(r"[a-z]+", text.lower())):
        return False  # "my letters are only from IM, is that a problem?" says the whole answer
    return all(_part_of(session.answers.get(k), v) for k, v in reading.facts.items())


_WHOLE_ANSWER = {"only", "just", "all", "both", "solely"}


def _part_of(stored: Any, value: Any) -> bool:
    if isinstance(stored, list) and isinstance(value, list):
        return bool(value) and set(value) <= set(stored)
    return stored == value or (stored == "mixed" and value in ("hands_on", "observing"))


def _replaces(answers: dict[str, Any], qid: str, value: Any) -> bool:
    """Return True when *value* would replace a real earlier answer, not fill in or add to it."""
    if qid not in answers or answers[qid] == value:
        return False
    old = answers[qid]
    if old in ("unsure", "not_taken", "not_yet") or old == [] or old == ["unsure"]:
        return False  # "not sure yet" / "not taken" becoming known is news, not a correction
    if qid in ("letters_count", "usce_weeks") and type(old) is int and type(value) is int and value > old:
        return False  # "i just got another letter": a count going up is news
    if (old, value) == ("failed", "pass_after_fail"):
        return False  # "passed step 1 on my 2nd attempt!" after a failure is news too
    return not (isinstance(old, list) and isinstance(value, list) and set(old) <= set(value))


def _describe(d: Dialog, facts: dict[str, Any], old: dict[str, Any] | None = None) -> str:
    parts = []
    for question in d.questions:
        if question.id in facts:
            new = views.answer_label(question, facts[question.id])
            if old is not None:
                parts.append(f"{question.short}: {views.answer_label(question, old[question.id])} → {new}")
            else:
                parts.append(f"{question.short}: {new}")
    return " · ".join(parts)


def _worry_line(d: Dialog) -> Reply:
    """Return the one line that meets a worry said beside an answer or a request (the full reply is longer)."""
    return Reply(d.msg("feeling_beside_answer"))
