"""Assemble the personal plan from the snippets whose conditions match a user's facts."""

from datetime import date
from typing import Any

from content.model import Library, Snippet
from dialogs import timeline
from dialogs.profile import derive_facts, matches
from dialogs.replies import Choice, Reply
from dialogs.views import answer_label, rating_row

SECTION_TITLES = {
    "standing": "1. Where you stand",
    "strategy": "2. What to apply to",
    "actions": "3. Your next actions",
    "statement": "4. Your personal statement",
    "timeline": "5. Your timeline",
}
# Which answers explain a fact, for the "why you see this" line.
FACT_SOURCES = {
    "visa": ("visa",),
    "step1": ("step1",),
    "ck_status": ("ck", "ck_retake"),
    "ck_band": ("ck", "ck_retake"),
    "red_flag": ("step1", "ck"),
    "usce": ("usce", "usce_weeks"),
    "usce_level": ("usce", "usce_weeks"),
    "letters": ("letters_count",),
    "letters_from": ("letters_from",),
    "research": ("research",),
    "goals": ("goals",),
    "english": ("english",),
    "timing": ("timing",),
}
PLAN_FAQ_LIMIT = 5


def select_snippets(library: Library, facts: dict[str, set[Any]], section: str) -> list[Snippet]:
    """Return the snippets of *section* that apply to *facts*, in order."""
    chosen = [s for s in library.snippets.values() if s.section == section and matches(s.applies_when, facts)]
    return sorted(chosen, key=lambda s: (s.order, s.id))


def _reasons(library: Library, answers: dict[str, Any], snippets: list[Snippet]) -> str | None:
    fields: list[str] = []
    for snippet in snippets:
        for fact in snippet.applies_when:
            for field in FACT_SOURCES.get(fact, ()):
                if field in answers and field not in fields:
                    fields.append(field)
    order = [q.id for q in library.questions]
    parts = []
    for field in sorted(fields, key=order.index):
        question = library.question(field)
        parts.append(f"{question.short}: {answer_label(question, answers[field])}")
    return "; ".join(parts) or None


def _why_line(library: Library, answers: dict[str, Any], snippets: list[Snippet]) -> str:
    reasons = _reasons(library, answers, snippets)
    if reasons is None:
        return library.message("plan_why_everyone")
    return library.message("plan_why", reasons=reasons)


def dated_milestones(
    library: Library, answers: dict[str, Any], today: date, open_month: int
) -> list[tuple[timeline.Milestone, Snippet]]:
    """Return the user's timeline phases with their dates, earliest first."""
    opening = timeline.season_opening(answers.get("timing", "next_season"), today, open_month)
    snippets = select_snippets(library, derive_facts(answers), "timeline")
    dated = [(timeline.date_phase(s.id, s.months_before, opening, today), s) for s in snippets]
    return sorted(dated, key=lambda pair: pair[0].start)


def _timeline_text(library: Library, answers: dict[str, Any], today: date, open_month: int) -> str:
    blocks = []
    for milestone, snippet in dated_milestones(library, answers, today, open_month):
        marker = " _(already past: do what you still can now)_" if milestone.past else ""
        if milestone.current:
            marker = " _(you are here)_"
        blocks.append(f"**{milestone.label}**{marker}\n{snippet.body}")
    return "\n\n".join(blocks)


def timeline_reply(library: Library, answers: dict[str, Any], today: date, open_month: int) -> Reply:
    """Return the dated timeline on its own (/timeline)."""
    opening = timeline.season_opening(answers.get("timing", "next_season"), today, open_month)
    title = library.message("timeline_title", opening=timeline.month_label(opening))
    body = _timeline_text(library, answers, today, open_month)
    return Reply(f"{title}\n\n{body}", (rating_row(library, "part-timeline"),), kind="plan")


def build_plan(
    library: Library, answers: dict[str, Any], today: date, open_month: int, reminders: bool = False
) -> list[Reply]:
    """Return the plan as one reply per part, then the related FAQs and the sources."""
    facts = derive_facts(answers)
    # The intro has no buttons of its own, so it travels with the first part (one message fewer).
    replies = [Reply(library.message("plan_intro"), kind="plan_intro")]
    used: list[Snippet] = []
    for section, title in SECTION_TITLES.items():
        snippets = select_snippets(library, facts, section)
        if not snippets:
            continue
        used += snippets
        if section == "timeline":
            body = _timeline_text(library, answers, today, open_month)
        else:
            body = "\n\n".join(s.body for s in snippets)
        text = f"**{title}**\n\n{body}\n\n{_why_line(library, answers, snippets)}"
        rating = (rating_row(library, f"part-{section}"),)
        replies.append(Reply(text, rating, kind="plan", snippet_ids=tuple(s.id for s in snippets)))
    related: list[str] = []
    for snippet in used:
        for other in snippet.see_also:
            if library.snippets[other].kind == "faq" and other not in related:
                related.append(other)
    if related:
        rows = tuple((Choice(library.snippets[i].title, f"faq:{i}"),) for i in related[:PLAN_FAQ_LIMIT])
        replies.append(Reply(library.message("plan_faq_title"), rows, kind="plan"))
    remind = ("remind_off_button", "rem:off") if reminders else ("remind_on_button", "rem:on")
    actions = (
        (Choice(library.message("pdf_button"), "doc:plan"),),
        (Choice(library.message(remind[0]), remind[1]),),
    )
    closing = f"{library.message('plan_sources')}\n\n{library.message('plan_menu')}"
    replies.append(Reply(closing, actions, kind="plan"))
    return replies
