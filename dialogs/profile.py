"""Derive the facts that select advice from a user's raw answers."""

from typing import Any

CK_BANDS = (
    # (lowest score in band, band) — the article's Step 2 CK bands, highest first.
    (260, "outstanding"),
    (245, "strong"),
    (230, "borderline"),
    (220, "low"),
)


def ck_band(answers: dict[str, Any]) -> str | None:
    """Return the Step 2 CK band for *answers*: any failure is high risk, whatever the later score."""
    ck = answers.get("ck")
    if ck is None:
        return None
    if ck == "not_taken":
        return "not_taken"
    if ck == "failed":
        return "high_risk"
    for lowest, band in CK_BANDS:
        if ck >= lowest:
            return band
    return "high_risk"


def _usce_level(answers: dict[str, Any]) -> str:
    usce = answers.get("usce", "none")
    if usce == "none":
        return "none"
    weeks = answers.get("usce_weeks") or 0
    return "solid" if usce == "both" and weeks >= 6 else "limited"


def _letters(count: int) -> str:
    if count <= 0:
        return "none"
    return "few" if count < 3 else "enough"


def derive_facts(answers: dict[str, Any]) -> dict[str, set[Any]]:
    """Return every fact about *answers* as name -> set of values (multi-valued facts have several)."""
    facts: dict[str, set[Any]] = {}
    for name in ("visa", "step1", "usce", "research", "timing"):
        if name in answers:
            facts[name] = {answers[name]}
    for name in ("goals", "english", "letters_from"):
        if answers.get(name):
            facts[name] = set(answers[name])
    ck = answers.get("ck")
    if ck is not None:
        facts["ck_status"] = {ck if ck in ("failed", "not_taken") else "score"}
        facts["ck_band"] = {ck_band(answers)}
    if "usce" in answers:
        facts["usce_level"] = {_usce_level(answers)}
    if "letters_count" in answers:
        facts["letters"] = {_letters(int(answers["letters_count"]))}
    flags = set()
    if answers.get("step1") in ("pass_after_fail", "failed"):
        flags.add("step1_fail")
    if ck == "failed":
        flags.add("ck_fail")
    elif isinstance(ck, int) and ck < 230:
        flags.add("ck_low")
    if "step1" in answers and "ck" in answers:
        facts["red_flag"] = flags or {"none"}
    return facts


def matches(conditions: dict[str, tuple[Any, ...]], facts: dict[str, set[Any]]) -> bool:
    """Return True when every condition names a fact that has at least one of the listed values."""
    return all(facts.get(name, set()) & set(values) for name, values in conditions.items())
