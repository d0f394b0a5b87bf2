"""Which questions apply given the answers so far, and which answers a question can hold."""

from typing import Any

from content.model import Question


def applies(question: Question, answers: dict[str, Any]) -> bool:
    """Return True when *question* should be asked given the *answers* so far."""
    return all(answers.get(key) in values for key, values in question.ask_when.items())


def is_open(question: Question, answers: dict[str, Any]) -> bool:
    """Return True when *question* applies and has no answer yet."""
    return question.id not in answers and applies(question, answers)


def is_complete(questions: tuple[Question, ...], answers: dict[str, Any]) -> bool:
    """Return True when every question that applies has an answer."""
    return not any(is_open(q, answers) for q in questions)


def valid(question: Question, value: Any) -> bool:
    """Return True when *question* can hold *value* (a stored session may come from another version)."""
    values = [o.value for o in question.options]
    if question.kind == "multi":
        return isinstance(value, list) and all(v in values for v in value)
    if value in values or (question.skippable and value == question.skip_value):
        return True
    if question.kind not in ("score", "number"):
        return False
    low, high = question.min, question.max  # set for every score and number question (the loader checks)
    return type(value) is int and low is not None and high is not None and low <= value <= high


def prune(questions: tuple[Question, ...], answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to follow-up questions that no longer apply (e.g. weeks after USCE became none),
    and tick what a ticked option implies (Step 3 passed: ECFMG certified)."""
    kept = dict(answers)
    for question in questions:
        if question.id in kept and not applies(question, kept):
            del kept[question.id]
        elif question.implies and isinstance(kept.get(question.id), list):
            kept[question.id] = question.with_implied(kept[question.id])
    return kept
