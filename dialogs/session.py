"""One user's conversation state as stored between events."""

from dataclasses import dataclass, field, replace
from typing import Any

NEW = "new"
SUMMARY = "reviewing_summary"
PLAN = "reading_plan"
FINISHED = (SUMMARY, PLAN)  # every question that applies is answered
PENDING_KINDS = (None, "restart", "delete", "doubt")


@dataclass(frozen=True)
class Session:
    """Where a user is and what they answered; stored whole after every event."""

    user_id: int
    state: str = NEW
    answers: dict[str, Any] = field(default_factory=dict)
    turn: int = 0  # bumps whenever a new prompt is shown; buttons carry it to detect stale presses
    editing: bool = False  # changing one answer from the summary
    pending: str | None = None  # "restart", "delete" or "doubt" while a confirmation is open
    draft: tuple[Any, ...] = ()  # selections of a multi-select question not yet confirmed
    last_press: str | None = None  # last accepted button, to recognise double taps
    reminders: bool = False  # opted in to timeline reminders
    # A typed value waiting for the user's one-tap confirmation: [question id, value].
    doubt: tuple[str, Any] | None = None

    def to_record(self) -> dict[str, Any]:
        """Return a plain dict for storage."""
        # Built by hand: dataclasses.asdict deep-copies every value and costs more than the JSON dump.
        record = {name: getattr(self, name) for name in self.__dataclass_fields__}
        record["draft"] = list(self.draft)
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Session":
        """Rebuild a session from storage, ignoring keys from other versions."""
        known = {k: record[k] for k in cls.__dataclass_fields__ if k in record}
        known["draft"] = tuple(known.get("draft") or ())
        known["answers"] = dict(known.get("answers") or {})
        # Values of the wrong type (another version, a hand edit) fall back to their defaults.
        if type(known.get("turn", 0)) is not int:
            known["turn"] = 0
        if known.get("pending") not in PENDING_KINDS:
            known["pending"] = None
        doubt = known.get("doubt")
        known["doubt"] = tuple(doubt) if isinstance(doubt, list | tuple) and len(doubt) == 2 else None
        if known["pending"] == "doubt" and known["doubt"] is None:
            known["pending"] = None
        if not isinstance(known.get("state", NEW), str):
            known["state"] = NEW
        for flag in ("editing", "reminders"):
            known[flag] = bool(known.get(flag, False))
        return cls(**known)

    def evolve(self, **changes: Any) -> "Session":
        """Return a copy with *changes* applied; closing or replacing a confirmation drops its doubt."""
        if changes.get("pending", "doubt") != "doubt":
            changes["doubt"] = None  # a doubt lives only while its confirmation is open, as on load
        return replace(self, **changes)
