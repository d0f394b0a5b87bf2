"""The personal plan: the right parts for each profile, never contradicting ones, every snippet reachable."""

import itertools

import pytest

from bot.text import split_message, to_html
from dialogs.engine import Engine
from dialogs.events import Button
from dialogs.plan import SECTION_TITLES, build_plan
from dialogs.session import Session
from tests.conftest import TODAY

BASE = {
    "visa": "j1",
    "step1": "pass_first",
    "ck": 240,
    "usce": "both",
    "usce_weeks": 12,
    "letters_count": 3,
    "letters_from": ["im", "psych"],
    "research": "completed",
    "goals": ["cl"],
    "english": ["test"],
    "timing": "next_season",
}
PROFILES = {
    "ck262-clean": {**BASE, "ck": 262},
    "ck225-step1-fail-no-usce": {
        **BASE,
        "step1": "pass_after_fail",
        "ck": 225,
        "usce": "none",
        "letters_count": 0,
        "research": "none",
        "english": ["none"],
    },
    "ck-failed": {**BASE, "ck": "failed", "ck_retake": 214},
    "ck-not-taken": {**BASE, "ck": "not_taken"},
    "us-citizen": {**BASE, "visa": "none"},
    "ck236-borderline": {
        **BASE,
        "ck": 236,
        "research": "in_progress",
        "letters_count": 1,
        "letters_from": ["psych"],
    },
}
EXPECTED = {
    "ck262-clean": {
        "standing-ck-outstanding",
        "standing-step1-clean",
        "strategy-list-size-strong",
        "statement-clean-scores",
    },
    "ck225-step1-fail-no-usce": {
        "standing-ck-low",
        "standing-step1-after-fail",
        "standing-realistic-expectations",
        "strategy-list-size-at-risk",
        "strategy-parallel-paths",
        "action-usce-none",
        "action-letters-none",
        "action-qi-none",
        "action-english-no-evidence",
        "statement-own-step1-failure",
        "statement-own-low-ck",
    },
    "ck-failed": {
        "standing-ck-high-risk",
        "action-ck-failure",
        "statement-own-ck-failure",
        "strategy-prelim-year",
    },
    "ck-not-taken": {"standing-ck-not-taken", "statement-scores-pending"},
    "us-citizen": {"standing-us-citizen"},
    "ck236-borderline": {
        "standing-ck-borderline",
        "action-step3",
        "action-qi-in-progress",
        "action-letters-few",
    },
}
FORBIDDEN = {
    "ck262-clean": {
        "standing-ck-high-risk",
        "standing-realistic-expectations",
        "strategy-list-size-at-risk",
        "strategy-prelim-year",
    },
    "ck225-step1-fail-no-usce": {
        "standing-ck-strong",
        "standing-ck-outstanding",
        "strategy-list-size-strong",
        "statement-clean-scores",
        "action-step3",
    },
    "ck-failed": {"standing-ck-low", "standing-ck-strong", "statement-clean-scores", "action-step3"},
    "ck-not-taken": {"action-no-retake", "standing-ck-high-risk", "statement-own-low-ck"},
    "us-citizen": {"strategy-visa", "action-english", "action-english-no-evidence"},
    "ck236-borderline": {"standing-ck-low", "standing-ck-strong", "strategy-prelim-year", "action-no-retake"},
}
# A user never sees one of these beside one of the others.
COMPETITIVE = {"standing-ck-outstanding", "standing-ck-strong", "strategy-list-size-strong"}
AT_RISK = {
    "standing-ck-high-risk",
    "standing-ck-low",
    "standing-realistic-expectations",
    "strategy-list-size-at-risk",
    "strategy-prelim-year",
}


def plan_ids(library, answers):
    return {i for reply in build_plan(library, answers, TODAY, 6) for i in reply.snippet_ids}


@pytest.mark.parametrize("name", PROFILES)
def test_profile_gets_the_right_parts_and_none_that_contradict(library, name):
    ids = plan_ids(library, PROFILES[name])
    assert EXPECTED[name] <= ids, EXPECTED[name] - ids
    assert not (FORBIDDEN[name] & ids), FORBIDDEN[name] & ids
    assert not (ids & COMPETITIVE and ids & AT_RISK), (ids & COMPETITIVE, ids & AT_RISK)


def every_profile():
    """Yield answers covering every value of every fact that selects advice."""
    variants = itertools.product(
        ["j1", "none"],
        ["pass_first", "pass_after_fail", "failed", "not_taken"],
        [265, 250, 235, 225, 210, "failed", "not_taken"],
        [("none", None), ("im", 4), ("psych", 4), ("both", 12), ("other", 3)],
        [(0, None), (2, ["im"]), (4, ["im", "psych", "combined"])],
        ["completed", "in_progress", "none"],
        [["unsure"], ["smi", "cl"]],
        [["none"], ["test"]],
    )
    for visa, step1, ck, (usce, weeks), (letters, writers), research, goals, english in variants:
        answers = {
            "visa": visa,
            "step1": step1,
            "ck": ck,
            "usce": usce,
            "letters_count": letters,
            "research": research,
            "goals": goals,
            "english": english,
            "timing": "next_season",
        }
        if ck == "failed":
            answers["ck_retake"] = 221
        if weeks:
            answers["usce_weeks"] = weeks
        if writers:
            answers["letters_from"] = writers
        yield answers


def test_every_profile_gets_every_part_and_no_contradiction(library):
    seen: set[str] = set()
    for answers in every_profile():
        replies = build_plan(library, answers, TODAY, 6)
        parts = [r.text for r in replies if r.text.startswith("**") and r.snippet_ids]
        assert [p.split("**")[1] for p in parts] == list(SECTION_TITLES.values()), answers
        ids = {i for r in replies for i in r.snippet_ids}
        assert not (ids & COMPETITIVE and ids & AT_RISK), answers
        # A long part goes out as several messages, split between paragraphs.
        assert all(len(to_html(part)) <= 4096 for r in replies for part in split_message(r.text))
        seen |= ids
    advice = {s.id for s in library.snippets.values() if s.kind != "faq"}
    assert advice - seen == set(), "snippets no profile ever sees"


def test_each_part_says_why_and_the_plan_ends_with_sources(library):
    replies = build_plan(library, PROFILES["ck225-step1-fail-no-usce"], TODAY, 6)
    standing = next(r for r in replies if r.text.startswith("**1. Where you stand"))
    assert "Why you see this: Step 1: Passed after a failure; Step 2 CK: 225" in standing.text
    assert "general information, not a promise" in replies[-1].text
    assert replies[-1].choices, "the last message offers the PDF and reminders"
    faq_buttons = next(r for r in replies if r.text.startswith("**Questions people"))
    assert all(c.data.startswith("faq:") for row in faq_buttons.choices for c in row)


def test_timeline_part_is_dated(library):
    replies = build_plan(library, {**BASE, "timing": "next_season"}, TODAY, 6)
    timeline = next(r for r in replies if r.text.startswith("**5. Your timeline"))
    assert "12-18 months before: Dec 2026 to Jun 2027" in timeline.text
    assert "Application season 2028-29 (opens Jun 2028)" in timeline.text


def test_changing_an_answer_changes_the_plan(engine: Engine):
    session = Session(1, "reviewing_summary", PROFILES["ck262-clean"], turn=2)
    before = engine.handle(session, Button("plan:2"), TODAY)
    edit = engine.handle(before.session, Button(f"edit:{before.session.turn}:ck"), TODAY).session
    after_edit = engine.handle(edit, Button(f"ans:{edit.turn}:failed"), TODAY).session
    after_retake = engine.handle(after_edit, Button(f"ans:{after_edit.turn}:not_yet"), TODAY).session
    plan = engine.handle(after_retake, Button(f"plan:{after_retake.turn}"), TODAY)
    ids_before = {i for r in before.replies for i in r.snippet_ids}
    ids_after = {i for r in plan.replies for i in r.snippet_ids}
    assert "standing-ck-outstanding" in ids_before and "standing-ck-high-risk" in ids_after
    assert "standing-ck-outstanding" not in ids_after


def test_coverage_map_lists_every_article_section(library):
    expected = {
        "understanding-your-position",
        "what-counts-as-low",
        "how-low-scores-affect-med-psych",
        "define-med-psych-identity",
        "align-experiences",
        "personal-statement",
        "program-landscape",
        "parallel-pathways",
        "program-list",
        "letters",
        "usce",
        "research-qi",
        "communication-visa",
        "step1-red-flag",
        "step2-red-flag",
        "retake-or-delay",
        "timeline-12-18",
        "timeline-9-12",
        "timeline-6-9",
        "timeline-eras",
        "timeline-no-match",
        "faq-realistic-chance",
        "faq-usce-letters",
        "faq-step1-in-statement",
        "faq-career-without-combined",
        "closing",
    }
    assert set(library.coverage) == expected
    for key, entry in library.coverage.items():
        kinds = {library.snippets[i].kind for i in entry["snippets"]}
        assert kinds, key
    covered = {i for entry in library.coverage.values() for i in entry["snippets"]}
    assert {s.id for s in library.snippets.values()} <= covered, "every snippet restates some section"


@pytest.mark.parametrize(
    "figure",
    [
        "260",
        "245-259",
        "230-244",
        "220-229",
        "under 220",
        "2-4",
        "3-4",
        "3-8 weeks",
        "40-80",
        "40-60",
        "12-18",
        "9-12",
        "6-9",
    ],
)
def test_the_articles_figures_reach_the_content(library, figure):
    text = " ".join(s.body for s in library.snippets.values())
    assert figure in text
