"""Assemble the personal plan from the snippets whose conditions match a user's facts.

The chat shows a first message that fits one phone screen (verdict, blockers, three dated steps) with a
button per part; each part fits one message. The PDF gets every part in full plus the background.
Both come from the same sections of blocks (dialogs/sections.py): the chat as Markdown, the PDF laid out.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from content.model import Library, Snippet
from dialogs import timeline
from dialogs.buttons import Document, PlanPart, Rating, Reminder, Topic
from dialogs.profile import derive_facts, matches
from dialogs.replies import Choice, Reply
from dialogs.sections import Block, Section, Shrink, blocks_markdown
from dialogs.views import answer_label, rating_row

FIRST_LIMIT = 900  # the first message: one phone screen
PART_LIMIT = 1500  # each part: one short message
# Part key -> (section, title). The order is the order of the buttons and of the PDF.
PARTS = {
    "programs": ("strategy", "Programs"),
    "actions": ("actions", "Actions"),
    "statement": ("statement", "Personal statement"),
    "redflags": ("redflags", "Red flags"),
    "timeline": ("timeline", "Timeline"),
    "ask": ("", "Ask a question"),
}
SECTION_TITLES = {key: title for key, (_, title) in PARTS.items()}  # rateable plan parts
PLAN_FAQ_LIMIT = 5
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PREP_MONTHS = 9  # phases ending this far ahead (rotations, letters) cannot be squeezed in


@dataclass(frozen=True)
class Step:
    """A dated step of the plan: a snippet with a headline, placed in its timeline phase."""

    snippet: Snippet
    milestone: timeline.Milestone
    when: str  # e.g. "Dec 2026 to Jun 2027", "now to Jun 2027", "start now"


def select_snippets(library: Library, facts: dict[str, set[Any]], section: str) -> list[Snippet]:
    """Return the snippets of *section* that apply to *facts*, in order."""
    chosen = [s for s in library.snippets.values() if s.section == section and matches(s.applies_when, facts)]
    return sorted(chosen, key=lambda s: (s.order, s.id))


def fill(library: Library, text: str, answers: dict[str, Any]) -> str:
    """Return *text* with each {question_id} replaced by the user's answer as they gave it."""

    def value(match: re.Match[str]) -> str:
        question = library.question(match.group(1))
        answer = answers.get(match.group(1))
        if question is None or answer is None:
            return match.group(0)  # left visible so the profile sweep catches it
        if isinstance(answer, int) and question.option(answer) is None:
            return str(answer)  # a typed score reads "221", not "Passed, 221"
        return answer_label(question, answer)

    return PLACEHOLDER.sub(value, text)


def season_start(answers: dict[str, Any], today: date, open_month: int) -> date:
    """Return the first day of the application season the plan is dated for."""
    return timeline.season_opening(answers.get("timing", "next_season"), today, open_month)


def dated_milestones(
    library: Library, answers: dict[str, Any], today: date, open_month: int
) -> list[tuple[timeline.Milestone, Snippet]]:
    """Return the user's timeline phases with their dates, earliest first."""
    opening = season_start(answers, today, open_month)
    snippets = select_snippets(library, derive_facts(answers), "timeline")
    # Every timeline snippet has months_before (the loader refuses one without).
    dated = [
        (timeline.date_phase(s.id, s.months_before, opening, today), s)
        for s in snippets
        if s.months_before is not None
    ]
    return sorted(dated, key=lambda pair: pair[0].start)


def _when(milestone: timeline.Milestone, opening: date, today: date) -> str:
    ends_this_month = (milestone.end.year, milestone.end.month) == (today.year, today.month)
    if milestone.past or (milestone.current and ends_this_month):  # "now to Dec 2026" on 1 Dec 2026
        return "start now"
    if milestone.start == opening:
        return f"season opens {timeline.month_label(opening)}"
    end = timeline.month_label(milestone.end)
    if milestone.current:
        return f"now to {end}"
    return f"{timeline.month_label(milestone.start)} to {end}"


def dated_steps(library: Library, answers: dict[str, Any], today: date, open_month: int) -> list[Step]:
    """Return the user's dated steps, most important first."""
    opening = season_start(answers, today, open_month)
    facts = derive_facts(answers)
    steps = []
    for snippet in library.snippets.values():
        months = snippet.months_before  # the loader requires them of every snippet with a headline
        if snippet.headline and months and snippet.kind != "faq" and matches(snippet.applies_when, facts):
            milestone = timeline.date_phase(snippet.id, months, opening, today)
            steps.append(Step(snippet, milestone, _when(milestone, opening, today)))
    return sorted(steps, key=lambda s: (s.snippet.priority, s.milestone.start, s.snippet.id))


def _time_blocker(
    library: Library, answers: dict[str, Any], steps: list[Step], today: date, open_month: int
) -> tuple[str, str] | None:
    """Return the "this season is too soon" blocker (full, short) when preparation steps are overdue."""
    if answers.get("timing") != "this_season":
        return None
    late = [
        s
        for s in steps
        if s.milestone.past and s.snippet.short and min(s.milestone.months_before) >= PREP_MONTHS
    ]
    if not late:
        return None
    opening = season_start(answers, today, open_month)
    months = (opening.year - today.year) * 12 + opening.month - today.month
    needs = [s.snippet.short for s in late]
    listed = ", ".join(needs[:-1]) + f" and {needs[-1]}" if len(needs) > 1 else needs[0]
    after = timeline.month_label(timeline.season_opening("next_season", today, open_month))
    values = {"months": months, "opening": timeline.month_label(opening), "after": after}
    return (
        library.message("plan_time_blocker", needs=listed, **values),
        library.message("plan_time_blocker_short", **values),
    )


def blockers(
    library: Library, answers: dict[str, Any], today: date, open_month: int
) -> list[tuple[str, str]]:
    """Return what must happen before anything else, hardest first, each as (full, short)."""
    facts = derive_facts(answers)
    found = []
    for snippet in select_snippets(library, facts, "blockers"):
        body = fill(library, snippet.body, answers)
        found.append((body, _first_sentence(body)))
    late = _time_blocker(
        library, answers, dated_steps(library, answers, today, open_month), today, open_month
    )
    return found + ([late] if late else [])


def content_blockers(library: Library, answers: dict[str, Any]) -> list[Snippet]:
    """Return what must happen before anything else ("Pass Step 2 CK"); not "this season is tight",
    which is about when, not what."""
    return select_snippets(library, derive_facts(answers), "blockers")


def first_step_text(library: Library, answers: dict[str, Any], today: date, open_month: int) -> str:
    """Return the one thing to do first: what must happen before anything else, else the step that
    matters most now, with its first sentence ("what should I do first? like tomorrow morning")."""
    stops = content_blockers(library, answers)
    if stops:
        return library.message("first_step_blocker", blocker=fill(library, stops[0].body, answers))
    steps = dated_steps(library, answers, today, open_month)
    if not steps:
        return library.message("first_step_none")
    step = steps[0]
    detail = _first_sentence(fill(library, step.snippet.body, answers))
    headline = fill(library, step.snippet.headline or "", answers)
    return library.message("first_step", step=headline, when=step.when, detail=detail)


def where_you_stand(library: Library, answers: dict[str, Any]) -> str | None:
    """Return the first sentence of the plan's verdict for *answers* ("Your CK of 226 is in the
    guide's low band (220-229)."), or None before there is a Step 2 CK answer."""
    if answers.get("ck") is None:
        return None
    verdicts = select_snippets(library, derive_facts(answers), "verdict")
    return _first_sentence(fill(library, verdicts[0].body, answers)) if verdicts else None


def faq_notes(library: Library, faq_id: str, answers: dict[str, Any]) -> list[str]:
    """Return the lines said above the FAQ answer *faq_id* for these answers (content/guidance, section
    faq_note): "You need an H-1B, so ..." where the answer itself speaks of the J-1."""
    if not answers:
        return []
    facts = derive_facts(answers)
    if answers.get("ck") == "failed" and "ck_retake" not in answers:
        facts.pop("ck_pass", None)  # the retake not answered yet: passed since, or not, is unknown
    notes = select_snippets(library, facts, "faq_note")
    return [fill(library, s.body, answers) for s in notes if faq_id in s.notes]


def _first_sentence(text: str) -> str:
    match = re.search(r"[.!?](\*\*)?\s", text)
    return text[: match.end()].rstrip() if match else text


def _header(library: Library, answers: dict[str, Any], today: date, open_month: int) -> str:
    opening = timeline.month_label(season_start(answers, today, open_month))
    key = "plan_header_unsure" if answers.get("timing") == "unsure" else "plan_header"
    return library.message(key, opening=opening)


def glance(library: Library, answers: dict[str, Any], today: date, open_month: int) -> Section:
    """Return the plan at a glance: verdict, blockers, the three steps that matter most now."""
    # With the footer it must fit one phone screen, so when it is too long the extras give way in turn:
    # the verdict's side notes (the parts hold them too), then all but the first sentence of the
    # verdict, then of each blocker. The three dated steps always stay.
    facts = derive_facts(answers)
    verdicts = [fill(library, s.body, answers) for s in select_snippets(library, facts, "verdict")]
    stops = blockers(library, answers, today, open_month)
    # the three that matter most, shown in the order they start (a later step listed first read as wrong)
    steps = sorted(dated_steps(library, answers, today, open_month)[:3], key=lambda s: s.milestone.start)
    numbered = [
        f"{n}. {fill(library, s.snippet.headline, answers)} ({s.when})" for n, s in enumerate(steps, 1)
    ]
    head = Block(_header(library, answers, today, open_month))
    tail = Block("\n".join(numbered), heading=library.message("plan_steps_title"))
    footer = _footer(library)

    def compose(verdict: list[str], blocks: list[str]) -> list[Block]:
        chosen = [head, Block(" ".join(verdict))]
        if blocks:
            items = "\n".join(f"- {b}" for b in blocks)
            chosen.append(Block(items, heading=library.message("plan_blockers_title")))
        return [*chosen, tail]

    def too_long(blocks: list[Block]) -> bool:
        return len(blocks_markdown([*blocks, footer])) > FIRST_LIMIT

    full = [b for b, _ in stops]
    chosen = compose(verdicts, full)
    if too_long(chosen):
        chosen = compose(verdicts[:1], full)
    if too_long(chosen):
        chosen = compose([_first_sentence(verdicts[0])], full)
    if too_long(chosen):
        chosen = compose([_first_sentence(verdicts[0])], [short for _, short in stops])
    return Section("Your plan at a glance", tuple(chosen))


def _footer(library: Library) -> Block:
    return Block(library.message("plan_footer"))  # chat only: it points to buttons


def first_message_text(library: Library, answers: dict[str, Any], today: date, open_month: int) -> str:
    """Return the plan's first message: the plan at a glance and a pointer to the parts and the PDF."""
    return blocks_markdown([*glance(library, answers, today, open_month).blocks, _footer(library)])


def parts_shown(library: Library, facts: dict[str, set[Any]]) -> list[str]:
    """Return the keys of the plan parts that have something to show for *facts*, in button order."""
    return [
        key for key, (section, _) in PARTS.items() if not section or select_snippets(library, facts, section)
    ]


def _part_buttons(
    library: Library, facts: dict[str, set[Any]], exclude: str = ""
) -> list[tuple[Choice, ...]]:
    buttons = [Choice(PARTS[k][1], PlanPart(k).encode()) for k in parts_shown(library, facts) if k != exclude]
    return [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]


def build_plan(library: Library, answers: dict[str, Any], today: date, open_month: int) -> list[Reply]:
    """Return the plan as the chat shows it first: one message with a button per part and the PDF."""
    facts = derive_facts(answers)
    rows = [*_part_buttons(library, facts), (Choice(library.message("pdf_button"), Document().encode()),)]
    text = first_message_text(library, answers, today, open_month)
    ids = tuple(s.id for section in ("verdict", "blockers") for s in select_snippets(library, facts, section))
    return [Reply(text, tuple(rows), kind="plan", snippet_ids=ids)]


def _fit(head: Block, blocks: list[Block], limit: int, more: Block) -> str:
    """Join *blocks* under *head* within *limit*: shorten the last ones, then drop them."""
    # Blocks come most important first, so what gives way is what matters least. The PDF has everything.
    chosen: list[Block | None] = list(blocks)
    text = blocks_markdown([head, *blocks])
    index = len(blocks) - 1
    while len(text) > limit and index >= 0:
        chosen[index] = blocks[index].shortened()
        index -= 1
        text = blocks_markdown([head, *filter(None, chosen), more])
    kept = [b for b in chosen if b is not None]
    while len(text) > limit and len(kept) > 1:
        kept.pop()
        text = blocks_markdown([head, *kept, more])
    return text


def _action_blocks(
    library: Library, answers: dict[str, Any], snippets: list[Snippet], steps: list[Step]
) -> list[Block]:
    when = {s.snippet.id: s.when for s in steps}
    blocks = []
    # Dated steps first (the first message named the top three), then the notes, each by priority.
    for snippet in sorted(snippets, key=lambda s: (not s.headline, s.priority, s.order, s.id)):
        body = fill(library, snippet.body, answers)
        if snippet.headline:
            headline = fill(library, snippet.headline, answers)
            blocks.append(
                Block(body, heading=headline, aside=f" ({when[snippet.id]})", shrink=Shrink.HEADING)
            )
        else:
            blocks.append(Block(body, shrink=Shrink.DROP))  # an undated note can go
    return blocks


def phase_text(library: Library, answers: dict[str, Any], phase: Snippet, steps: list[Step]) -> str:
    """Return one timeline phase as a list: the user's own dated steps in it, then what everyone does."""
    own = [
        f"- {fill(library, s.snippet.headline, answers)}"
        for s in sorted(steps, key=lambda s: s.snippet.order)
        if s.snippet.months_before == phase.months_before
    ]
    return "\n".join([*own, phase.body])


def _timeline_blocks(library: Library, answers: dict[str, Any], today: date, open_month: int) -> list[Block]:
    steps = dated_steps(library, answers, today, open_month)
    # what must happen before any dated step ("Pass Step 2 CK") heads the timeline, as it heads the plan
    stops = content_blockers(library, answers)
    blocks = (
        [Block("\n".join(f"- {s.title}" for s in stops), heading=library.message("timeline_first"))]
        if stops
        else []
    )
    for milestone, snippet in dated_milestones(library, answers, today, open_month):
        marker = library.message("timeline_past") if milestone.past else ""
        if milestone.current:
            marker = library.message("timeline_here")
        text = phase_text(library, answers, snippet, steps)
        blocks.append(Block(text, heading=milestone.label, aside=marker))
    return blocks


def part_blocks(
    library: Library, answers: dict[str, Any], part: str, today: date, open_month: int
) -> list[Block]:
    """Return the blocks of one plan part in full, most important first."""
    section = PARTS[part][0]
    facts = derive_facts(answers)
    snippets = select_snippets(library, facts, section)
    if part == "timeline":
        return _timeline_blocks(library, answers, today, open_month)
    if part == "actions":
        return _action_blocks(library, answers, snippets, dated_steps(library, answers, today, open_month))
    texts: list[str] = []
    for snippet in snippets:
        body = fill(library, snippet.body, answers)
        previous = texts[-1] if texts else ""
        if body.startswith("- ") and (previous.endswith(":") or previous.split("\n")[-1].startswith("- ")):
            texts[-1] += "\n" + body  # list items (story angles) stay one block with their intro
        else:
            texts.append(body)
    return [Block(text) for text in texts]


def related_faqs(library: Library, answers: dict[str, Any]) -> list[str]:
    """Return the FAQ ids the user's plan points to, first seen first.

    An FAQ's `applies_when` says which plans may list it (a Step 1 failure question only for a Step 1
    failure); search ignores it, so anyone who asks still gets the answer.
    """
    facts = derive_facts(answers)
    related: list[str] = []
    for section in ("verdict", "blockers", "strategy", "actions", "statement", "redflags"):
        for snippet in select_snippets(library, facts, section):
            for other in snippet.see_also:
                faq = library.snippets[other]
                if faq.kind == "faq" and other not in related and matches(faq.applies_when, facts):
                    related.append(other)
    return related


def part_reply(
    library: Library,
    answers: dict[str, Any],
    part: str,
    today: date,
    open_month: int,
    reminders: bool = False,
) -> Reply:
    """Return one plan part as a message of at most PART_LIMIT characters, with buttons to the others."""
    facts = derive_facts(answers)
    title = PARTS[part][1]
    nav = _part_buttons(library, facts, exclude=part)
    if part == "ask":
        faqs = [
            (Choice(library.snippets[i].title, Topic(i).encode()),) for i in related_faqs(library, answers)
        ]
        text = blocks_markdown([Block(heading=title), Block(library.message("plan_ask"))])
        return Reply(text, (*faqs[:PLAN_FAQ_LIMIT], *nav), kind="plan")
    head = Block(heading=title)
    if part == "timeline":
        opening = timeline.month_label(season_start(answers, today, open_month))
        head = Block(library.message("timeline_title", opening=opening))
    more = Block(library.message("plan_more_in_pdf"))
    # a part the answers call for nothing in (no red flags) is typed by name, never shown as a button:
    # say so rather than send a bare heading
    empty = f"plan_empty_{part}" if f"plan_empty_{part}" in library.messages else "plan_part_empty"
    blocks = part_blocks(library, answers, part, today, open_month) or [Block(library.message(empty))]
    text = _fit(head, blocks, PART_LIMIT, more)
    rows: list[tuple[Choice, ...]] = [rating_row(library, Rating.part_item(part))]
    if part == "timeline":
        remind = "remind_off_button" if reminders else "remind_on_button"
        rows.append((Choice(library.message(remind), Reminder(not reminders).encode()),))
    snippet_ids = tuple(s.id for s in select_snippets(library, facts, PARTS[part][0]))
    pdf = (Choice(library.message("pdf_button"), Document().encode()),)  # a shortened part points to the PDF
    return Reply(text, (*rows, *nav, pdf), kind="plan", snippet_ids=snippet_ids)


def timeline_reply(library: Library, answers: dict[str, Any], today: date, open_month: int) -> Reply:
    """Return the dated timeline on its own (/timeline)."""
    return part_reply(library, answers, "timeline", today, open_month)


def full_plan(library: Library, answers: dict[str, Any], today: date, open_month: int) -> list[Section]:
    """Return every part of the plan in full, for the PDF."""
    facts = derive_facts(answers)
    sections = [glance(library, answers, today, open_month)]
    for part, (section, title) in PARTS.items():
        if section and select_snippets(library, facts, section):
            sections.append(Section(title, tuple(part_blocks(library, answers, part, today, open_month))))
    background = tuple(
        Block(fill(library, s.body, answers)) for s in select_snippets(library, facts, "reference")
    )
    sections.append(Section("Background from the guide", background))
    faqs = [f"- {library.snippets[i].title}" for i in related_faqs(library, answers)]
    if faqs:
        sections.append(Section(library.message("plan_faq_title"), (Block("\n".join(faqs)),)))
    sections.append(Section("", (Block(library.message("plan_sources")),)))
    return sections
