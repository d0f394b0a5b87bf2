"""FAQ glue: topic, page and rating buttons, /faq, and answering a typed question from the FAQ."""

import re
from dataclasses import replace
from datetime import date
from typing import Any

from content.model import Snippet
from content.search import Match
from dialogs import buttons, views
from dialogs.dialog import Dialog
from dialogs.errors import StaleButton
from dialogs.events import Command
from dialogs.plan import SECTION_TITLES, faq_notes, where_you_stand
from dialogs.replies import Choice, Outcome, Reply, with_prompt
from dialogs.session import FINISHED, NEW, Session

_WORD = re.compile(r"[^\W\d_]+")
MIN_QUESTION_WORDS = 4  # words a part of a message needs to be a question of its own
_REFERRING = {"it", "that", "this", "them", "those"}  # words by which a question points back


def topic(d: Dialog, session: Session, action: buttons.Topic, today: date) -> Outcome:
    """Show one FAQ answer; during the questions the question still waiting follows it, as after a
    typed question (a persona picked a topic and lost the CK question above a long answer)."""
    snippet = d.library.snippets.get(action.snippet)
    if snippet is None or snippet.kind != "faq":
        raise StaleButton
    return _resume_after(d, session, answer_reply(d, snippet, session.answers))


def answer_reply(d: Dialog, snippet: Snippet, answers: dict[str, Any], also: tuple[str, ...] = ()) -> Reply:
    """Return an FAQ answer; one about the user's own score opens with where it sits ("For you: Your
    CK of 226 is in the guide's low band (220-229)."); *also* are the topics of the message's other
    questions, one tap away."""
    reply = views.faq_reply(d.library, snippet, also)
    stand = where_you_stand(d.library, answers) if snippet.for_you else None
    # the notes first: they say what in the answer is not so for this user ("Your CK of 219 is a pass")
    said = [line for line in (*faq_notes(d.library, snippet.id, answers), stand) if line]
    if not said:
        return reply
    title, _, body = reply.text.partition("\n\n")  # the title first, then the user's own lines
    return replace(reply, text=f"{title}\n\n_{d.msg('for_you')}_ {' '.join(said)}\n\n{body}")


def page(d: Dialog, session: Session, action: buttons.Page, today: date) -> Outcome:
    """Show one page of the topic list."""
    return Outcome(session, (views.faq_list_reply(d.library, action.number),))


def topics(d: Dialog, session: Session, event: object, today: date) -> Outcome:
    """Show the first page of the topic list (/faq)."""
    return Outcome(session, (views.faq_list_reply(d.library, 1),))


def rate(d: Dialog, session: Session, action: buttons.Rating, today: date) -> Outcome:
    """Record a rating of an FAQ answer or a plan part; nothing of the user's text is kept."""
    if action.item.startswith("part-"):
        known = action.item.removeprefix("part-") in SECTION_TITLES
    else:
        snippet = d.library.snippets.get(action.item)
        known = snippet is not None and snippet.kind == "faq"
    if not known:
        raise StaleButton
    return Outcome(session, toast=d.msg("rate_thanks"), rating=(action.item, action.helpful))


def deep_link(d: Dialog, command: object) -> list[Reply]:
    """Return the FAQ answer a /start deep link (t.me/bot?start=faq-<id>) asks for, if any."""
    args = command.args if isinstance(command, Command) else ()
    topic = args[0].replace("_", "-") if args else ""
    snippet = d.library.snippets.get(topic.removeprefix("faq-"))
    return [views.faq_reply(d.library, snippet)] if snippet is not None and snippet.kind == "faq" else []


def match_reply(d: Dialog, match: Match, answers: dict[str, Any] | None = None) -> Reply | None:
    """Return the reply for a match: the answer (the other questions' topics, if it answers several,
    one tap away), a choice of close topics, or None."""
    if match.status == "answer":
        return answer_reply(d, d.library.snippets[match.ids[0]], answers or {}, match.ids[1:])
    if match.status == "choose":
        rows = tuple((Choice(d.library.snippets[i].title, buttons.Topic(i).encode()),) for i in match.ids)
        return Reply(d.msg("faq_choose"), rows, kind="faq_choose", snippet_ids=match.ids)
    return None


def best_match(d: Dialog, text: str, about: tuple[str, ...] = ()) -> Match:
    """Return the match for *text*; where it offers a choice, the part that asks may settle it ("... my CK
    is 219, is 219 a fail??" is the passing-score answer, not a choice of three score topics), and so may
    the questions the same message answers (*about*): "219, is that pass or fail?" asks about the CK."""
    match = d.matcher.match(text)
    separate = _each_answered(d, text)
    if len(separate) > 1 and set(separate) & set(match.ids):
        # "should I retake CK? and do I need research?": one answered, the other one tap away; the
        # whole message's answer, read with all its words, goes first
        first = match.ids[0] if match.status == "answer" and match.ids[0] in separate else separate[0]
        return Match("answer", (first, *(i for i in separate if i != first)))
    if match.status != "choose":
        return match
    asked = d.interpreter.asked_part(text)
    refers = _refers(asked)
    # "219, is that pass or fail?": "that" is the answer given beside it, so that question's topics lean
    leaning = [i for i in match.ids if any(i in d.by_id[q].topics for q in about if q in d.by_id)]
    if len(leaning) == 1 and (refers or not asked):
        return Match("answer", (leaning[0],))
    if asked and asked != text.strip():
        focused = d.matcher.match(asked)
        # the story before the question only widened the choice: keep the answer it offered anyway
        return focused if focused.status == "answer" and focused.ids[0] in match.ids else match
    return match


def _refers(question: str) -> bool:
    """Return whether *question* points back at what was said before it ("is that a pass?")."""
    return bool(_REFERRING & set(_WORD.findall(question.lower())))


def _each_answered(d: Dialog, text: str) -> tuple[str, ...]:
    """Return the topics that answer the questions of *text* asked one by one, in order (one per
    question that has a confident answer, none repeated). A fragment ("220? 230?", "mas USCE?") only
    details the question before it, so each counts only as a question of its own."""
    parts = [
        p
        for p in d.interpreter.asked_parts(text)
        # ("... do i mention it in my personal statement?": a part that refers back is no question of its own)
        if len(_WORD.findall(p)) >= MIN_QUESTION_WORDS and not _refers(p)
    ]
    if len(parts) < 2:
        return ()
    found: list[str] = []
    for part in parts:
        match = d.matcher.match(part)
        if match.status == "answer" and match.ids[0] not in found:
            found.append(match.ids[0])
    return tuple(found)


def replies_beside(d: Dialog, text: str, answers: dict[str, Any], about: tuple[str, ...] = ()) -> list[Reply]:
    """Return the FAQ answer (or choice) for a question asked alongside answers to *about*, if any."""
    match = best_match(d, text, about)
    asked = d.interpreter.asked_part(text)
    if match.status == "none" and asked and asked != text.strip():
        # "none. do i need usce?": the answer beside it only blurs the question
        focused = d.matcher.match(asked)
        if focused.status != "answer" and about and about[0] in d.by_id and len(asked.split()) <= 6:
            # "2. how many do i need?" at the letters: the question on screen names what "many" counts
            focused = d.matcher.match(f"{asked} {d.by_id[about[0]].short}")
        match = focused if focused.status == "answer" else match
    reply = match_reply(d, match, answers)
    return [reply] if reply is not None else []


def answer_question(d: Dialog, session: Session, text: str, guessed: bool = False) -> Outcome:
    """Answer free text from the FAQ, then show where the dialog was."""
    match = best_match(d, text)
    question = d.asked(session)
    if guessed and question is not None and match.status != "answer":
        # A long reply that neither answers nor asks ("omg my attending just spilled coffee on the
        # printer"): say what can be typed, not "I can't answer that" or a choice of topics.
        return d.show(session, [Reply(d.msg("nothing_clear_long", invalid=question.invalid))])
    reply = match_reply(d, match, session.answers)
    if reply is None:
        rows: tuple[tuple[Choice, ...], ...] = ((Choice("Browse topics", buttons.Page(1).encode()),),)
        if session.state in FINISHED:  # the plan stays one tap away, not scrolled out of sight
            rows += ((views.plan_button(d.library, session),),)
        reply = Reply(d.msg("faq_none"), rows, kind="faq_none")
    outcome = _resume_after(d, session, reply)
    if match.status == "answer":
        return outcome
    # Not answered with confidence: the text goes to the content log.
    return replace(outcome, unanswered=text)


def _resume_after(d: Dialog, session: Session, reply: Reply) -> Outcome:
    if d.asked(session) is None and not session.pending:
        # At the summary or the plan nothing waits for an answer, so the FAQ answer stands alone.
        return d.show(session, [reply]) if session.state == NEW else Outcome(session, (reply,))
    prompt = d.prompt(session)
    if len(prompt) == 1 and reply.kind != "faq_choose":
        # One message: the answer, then the question still waiting (every message costs capacity). A
        # choice of topics stays its own message: its buttons must not mix with the question's.
        return Outcome(session, tuple(with_prompt(reply, d.msg("faq_back_to_dialog"), prompt[0])))
    return d.show(session, [reply, Reply(d.msg("faq_back_to_dialog"))])
