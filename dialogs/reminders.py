"""Which timeline phases a user is reminded of, and what a reminder says about its phase."""

from datetime import date
from typing import Any

from content.model import Library
from dialogs.plan import dated_milestones, dated_steps, phase_text
from dialogs.session import Session
from dialogs.timeline import Milestone


def reminder_phases(library: Library, session: Session, today: date, open_month: int) -> list[Milestone]:
    """Return the upcoming timeline phases *session* is reminded of: none when opted out or undated."""
    if not session.reminders or "timing" not in session.answers:
        return []
    milestones = dated_milestones(library, session.answers, today, open_month)
    # Upcoming phases only; "if you don't match" is advice for a bad day, not a scheduled step.
    return [m for m, _ in milestones if m.start > today and min(m.months_before) >= 0]


def phase_reminder(
    library: Library, answers: dict[str, Any] | None, phase_id: str, today: date, open_month: int
) -> str:
    """Return the phase as the user's timeline shows it: their own steps first, then the rest."""
    snippet = library.snippets.get(phase_id)
    if snippet is None:  # the content changed since the reminder was stored
        return ""
    if answers is None:  # the user's data was deleted since
        return snippet.body
    return phase_text(library, answers, snippet, dated_steps(library, answers, today, open_month))
