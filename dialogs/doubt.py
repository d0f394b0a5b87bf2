"""A typed value read with doubt: how its one-tap confirmation is asked and what yes or no stores.

A Step 2 CK score below the passing score is either a failure or, for a score between the old and
the new passing score, a pass on a test taken before July 2025; any other doubtful reading is simply
confirmed or rejected.
"""

from datetime import date
from typing import Any

# The Step 2 CK passing score was 214 for tests before 1 July 2025 and is 218 since (USMLE).
PASS_BEFORE_JULY_2025 = 214
PASS_FROM_JULY_2025 = 218
STANDARD_ROSE = date(2025, 7, 1)  # tests from this day on need the new passing score
SCORE_QUESTIONS = ("ck", "ck_retake")
BELOW_PASS = "below_pass"  # below every passing standard: "so that was a failure?"
PASS_DATE = "pass_date"  # between the two standards: "was it taken before July 2025?"
READING = "reading"  # "did you mean ...?"


def question_kind(qid: str, value: Any) -> str:
    """Return which confirmation a doubtful *value* for question *qid* needs."""
    if type(value) is not int or qid not in SCORE_QUESTIONS or value >= PASS_FROM_JULY_2025:
        return READING
    return BELOW_PASS if value < PASS_BEFORE_JULY_2025 else PASS_DATE


def settle(qid: str, value: Any, yes: bool) -> tuple[bool, Any]:
    """Return (store?, the value to store) for the user's yes or no to a doubtful *value*."""
    kind = question_kind(qid, value)
    failed = "failed" if qid == "ck" else "not_yet"
    if kind == BELOW_PASS:
        return yes, failed
    if kind == PASS_DATE:  # before July 2025: a pass; from then: a failure
        return True, value if yes else failed
    return yes, value
