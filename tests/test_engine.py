"""The dialog engine, table-driven: every question, valid and invalid answers, navigation."""

import pytest

from dialogs.events import Button, Command, Text, Unsupported
from dialogs.session import Session
from tests.conftest import TODAY

# A full set of answers in questionnaire order, as (state, event-maker) steps.
PATH = {
    "visa": "j1",
    "step1": "pass_after_fail",
    "ck": 225,
    "usce": "im",
    "usce_kind": "hands_on",
    "usce_weeks": 6,
    "letters_count": 2,
    "letters_from": ["im", "psych"],
    "research": "none",
    "goals": ["cl"],
    "english": ["test"],
    "timing": "next_season",
}


def send(engine, session, event):
    """Apply one event; return (session, outcome)."""
    outcome = engine.handle(session, event, TODAY)
    return outcome.session, outcome


def at(engine, state, answers=None, **extra):
    """Return a session sitting at *state* with *answers*."""
    return Session(user_id=7, state=state, answers=dict(answers or {}), turn=5, **extra)


def answers_before(engine, question_id):
    """Return the PATH answers of every question before *question_id*, opening follow-ups it needs."""
    ids = [q.id for q in engine.questions]
    answers = {k: v for k, v in PATH.items() if ids.index(k) < ids.index(question_id)}
    if question_id == "ck_retake":
        answers["ck"] = "failed"
    return answers


def test_start_asks_the_first_question(engine):
    session, outcome = send(engine, Session(user_id=1), Command("start"))
    assert session.state == "asking_visa"
    assert "Question 1 of 9" in outcome.replies[-1].text
    assert [c.label for row in outcome.replies[-1].choices for c in row][:2] == ["Yes, J-1", "Yes, H-1B"]


def test_a_second_start_before_any_answer_welcomes_again(engine):
    session, _ = send(engine, Session(user_id=1), Command("start"))
    session, outcome = send(engine, session, Command("start"))
    texts = " ".join(r.text for r in outcome.replies)
    assert "Welcome back" not in texts and "saved" not in texts
    assert session.state == "asking_visa" and "Question 1 of 9" in outcome.replies[-1].text


CHOICE_CASES = [
    ("visa", "j1", "asking_step1"),
    ("visa", "none", "asking_step1"),
    ("step1", "pass_first", "asking_ck"),
    ("step1", "failed", "asking_ck"),
    ("ck", "failed", "asking_ck_retake"),
    ("ck", "not_taken", "asking_usce"),
    ("ck_retake", "not_yet", "asking_usce"),
    ("usce", "none", "asking_letters_count"),
    ("usce", "both", "asking_usce_kind"),
    ("usce_weeks", "9-16", "asking_letters_count"),
    ("letters_count", "0", "asking_research"),
    ("letters_count", "3", "asking_letters_from"),
    ("research", "in_progress", "asking_goals"),
    ("timing", "later", "reviewing_summary"),
]


@pytest.mark.parametrize("question_id,value,expected", CHOICE_CASES)
def test_each_button_answer_moves_to_the_right_question(engine, question_id, value, expected):
    answers = answers_before(engine, question_id)
    session = at(engine, f"asking_{question_id}", answers)
    session, _outcome = send(engine, session, Button(f"ans:5:{value}"))
    assert session.state == expected
    stored = session.answers[question_id]
    assert str(stored) == value


TYPED_CASES = [
    ("ck", "225", 225),
    ("ck", "CK 225", 225),
    ("ck", "225.", 225),
    ("ck", "my score is 225", 225),
    ("ck", "２２５", 225),
    ("ck", "Step 2 CK: 241", 241),
    ("ck", "failed", "failed"),
    ("ck", "not taken", "not_taken"),
    ("ck_retake", "218", 218),
    ("usce_weeks", "8 weeks", 8),
    ("usce_weeks", "2 months", 8),
    ("letters_count", "3", 3),
    ("letters_count", "5", 4),
    ("visa", "J1", "j1"),
    ("visa", "h-1b", "h1b"),
    ("step1", "first attempt", "pass_first"),
    ("research", "ongoing", "in_progress"),
    ("timing", "the season after", "next_season"),
]


def test_next_season_typed_in_december_is_confirmed_with_its_date(engine):
    """In December "next season" may mean the one about to open: one tap settles it."""
    answers = answers_before(engine, "timing")
    session, outcome = send(engine, at(engine, "asking_timing", answers), Text("next season"))
    assert "timing" not in session.answers
    assert session.pending == "doubt" and session.doubt == ("timing", "next_season")
    assert any("season after" in r.text.lower() for r in outcome.replies), [r.text for r in outcome.replies]


@pytest.mark.parametrize("question_id,text,value", TYPED_CASES)
def test_typed_answers_are_understood(engine, question_id, text, value):
    answers = answers_before(engine, question_id)
    session, _ = send(engine, at(engine, f"asking_{question_id}", answers), Text(text))
    assert session.answers[question_id] == value


INVALID_CASES = [
    ("ck", "abc", "three-digit"),
    ("ck", "-5", "three-digit"),
    ("ck", "999", "three-digit"),
    ("ck", "225.7", "three-digit"),
    ("ck", "1e3", "three-digit"),
    ("ck", "2 2 5", "three-digit"),
    ("ck", "225 or 230", "three-digit"),
    ("ck", "0", "three-digit"),
    ("ck", "my score is 22x", "three-digit"),
    ("ck", "2o5", "three-digit"),
    ("ck_retake", "yes", "passed with"),
    ("usce_weeks", "lots", "best guess in weeks"),  # a rough amount: asked for a guess
    ("usce_weeks", "0", "number of weeks"),
    ("visa", "maybe later", "J-1, H-1B"),
    ("step1", "xyz", "Step 1 went"),
    ("letters_count", "-1", "how many US letters"),
]


@pytest.mark.parametrize("question_id,text,message", INVALID_CASES)
def test_invalid_typed_answer_reprompts_and_stays(engine, question_id, text, message):
    answers = answers_before(engine, question_id)
    before = at(engine, f"asking_{question_id}", answers)
    session, outcome = send(engine, before, Text(text))
    assert session.state == before.state and session.answers == before.answers
    assert message in outcome.replies[0].text
    assert outcome.replies[-1].kind == "question"


def test_multi_select_toggles_then_done(engine):
    session = at(engine, "asking_goals", answers_before(engine, "goals"))
    session, outcome = send(engine, session, Button("tog:5:cl"))
    assert session.draft == ("cl",) and outcome.replies[0].edit
    session, _ = send(engine, session, Button("tog:5:smi"))
    assert session.draft == ("smi", "cl")
    session, _ = send(engine, session, Button("tog:5:unsure"))
    assert session.draft == ("unsure",), "not sure excludes the others"
    session, _ = send(engine, session, Button("tog:5:addiction"))
    assert session.draft == ("addiction",)
    session, _ = send(engine, session, Button("done:5"))
    assert session.state == "asking_english" and session.answers["goals"] == ["addiction"]


def test_done_with_nothing_selected_does_not_move(engine):
    session = at(engine, "asking_english", answers_before(engine, "english"))
    after, outcome = send(engine, session, Button("done:5"))
    assert after.state == "asking_english" and outcome.toast


def test_back_returns_to_previous_question_and_keeps_answers(engine):
    session = at(engine, "asking_ck", answers_before(engine, "ck"))
    session, outcome = send(engine, session, Button("back:5"))
    assert session.state == "asking_step1"
    assert session.answers["step1"] == "pass_after_fail"
    assert "Your current answer: Passed after a failure" in outcome.replies[-1].text


def test_back_skips_questions_that_do_not_apply(engine):
    answers = {**answers_before(engine, "letters_count"), "usce": "none"}
    answers.pop("usce_weeks", None)
    session, _ = send(engine, at(engine, "asking_letters_count", answers), Button("back:5"))
    assert session.state == "asking_usce"


def test_first_question_has_no_back(engine):
    session, outcome = send(engine, Session(user_id=1), Command("start"))
    labels = [c.label for row in outcome.replies[-1].choices for c in row]
    assert "« Back" not in labels
    after, outcome = send(engine, session, Command("back"))
    assert after.state == "asking_visa"
    assert "nothing before it" in outcome.replies[0].text and outcome.replies[-1].kind == "question"


@pytest.mark.parametrize("question_id,stored", [("visa", "unsure"), ("goals", ["unsure"]), ("english", [])])
def test_skip_records_not_sure(engine, question_id, stored):
    session, _ = send(
        engine, at(engine, f"asking_{question_id}", answers_before(engine, question_id)), Button("skip:5")
    )
    assert session.answers[question_id] == stored


def test_skip_is_refused_where_not_offered(engine):
    session = at(engine, "asking_step1", answers_before(engine, "step1"))
    after, _ = send(engine, session, Button("skip:5"))
    assert after.state == "asking_step1" and "step1" not in after.answers


def test_edit_one_answer_from_summary_returns_to_summary(engine):
    session = at(engine, "reviewing_summary", PATH)
    session, _ = send(engine, session, Button("edit:5:research"))
    assert session.state == "asking_research" and session.editing
    session, outcome = send(engine, session, Button(f"ans:{session.turn}:completed"))
    assert session.state == "reviewing_summary" and not session.editing
    assert session.answers == {**PATH, "research": "completed"}
    assert outcome.replies[-1].kind == "summary"


def test_edit_that_opens_a_follow_up_asks_only_the_follow_up(engine):
    session = at(engine, "reviewing_summary", PATH)
    session, _ = send(engine, session, Button("edit:5:ck"))
    session, _ = send(engine, session, Button(f"ans:{session.turn}:failed"))
    assert session.state == "asking_ck_retake"
    session, _ = send(engine, session, Text("219"))
    assert session.state == "reviewing_summary"
    assert session.answers["ck"] == "failed" and session.answers["ck_retake"] == 219


def test_edit_that_closes_a_follow_up_drops_its_answer(engine):
    session = at(engine, "reviewing_summary", PATH)
    session, _ = send(engine, session, Button("edit:5:usce"))
    session, _ = send(engine, session, Button(f"ans:{session.turn}:none"))
    assert session.state == "reviewing_summary"
    assert "usce_weeks" not in session.answers


def test_back_while_editing_returns_to_summary_unchanged(engine):
    session = at(engine, "reviewing_summary", PATH)
    session, _ = send(engine, session, Button("edit:5:visa"))
    session, _ = send(engine, session, Button(f"back:{session.turn}"))
    assert session.state == "reviewing_summary" and session.answers == PATH


def test_restart_needs_confirmation(engine):
    session = at(engine, "asking_research", answers_before(engine, "research"))
    session, _outcome = send(engine, session, Command("restart"))
    assert session.pending == "restart" and session.state == "asking_research"
    kept, _ = send(engine, session, Button(f"rst:{session.turn}:n"))
    assert kept.state == "asking_research" and kept.answers
    restarted, _ = send(engine, session, Button(f"rst:{session.turn}:y"))
    assert restarted.state == "asking_visa" and restarted.answers == {}


def test_delete_confirmed_asks_the_adapter_to_erase(engine):
    session = at(engine, "asking_research", answers_before(engine, "research"))
    session, _ = send(engine, session, Command("delete"))
    fresh, outcome = send(engine, session, Button(f"del:{session.turn}:y"))
    assert "erase" in outcome.effects and fresh.answers == {} and fresh.state == "new"


@pytest.mark.parametrize("command", ["restart", "delete"])
@pytest.mark.parametrize(
    "typed",
    [
        "hmm not sure",
        "are you sure? will i lose my plan?",
        "wait what will that delete exactly?",
        "wait what happens if i press yes",
        "not sure",
        "skip",
        "ok?",
        "yes, wait",
        "k bye",
        "ok but first tell me",
    ],
)
def test_only_a_clear_yes_clears_or_erases(engine, command, typed):
    session = at(engine, "asking_research", answers_before(engine, "research"))
    session, _ = send(engine, session, Command(command))
    after, outcome = send(engine, session, Text(typed))
    assert after.pending == command and after.answers == session.answers and "erase" not in outcome.effects
    assert outcome.replies[-1].choices  # the Yes / No buttons again


@pytest.mark.parametrize(
    "typed, kept", [("yes please do it sir", False), ("no no no", True), ("never mind, no", True)]
)
def test_yes_or_no_in_a_reply_at_a_restart_confirmation(engine, typed, kept):
    session = at(engine, "asking_research", answers_before(engine, "research"))
    session, _ = send(engine, session, Command("restart"))
    after, _ = send(engine, session, Text(typed))
    assert after.pending is None and (after.answers == session.answers) is kept


def test_cancel_keeps_answers(engine):
    session = at(engine, "asking_research", answers_before(engine, "research"))
    after, outcome = send(engine, session, Command("cancel"))
    assert after.answers == session.answers and "saved" in outcome.replies[0].text


def test_stale_button_shows_current_question(engine):
    session = at(engine, "asking_ck", answers_before(engine, "ck"))
    after, outcome = send(engine, session, Button("ans:4:j1"))
    assert after.answers == session.answers and after.state == "asking_ck"
    assert "earlier message" in outcome.replies[0].text and outcome.replies[-1].kind == "question"


def test_double_tap_is_acknowledged_once(engine):
    session = at(engine, "asking_visa")
    first, _ = send(engine, session, Button("ans:5:j1"))
    second, outcome = send(engine, first, Button("ans:5:j1"))
    assert second.state == "asking_step1" and outcome.replies == () and outcome.toast == "Already saved."


@pytest.mark.parametrize(
    "data",
    [
        "",
        ":",
        "ans",
        "ans:x:j1",
        "ans:5:",
        "ans:5:nope",
        "tog:5:j1",
        "edit:5:visa",
        "plan:5",
        "rst:5:y",
        "del:5:y",
        "faq:no-such-topic",
        "faqp:abc",
        "zzz:5:1",
        "ans:5:j1:extra",
    ],
)
def test_forged_buttons_never_change_state(engine, data):
    session = at(engine, "asking_visa")
    after, outcome = send(engine, session, Button(data))
    assert after.state == "asking_visa" and after.answers == {}
    assert outcome.replies


def test_unknown_stored_state_recovers_to_first_unanswered(engine):
    session = Session(user_id=3, state="asking_renamed_question", answers={"visa": "j1", "old_field": 1})
    after, _outcome = send(engine, session, Command("start"))
    assert after.state == "asking_step1" and after.answers == {"visa": "j1"}


def test_unsupported_message_gets_a_friendly_reply(engine):
    session = at(engine, "asking_visa")
    after, outcome = send(engine, session, Unsupported("sticker"))
    assert after == session and "only read text" in outcome.replies[0].text


def test_plan_before_finishing_says_so(engine):
    session = at(engine, "asking_research", answers_before(engine, "research"))
    after, outcome = send(engine, session, Command("plan"))
    assert after.state == "asking_research" and "all the answers" in outcome.replies[0].text


def test_profile_lists_stored_answers(engine):
    session = at(engine, "asking_research", answers_before(engine, "research"))
    _, outcome = send(engine, session, Command("profile"))
    assert "Step 2 CK: **225**" in outcome.replies[0].text


def test_unknown_command_lists_help(engine):
    _, outcome = send(engine, at(engine, "asking_visa"), Command("frobnicate"))
    assert "/start" in outcome.replies[0].text


def test_us_citizen_is_told_the_advice_targets_visa_holders(engine):
    _, outcome = send(engine, at(engine, "asking_visa"), Button("ans:5:none"))
    assert "written for international graduates" in outcome.replies[0].text


def test_deep_link_opens_one_faq_topic_then_the_first_question(engine):
    session, outcome = send(engine, Session(user_id=1), Command("start", ("faq-step3",)))
    assert outcome.replies[0].snippet_ids == ("step3",)
    assert session.state == "asking_visa" and outcome.replies[-1].kind == "question"


def test_deep_link_with_unknown_topic_just_starts(engine):
    session, outcome = send(engine, Session(user_id=1), Command("start", ("faq-../../etc",)))
    assert session.state == "asking_visa" and all(not r.snippet_ids for r in outcome.replies)


def test_a_topic_picked_during_the_questions_is_followed_by_the_question_still_waiting(engine):
    session = Session(1, state="asking_ck", answers={"visa": "j1", "step1": "pass_first"}, turn=3)
    outcome = engine.handle(session, Button("faq:usce-needed"), TODAY)
    last = outcome.replies[-1]
    assert "Do I need US clinical experience" in outcome.replies[0].text
    assert "What is your Step 2 CK score?" in last.text
    assert "ans:3:not_taken" in [c.data for row in last.choices for c in row]
    assert outcome.session.state == "asking_ck" and outcome.session.answers == session.answers


def test_a_plan_part_with_nothing_in_it_says_so(engine):
    answers = {
        "visa": "none",
        "step1": "pass_first",
        "ck": 251,
        "usce": "both",
        "usce_kind": "hands_on",
        "usce_weeks": 12,
        "usce_psych_weeks": 4,
        "letters_count": 3,
        "letters_from": ["im", "psych"],
        "research": "completed",
        "goals": ["cl"],
        "english": ["oet"],
        "timing": "next_season",
    }
    session = Session(1, state="reading_plan", answers=answers, turn=20)
    reply = engine.handle(session, Text("red flags?"), TODAY).replies[0]
    assert reply.text.startswith("**Red flags**") and "No red flags in your answers" in reply.text


def test_ticking_step3_ticks_ecfmg_and_unticking_ecfmg_unticks_step3(engine):
    """A Step 3 pass needs ECFMG certification first: the buttons never hold one without the other."""
    answers = {"visa": "h1b", "step1": "pass_first", "ck": 232}
    session = at(engine, "asking_h1b_exams", answers)
    session, outcome = send(engine, session, Button("tog:5:step3"))
    assert session.draft == ("ecfmg", "step3") and outcome.replies[0].edit
    session, _ = send(engine, session, Button("tog:5:ecfmg"))
    assert session.draft == ()
    session, _ = send(engine, session, Button("tog:5:ecfmg"))
    session, _ = send(engine, session, Button("done:5"))
    assert session.answers["h1b_exams"] == ["ecfmg"] and session.state == "asking_usce"
