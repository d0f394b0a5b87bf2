"""What an answer changed in the plan at a glance: said right below the change, so nobody has to ask."""

from datetime import date
from typing import Any

from content.model import Library
from dialogs import timeline
from dialogs.plan import PARTS, blockers, dated_steps, fill, parts_shown, season_start, where_you_stand
from dialogs.profile import derive_facts

MAX_LINES = 5  # a change note, not a second plan


def _top_steps(library: Library, answers: dict[str, Any], today: date, open_month: int) -> list[str]:
    steps = dated_steps(library, answers, today, open_month)[:3]
    return [fill(library, s.snippet.headline, answers) for s in steps]


def plan_changes(
    library: Library, old: dict[str, Any], new: dict[str, Any], today: date, open_month: int
) -> list[str]:
    """Return lines saying how the plan at a glance for *new* answers differs from the one for *old*: the
    season it is dated for, where the user stands, what must come first, the next three steps and the
    parts that appeared or went (a part's own content is the part's to show)."""
    say = library.message
    lines = []
    season = timeline.month_label(season_start(new, today, open_month))
    if season != timeline.month_label(season_start(old, today, open_month)):
        lines.append(say("plan_change_season", season=season))
    verdict = where_you_stand(library, new)
    if verdict and verdict != where_you_stand(library, old):
        lines.append(say("plan_change_verdict", verdict=verdict))
    before = [short for _, short in blockers(library, old, today, open_month)]
    after = [short for _, short in blockers(library, new, today, open_month)]
    lines += [say("plan_change_first_new", item=s) for s in after if s not in before]
    lines += [say("plan_change_first_gone", item=s) for s in before if s not in after]
    old_steps, new_steps = (
        _top_steps(library, old, today, open_month),
        _top_steps(library, new, today, open_month),
    )
    lines += [say("plan_change_step_new", item=s) for s in new_steps if s not in old_steps]
    lines += [say("plan_change_step_gone", item=s) for s in old_steps if s not in new_steps]
    old_parts = parts_shown(library, derive_facts(old))
    new_parts = parts_shown(library, derive_facts(new))
    lines += [say("plan_change_part_new", part=PARTS[k][1]) for k in new_parts if k not in old_parts]
    lines += [say("plan_change_part_gone", part=PARTS[k][1]) for k in old_parts if k not in new_parts]
    if len(lines) > MAX_LINES:
        return [*lines[: MAX_LINES - 1], say("plan_change_more", count=len(lines) - MAX_LINES + 1)]
    return lines
