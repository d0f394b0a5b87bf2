"""The machine decides where a move leads, and refuses the moves its table does not allow."""

import pytest
from transitions import MachineError

from dialogs import rules
from dialogs.machine import Mover, build_machine
from dialogs.session import NEW, PLAN, SUMMARY, Session

COMPLETE = {
    "visa": "j1",
    "step1": "pass_first",
    "ck": 240,
    "usce": "im",
    "usce_kind": "hands_on",
    "usce_weeks": 8,
    "letters_count": 0,
    "research": "none",
    "goals": ["unsure"],
    "english": [],
    "timing": "this_season",
}


@pytest.fixture(scope="module")
def mover(library):
    return Mover(build_machine(library.questions))


def state_of(library, qid):
    return library.question(qid).state


def test_the_complete_fixture_is_complete(library):
    assert rules.is_complete(library.questions, COMPLETE)


@pytest.mark.parametrize(
    "ck,follows",
    [("failed", "ck_retake"), (240, "usce"), ("not_taken", "usce")],
)
def test_an_answer_leads_to_the_first_later_question_that_applies(library, mover, ck, follows):
    session = Session(
        1, state=state_of(library, "ck"), answers={"visa": "j1", "step1": "pass_first", "ck": ck}
    )
    assert mover.move(session, "answer") == state_of(library, follows)


def test_an_edit_asks_only_what_it_opened_then_returns_to_the_summary(library, mover):
    usce = state_of(library, "usce")
    opened = Session(1, state=usce, answers={**COMPLETE, "usce": "both"}, editing=True)
    assert mover.move(opened, "answer") == state_of(library, "usce_psych_weeks")
    unchanged = Session(1, state=usce, answers=COMPLETE, editing=True)
    assert mover.move(unchanged, "answer") == SUMMARY


def test_an_answer_passes_over_later_questions_already_answered_in_one_message(library, mover):
    # "J-1, CK 241, IM rotations" at the visa question: tapping Step 1 then asks the USCE kind
    typed = {"visa": "j1", "step1": "pass_first", "ck": 241, "usce": "im"}
    at_step1 = Session(1, state=state_of(library, "step1"), answers=typed)
    assert mover.move(at_step1, "answer") == state_of(library, "usce_kind")


def test_fill_leads_to_the_first_question_still_open(library, mover):
    answers = {k: v for k, v in COMPLETE.items() if k != "research"}
    assert mover.move(Session(1, state=SUMMARY, answers=answers), "fill") == state_of(library, "research")
    assert mover.move(Session(1, state=SUMMARY, answers=COMPLETE), "fill") == SUMMARY
    assert mover.move(Session(1, state=PLAN, answers=COMPLETE), "fill") == PLAN


def test_back_from_an_edit_returns_to_the_summary(library, mover):
    editing = Session(1, state=state_of(library, "research"), answers=COMPLETE, editing=True)
    assert mover.move(editing, "go_back") == SUMMARY
    asking = Session(1, state=state_of(library, "research"), answers=COMPLETE)
    assert mover.move(asking, "go_back") == state_of(library, "letters_count")


def test_back_skips_a_follow_up_that_does_not_apply(library, mover):
    session = Session(1, state=state_of(library, "usce"), answers={**COMPLETE, "ck": 240})
    assert mover.move(session, "go_back") == state_of(library, "ck")


def test_the_machine_refuses_back_at_the_first_question(library, mover):
    first = Session(1, state=library.questions[0].state)
    assert not mover.may(first, "go_back")
    with pytest.raises(MachineError):
        mover.move(first, "go_back")


def test_the_machine_refuses_the_plan_before_the_questionnaire_is_done(library, mover):
    incomplete = Session(1, state=SUMMARY, answers={"visa": "j1"})
    assert not mover.may(incomplete, "show_plan")
    with pytest.raises(MachineError):
        mover.move(incomplete, "show_plan")
    assert mover.move(Session(1, state=SUMMARY, answers=COMPLETE), "show_plan") == PLAN


def test_the_machine_refuses_to_edit_a_question_that_does_not_apply(library, mover):
    summary = Session(1, state=SUMMARY, answers=COMPLETE)
    assert not mover.may(summary, "edit", question="ck_retake")  # CK was passed
    assert mover.move(summary, "edit", question="ck") == state_of(library, "ck")


def test_the_machine_refuses_a_trigger_its_table_lacks(library, mover):
    with pytest.raises(MachineError):
        mover.move(Session(1, state=NEW), "show_plan")
    with pytest.raises(MachineError):
        mover.move(Session(1, state=state_of(library, "visa")), "edit", question="ck")
