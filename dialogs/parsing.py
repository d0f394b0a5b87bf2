"""Turn typed text into answers: scores, week counts, option names; tell questions from answers."""

import re
import unicodedata
from dataclasses import dataclass

from content.model import Option, Question

# Zero-width and direction marks survive NFKC; strip them so "2\u200b25" reads as 225.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
_EXAM_NAMES = re.compile(r"\b(?:usmle\s*)?(?:step\s*-?\s*[123]\s*(?:ck|cs)?|s2\s*ck|s2ck|s2|2\s*ck|ck2)\b")
_NUMBER = re.compile(r"(?<![\w.,])[-+]?\d+(?:[.,]\d*)?(?:e[-+]?\d+)?(?![\w])")
_FILLER = re.compile(
    r"\b(?:my|score|scores|is|was|i|got|get|a|an|the|ck|usmle|about|around|approx|approximately|roughly|"
    r"it|its|it's|of|on|total|weeks?|wks?|w|months?|mos?|in|points?|pts|final|so|far|just|only|like|me|"
    r"passed|pass|with|scored|have|had|done|did|yes|ok|okay|hi|hello|hey|um|uh)\b"
)
_QUESTION_START = re.compile(
    r"^(?:is|are|do|does|did|can|could|should|shud|shld|will|would|what|wat|wht|how|hw|why|when|where|"
    r"which|who|any|pls|please|plz|tell|explain|advice|help)\b"
)


@dataclass(frozen=True)
class Parsed:
    """A parsing result: a value, or the reason there is none."""

    value: object = None
    problem: str | None = None  # "empty" | "not_number" | "malformed" | "not_whole" | "range" | "ambiguous"

    @property
    def ok(self) -> bool:
        """Return True when a value was found."""
        return self.problem is None


def normalize(text: str) -> str:
    """Return *text* with full-width forms folded, invisible marks removed and spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return " ".join(folded.split())


def looks_like_question(text: str) -> bool:
    """Return True when *text* reads as a question rather than an answer."""
    clean = normalize(text).lower()
    if not clean:
        return False
    if "?" in clean or _QUESTION_START.match(clean):
        return True
    return len(clean.split()) > 7


def parse_whole_number(text: str, low: int, high: int, *, months_to_weeks: bool = False) -> Parsed:
    """Read one whole number between *low* and *high* from *text* ("CK 225", "225.", "my score is 225")."""
    clean = normalize(text).lower()
    if not clean:
        return Parsed(problem="empty")
    without_exam = _EXAM_NAMES.sub(" ", clean)
    numbers = _NUMBER.findall(without_exam)
    if not numbers:
        # Digits glued to letters ("22x", "2o5") are a mistyped answer, not a question.
        return Parsed(problem="malformed" if any(c.isdigit() for c in without_exam) else "not_number")
    leftovers = _FILLER.sub(" ", _NUMBER.sub(" ", without_exam))
    leftovers = re.sub(r"[\s.,:;!=~\-]+", "", leftovers)
    if len(numbers) > 1 or leftovers:
        return Parsed(problem="ambiguous")
    token = numbers[0]
    if not re.fullmatch(r"[-+]?\d+\.?", token):
        return Parsed(problem="not_whole")
    if len(token.lstrip("+-").rstrip(".").lstrip("0")) > 9:  # NFKC can make 4000 chars >4300 digits
        return Parsed(problem="range")
    value = int(token.rstrip("."))
    if months_to_weeks and re.search(r"\bmonths?\b|\bmos?\b", clean):
        value *= 4
    if not low <= value <= high:
        return Parsed(problem="range")
    return Parsed(value=value)


def _option_key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", normalize(text).lower()).strip()


def match_option(question: Question, text: str) -> Option | None:
    """Return the option whose label or alias *text* names, if exactly one does."""
    key = _option_key(text)
    if not key:
        return None
    for option in question.options:
        names = {_option_key(option.label), _option_key(str(option.value)), *map(_option_key, option.aliases)}
        if key in names:
            return option
    return None
