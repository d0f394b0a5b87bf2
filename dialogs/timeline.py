"""Date the article's timeline phases from when a user plans to apply."""

from dataclasses import dataclass
from datetime import date

SEASON_OFFSET = {"this_season": 0, "next_season": 1, "later": 2}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def add_months(day: date, months: int) -> date:
    """Return the first day of the month *months* after (or before) *day*'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def season_opening(timing: str, today: date, open_month: int) -> date:
    """Return when the user's application season opens: the next opening, plus one per season later."""
    opening = date(today.year, open_month, 1)
    if opening <= today.replace(day=1):
        opening = date(today.year + 1, open_month, 1)
    return opening.replace(year=opening.year + SEASON_OFFSET.get(timing, 1))


def month_label(day: date) -> str:
    """Return e.g. 'Jun 2027'."""
    return f"{MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Milestone:
    """One phase of the timeline with its dates."""

    snippet_id: str
    months_before: tuple[int, int]  # as the phase's snippet gives them: (nearer, farther) or reversed
    start: date
    end: date
    label: str
    past: bool
    current: bool


def date_phase(snippet_id: str, months_before: tuple[int, int], opening: date, today: date) -> Milestone:
    """Return the dated milestone for a phase that runs *months_before* the season *opening*."""
    near, far = sorted(months_before)
    season = f"{opening.year}-{str(opening.year + 1)[2:]}"
    if far <= 0 and near < 0:
        start = add_months(opening, -near)
        # The guide gives no date for this step, so none is shown; it is never a reminder either.
        label = f"If you don't match in the {season} season"
        return Milestone(snippet_id, months_before, start, start, label, past=False, current=False)
    start = add_months(opening, -far)
    end = add_months(opening, -near)
    if far == 0:
        label = f"Application season {season} (opens {month_label(opening)})"
        end = add_months(opening, 9)
    else:
        label = f"{near}-{far} months before: {month_label(start)} to {month_label(end)}"
    # The end month is inside the phase ("6-9 months before" a June opening runs Sep to Dec).
    after = add_months(end, 1) if far != 0 else end
    past = after <= today
    current = start <= today < after
    return Milestone(snippet_id, months_before, start, end, label, past=past, current=current)
