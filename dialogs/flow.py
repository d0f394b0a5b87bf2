"""Which question comes next, which came before, and which answers still apply."""

from typing import Any

from content.model import Question
from dialogs.session import SUMMARY


def applies(question: Question, answers: dict[str, Any]) -> bool:
    """Return True when *question* should be asked given the *answers* so far."""
    return all(answers.get(key) in values for key, values in question.ask_when.items())


def valid(question: Question, value: Any) -> bool:
    """Return True when *question* can hold *value* (a stored session may come from another version)."""
    values = [o.value for o in question.options]
    if question.kind == "multi":
        return isinstance(value, list) and all(v in values for v in value)
    if value in values or (question.skippable and value == question.skip_value):
        return True
    if question.kind not in ("score", "number"):
        return False
    return type(value) is int and question.min <= value <= question.max


def prune(questions: tuple[Question, ...], answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to follow-up questions that no longer apply (e.g. weeks after USCE became none)."""
    kept = dict(answers)
    for question in questions:
        if question.id in kept and not applies(question, kept):
            del kept[question.id]
    return kept


def next_state(questions: tuple[Question, ...], current: str, answers: dict[str, Any], editing: bool) -> str:
    """Return the state after answering *current*: the next question that applies, or the summary.

    While editing one answer from the summary, only questions that now apply and lack an answer are
    asked, so changing CK to "failed" asks the follow-up but nothing else.
    """
    ids = [q.state for q in questions]
    for question in questions[ids.index(current) + 1 :]:
        if not applies(question, answers):
            continue
        if editing and question.id in answers:
            continue
        return question.state
    return SUMMARY


def previous_state(questions: tuple[Question, ...], current: str, answers: dict[str, Any]) -> str | None:
    """Return the question before *current* that applies, or None at the first question."""
    ids = [q.state for q in questions]
    position = ids.index(current) if current in ids else len(ids)
    for question in reversed(questions[:position]):
        if applies(question, answers):
            return question.state
    return None


def first_unanswered(questions: tuple[Question, ...], answers: dict[str, Any]) -> str:
    """Return the first question that applies and has no answer, or the summary when all are done."""
    for question in questions:
        if applies(question, answers) and question.id not in answers:
            return question.state
    return SUMMARY


def forward_targets(questions: tuple[Question, ...], index: int) -> list[str]:
    """Return every state that answering question *index* can lead to (for the machine's edges)."""
    targets = []
    for question in questions[index + 1 :]:
        targets.append(question.state)
        if not question.ask_when:
            break
    targets.append(SUMMARY)
    return targets
