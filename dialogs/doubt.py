"""A typed value read with doubt: how its one-tap confirmation is asked and what yes or no stores.

A Step 2 CK score below every recent passing score is a failure; a score that passed under an earlier
standard is a pass only for a test taken before that standard rose, so the date is asked; any other
doubtful reading is simply confirmed or rejected.
"""

from datetime import date
from typing import Any

# USMLE's Step 2 CK passing score, by test date: 209 until 30 June 2022 (much older tests had lower
# standards, not modelled: a typed score under 209 is asked about as a failure), 214 from then, and 218
# for tests from 1 July 2025 (usmle.org). Each rise: (first test day under it, the passing score before it).
PASS_BEFORE_JULY_2022 = 209
PASS_BEFORE_JULY_2025 = 214
PASS_FROM_JULY_2025 = 218
STANDARD_ROSE = date(2025, 7, 1)  # tests from this day on need 218
RISES = ((date(2022, 7, 1), PASS_BEFORE_JULY_2022), (STANDARD_ROSE, PASS_BEFORE_JULY_2025))
SCORE_QUESTIONS = ("ck", "ck_retake")
BELOW_PASS = "below_pass"  # below every recent passing standard: "so that was a failure?"
PASS_DATE = "pass_date"  # passed under an earlier standard: "was it taken before it rose?"
READING = "reading"  # "did you mean ...?"


def question_kind(qid: str, value: Any) -> str:
    """Return which confirmation a doubtful *value* for question *qid* needs."""
    if type(value) is not int or qid not in SCORE_QUESTIONS or value >= PASS_FROM_JULY_2025:
        return READING
    return BELOW_PASS if value < PASS_BEFORE_JULY_2022 else PASS_DATE


def rise_for(score: int) -> tuple[date, int, int]:
    """Return (the day, the passing score before it, the one from it) of the rise that made *score*,
    which passed before, a failure: 209-213 failed from 1 July 2022, 214-217 from 1 July 2025."""
    standards = [old for _, old in RISES] + [PASS_FROM_JULY_2025]
    for (day, old), new in zip(RISES, standards[1:], strict=True):
        if old <= score < new:
            return day, old, new
    raise ValueError(f"{score} passed under no earlier standard")


def long_date(day: date) -> str:
    """Return a date as the messages write it: "1 July 2025"."""
    return f"{day.day} {day:%B %Y}"


def settle(qid: str, value: Any, yes: bool) -> tuple[bool, Any]:
    """Return (store?, the value to store) for the user's yes or no to a doubtful *value*."""
    kind = question_kind(qid, value)
    failed = "failed" if qid == "ck" else "not_yet"
    if kind == BELOW_PASS:
        return yes, failed
    if kind == PASS_DATE:  # before the rise: a pass; from then: a failure
        return True, value if yes else failed
    return yes, value
