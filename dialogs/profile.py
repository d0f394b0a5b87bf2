"""Derive the facts that select advice from a user's raw answers."""

from typing import Any

from content.model import ANSWER_FACTS
from dialogs.doubt import PASS_BEFORE_JULY_2022

CK_BANDS = (
    # (lowest score in band, band) — the article's Step 2 CK bands, highest first; under the last one,
    # and any failure, is CK_RISK_BAND. The standing picture draws these too.
    (260, "outstanding"),
    (245, "strong"),
    (230, "borderline"),
    (220, "low"),
)
CK_RISK_BAND = "high_risk"
CK_FLOORS = {band: lowest for lowest, band in CK_BANDS}
STEP1_FAILURES = ("pass_after_fail", "failed")  # a Step 1 failure, passed since or not
# USMLE's Step 2 CK passing standard was 209 until June 2022, 214 from then and is 218 for tests from
# 1 July 2025 (dialogs/doubt.py). A typed score under 209 failed on any recent test, so it is asked about
# as a failure not yet passed. A 209-217 is stored only after the user confirms the test was taken before
# the standard rose past it (dialogs/views.py asks, dialogs/doubt.py settles), so a stored 209-217 is a pass.
CK_PASS_MARK = PASS_BEFORE_JULY_2022
GUIDE_WEEKS = 3  # the guide's 3-8 weeks per field: 3 is the least that counts as "enough"
FIELD_WEEKS = {"im": ("im",), "psych": ("psych",), "both": ("im", "psych")}


def week_range(value: Any) -> tuple[int, int]:
    """Return (fewest, most) weeks an answer stands for: a typed number, or a range button like "3-8"."""
    if isinstance(value, int):
        return value, value
    if isinstance(value, str) and value.endswith("+") and value[:-1].isdigit():
        return int(value[:-1]), 260
    low, _, high = str(value).partition("-")
    if low.isdigit() and high.isdigit():
        return int(low), int(high)
    return 0, 0  # skipped or unknown


def ck_passed_score(answers: dict[str, Any]) -> int | None:
    """Return the passing CK score, if the user has one (the retake score after a failure)."""
    ck = answers.get("ck")
    if isinstance(ck, int):
        return ck if ck >= CK_PASS_MARK else None
    retake = answers.get("ck_retake")
    if ck == "failed" and isinstance(retake, int) and retake >= CK_PASS_MARK:
        return retake
    return None


def ck_band(answers: dict[str, Any]) -> str | None:
    """Return the Step 2 CK band for *answers*: any failure is high risk, whatever the later score."""
    ck = answers.get("ck")
    if ck is None:
        return None
    if ck == "not_taken":
        return "not_taken"
    if ck == "failed":
        return CK_RISK_BAND
    for lowest, band in CK_BANDS:
        if ck >= lowest:
            return band
    return CK_RISK_BAND


def _field_weeks(answers: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Return the weeks range in IM and in psychiatry; "both" splits the total by the psychiatry answer."""
    usce = answers.get("usce", "none")
    total = week_range(answers.get("usce_weeks"))
    if usce == "both":
        psych = week_range(answers.get("usce_psych_weeks"))
        im = (max(0, total[0] - psych[1]), max(0, total[1] - psych[0]))
        return {"im": im, "psych": psych}
    fields = FIELD_WEEKS.get(usce, ())
    return {field: total if field in fields else (0, 0) for field in ("im", "psych")}


def _field_status(usce: str, field: str, weeks: tuple[int, int]) -> str:
    if field not in FIELD_WEEKS.get(usce, ()):
        return "none"
    return "enough" if weeks[0] >= GUIDE_WEEKS else "short"


def _letters(count: int) -> str:
    if count <= 0:
        return "none"
    return "few" if count < 3 else "enough"


def _scores(band: str | None, step1: str | None) -> str:
    if step1 in STEP1_FAILURES or band in ("low", CK_RISK_BAND):
        return "weak"
    if band == "not_taken":
        return "pending"
    return "borderline" if band == "borderline" else "strong"


def derive_facts(answers: dict[str, Any]) -> dict[str, set[Any]]:
    """Return every fact about *answers* as name -> set of values (multi-valued facts have several)."""
    facts: dict[str, set[Any]] = {}
    for name in ANSWER_FACTS:
        value = answers.get(name)
        if isinstance(value, list | tuple):  # a multi-select; skipped ([]) is no fact
            if value:
                facts[name] = set(value)
        elif name in answers:
            facts[name] = {value}
    if "english" in answers:  # skipped ([]) reports no test, so the ECFMG test requirement still shows
        english = answers["english"]
        facts["english_test"] = {"oet" if "oet" in english else "other" if "test" in english else "absent"}
    if answers.get("visa") == "h1b":
        exams = set(answers.get("h1b_exams") or ())
        facts["step3"] = {"passed" if "step3" in exams else "not_passed" if exams else "unknown"}
        certified = bool({"ecfmg", "step3"} & exams)
        facts["ecfmg"] = {"certified" if certified else "not_certified" if exams else "unknown"}
    ck = answers.get("ck")
    if ck is not None:
        facts["ck_status"] = {ck if ck in ("failed", "not_taken") else "score"}
        facts["ck_band"] = {ck_band(answers)}
        passed = ck_passed_score(answers) is not None
        facts["ck_pass"] = {"not_taken" if ck == "not_taken" else "passed" if passed else "not_passed"}
    if "usce" in answers:
        usce = answers["usce"]
        weeks = _field_weeks(answers)
        status = {field: _field_status(usce, field, weeks[field]) for field in ("im", "psych")}
        if answers.get("usce_kind") == "observing":
            # observing only counts for less than the hands-on weeks the guide asks for: never "enough"
            status = {field: "short" if value == "enough" else value for field, value in status.items()}
        facts["usce_im"], facts["usce_psych"] = {status["im"]}, {status["psych"]}
        if usce == "none":
            level = "none"
        else:
            level = "solid" if status["im"] == status["psych"] == "enough" else "limited"
        facts["usce_level"] = {level}
    if "letters_count" in answers:
        count = int(answers["letters_count"])
        facts["letters"] = {_letters(count)}
        if count > 0 and "letters_from" in answers:
            writers = set(answers["letters_from"] or ())
            # a med-psych or CL mentor is a psychiatrist: that letter fills the guide's psychiatry slot
            covered = writers | ({"psych"} if "combined" in writers else set())
            gaps = {field for field in ("im", "psych") if field not in covered} if writers else {"unknown"}
            facts["letter_gaps"] = gaps or {"none"}
            facts["combined_writer"] = {"present" if "combined" in writers else "absent"}
    flags = set()
    if answers.get("step1") in STEP1_FAILURES:
        flags.add("step1_fail")
    if ck == "failed" or (isinstance(ck, int) and ck < CK_PASS_MARK):
        flags.add("ck_fail")
    elif isinstance(ck, int) and ck < CK_FLOORS["borderline"]:
        flags.add("ck_low")
    if "step1" in answers and "ck" in answers:
        facts["red_flag"] = flags or {"none"}
        facts["scores"] = {_scores(ck_band(answers), answers["step1"])}
    return facts


def matches(conditions: dict[str, tuple[Any, ...]], facts: dict[str, set[Any]]) -> bool:
    """Return True when every condition names a fact that has at least one of the listed values."""
    return all(facts.get(name, set()) & set(values) for name, values in conditions.items())
