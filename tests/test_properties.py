"""Property tests of the pure dialog engine: random event sequences never break a session's invariants."""

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.loader import load_library
from content.model import Question
from dialogs import rules
from dialogs.engine import Engine
from dialogs.events import Button, Command, Text, Unsupported
from dialogs.replies import Outcome
from dialogs.session import PLAN, SUMMARY, Session
from tests.conftest import TODAY
from tests.test_engine import PATH

# Built once at import: hypothesis must not see function-scoped fixtures.
ENGINE = Engine(load_library())
QUESTIONS = ENGINE.questions
BY_ID = {q.id: q for q in QUESTIONS}


# ----- the oracle ------------------------------------------------------------------------------
def valid_answer(question: Question, value: Any) -> bool:
    """Return True when *value* is something the questionnaire can store for *question*."""
    values = [o.value for o in question.options]
    if question.kind == "multi":
        return (
            isinstance(value, list)
            and all(v in values for v in value)
            and len(set(map(str, value))) == len(value)
        )
    if question.skippable and value == question.skip_value:
        return True
    if value in values and not isinstance(value, bool):
        return True
    if question.kind in ("score", "number"):
        return (
            isinstance(value, int) and not isinstance(value, bool) and question.min <= value <= question.max
        )
    return False


def session_problems(engine: Engine, session: Session) -> list[str]:
    """Return every broken invariant of *session* (empty when it is sound)."""
    problems = []
    if session.state not in engine.machine.states:
        problems.append(f"unknown state {session.state!r}")
    for key, value in session.answers.items():
        question = BY_ID.get(key)
        if question is None:
            problems.append(f"answer to unknown question {key!r}")
            continue
        if not rules.applies(question, session.answers):
            problems.append(f"answer to {key!r}, which does not apply")
        if not valid_answer(question, value):
            problems.append(f"invalid answer {key}={value!r}")
    if session.state in (SUMMARY, PLAN):
        missing = [
            q.id for q in QUESTIONS if rules.applies(q, session.answers) and q.id not in session.answers
        ]
        if missing:
            problems.append(f"{session.state} with unanswered {missing}")
    if session.pending not in (None, "restart", "delete", "doubt"):
        problems.append(f"pending {session.pending!r}")
    if (session.pending == "doubt") != (session.doubt is not None):
        problems.append(f"pending {session.pending!r} with doubt {session.doubt!r}")
    asked = engine.by_state.get(session.state)
    allowed = [o.value for o in asked.options] if asked is not None and asked.kind == "multi" else []
    if any(v not in allowed for v in session.draft):
        problems.append(f"draft {session.draft!r} at {session.state}")
    if not isinstance(session.turn, int) or session.turn < 0:
        problems.append(f"turn {session.turn!r}")
    return problems


def outcome_problems(outcome: Outcome) -> list[str]:
    """Return what is wrong with the replies of *outcome*."""
    problems = []
    for reply in outcome.replies:
        if not reply.text.strip():
            problems.append(f"empty reply text ({reply.kind})")
        for row in reply.choices:
            if not row:
                problems.append("empty keyboard row")
            for choice in row:
                if not choice.label.strip():
                    problems.append(f"button without label ({choice.data!r})")
                if not choice.data or len(choice.data.encode()) > 64:
                    problems.append(f"callback data {choice.data!r} not 1-64 bytes")
    if outcome.toast is not None and not outcome.toast.strip():
        problems.append("empty toast")
    return problems


# ----- events ----------------------------------------------------------------------------------
COMMANDS = [
    *("start", "help", "restart", "delete", "cancel", "profile", "plan", "faq", "back", "skip", "mydata"),
    *("timeline", "remind"),
]
KINDS = [
    *("ans", "tog", "done", "back", "skip", "go", "begin", "edit", "plan", "rst", "del"),
    *("faq", "faqp", "rate", "rem", "doc", "part"),
]
UNNUMBERED = ("faq", "faqp", "rate", "rem", "doc", "part")  # buttons without a turn
ARGS = sorted(
    {str(o.value) for q in QUESTIONS for o in q.options}
    | {q.id for q in QUESTIONS}
    | {"y", "n", "", "step3", "../x", "1", "0", "999", "on", "off", "plan", "step3:1", "part-x:0"}
    | {"programs", "actions", "statement", "redflags", "timeline", "ask", "part-actions:1"}
)
LIBRARY_FOR_TEXTS = load_library()
LABELS = sorted(
    {o.label for q in QUESTIONS for o in q.options}
    | {
        p
        for options in LIBRARY_FOR_TEXTS.understanding.options.values()
        for ps in options.values()
        for p in ps
    }
)
TEXTS = [
    "225", "２２５", "٢٢٥", "231", "0", "999", "-5", "1e3", "225.7", "2 2 5", "abc", "", " ", "½",
    "8", "3 months", "70 months", "two hundred", "done", "ok", "next", "no", "yes", "none",
    "can I match with a 221 CK?", "do I need USCE?", "what is the weather in paris?", "visa",
    "'; DROP TABLE sessions; --", "NEAR(ck usce)", "<b>225</b>", "2\u200b25", "\u202e522", "⑳" * 50,
    "x" * 5000, "9" * 4500,
]  # fmt: skip

command_events = st.builds(
    Command,
    st.sampled_from([*COMMANDS, "unknown", "", "START", "stats"]),
    st.lists(st.sampled_from(["faq-step3", "../../etc", "now", "on", "off", "x" * 100]), max_size=2).map(
        tuple
    ),
)
text_events = st.builds(
    Text, st.one_of(st.sampled_from(TEXTS), st.sampled_from(LABELS), st.text(max_size=40))
)
unsupported_events = st.builds(Unsupported, st.sampled_from(["sticker", "photo", "voice", "edit", "other"]))


def forged_buttons(turn: int) -> st.SearchStrategy[Button]:
    """Callback data a client never got from this engine, or got long ago."""
    templated = st.builds(
        lambda kind, delta, arg: Button(
            f"{kind}:{turn + delta}:{arg}" if kind not in UNNUMBERED else f"{kind}:{arg}"
        ),
        st.sampled_from(KINDS),
        st.integers(-3, 1),
        st.sampled_from(ARGS),
    )
    raw = st.builds(
        Button,
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(
                ["", ":", "::", "a:1:j1", "answer_visa_j1", "v1|visa|j1", "faqp:²", "ans:²:j1", "x" * 65]
            ),
        ),
    )
    return st.one_of(templated, raw)


def pick_event(data: st.DataObject, session: Session, offered: list[str]):
    """Draw one event: three times in four a button the engine just showed (as a real user would)."""
    if offered and data.draw(st.integers(0, 3), label="realistic") < 3:
        return Button(data.draw(st.sampled_from(offered), label="button"))
    strategies = [command_events, text_events, unsupported_events, forged_buttons(session.turn)]
    return data.draw(st.one_of(strategies), label="event")


def offered_buttons(outcome: Outcome) -> list[str]:
    """Return the callback data of every button in *outcome* (not links)."""
    return [
        c.data for r in outcome.replies for row in r.choices for c in row if not c.data.startswith("url:")
    ]


# ----- where a sequence starts ----------------------------------------------------------------
def answer_values(question: Question) -> st.SearchStrategy[Any]:
    """Values the engine itself could have stored for *question*."""
    values = [o.value for o in question.options]
    if question.kind == "multi":
        return st.lists(st.sampled_from(values), unique=True, max_size=len(values))
    if question.kind in ("score", "number"):
        return st.one_of(st.sampled_from(values), st.integers(question.min, question.max))
    return st.sampled_from(values)


@st.composite
def start_sessions(draw) -> Session:
    """A fresh user, or one stored part-way through (or done), so deep states are reached often."""
    if draw(st.booleans()):
        return Session(user_id=1)
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        if rules.applies(question, answers):
            answers[question.id] = draw(answer_values(question), label=question.id)
    ids = [q.id for q in QUESTIONS]
    cut = draw(st.one_of(st.just(len(ids)), st.integers(0, len(ids))), label="answered")
    kept = rules.prune(QUESTIONS, {k: v for k, v in answers.items() if ids.index(k) < cut})
    state = next((q.state for q in QUESTIONS if rules.is_open(q, kept)), SUMMARY)
    if state == SUMMARY:
        state = draw(st.sampled_from([SUMMARY, PLAN]), label="state")
    return Session(user_id=1, state=state, answers=kept, turn=draw(st.integers(0, 40), label="turn"))


def mentioned_questions(text: str) -> set[str]:
    """Return the questions whose names or answer phrases occur in *text* (scores count for CK)."""
    clauses = ENGINE.interpreter.norm.clauses(text)
    found = {hit.phrase.question for hit in ENGINE.interpreter._hits(clauses)}
    if any(t.isdigit() and 180 <= int(t) <= 300 for c in clauses for t in c):
        found.add("ck")  # a score typed at a CK confirmation ("no no its 223") answers the CK
    if "ck" in found:
        found.add("ck_retake")
    return found


# ----- the property ----------------------------------------------------------------------------
def round_trip(session: Session) -> Session:
    """Store and reload *session* the way bot.store does."""
    return Session.from_record(json.loads(json.dumps(session.to_record(), separators=(",", ":"))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=start_sessions(), data=st.data())
def test_random_event_sequences_keep_the_session_sound(start, data):
    assert not session_problems(ENGINE, start), "the strategy built a broken session"
    session = start
    offered: list[str] = []
    steps = data.draw(st.integers(1, 30), label="steps")
    for step in range(steps):
        event = pick_event(data, session, offered)
        outcome = ENGINE.handle(session, event, TODAY)
        new = outcome.session
        context = f"step {step}: {event!r} at {session.state} (turn {session.turn})"
        assert isinstance(new, Session), context
        assert new.user_id == session.user_id, context
        assert new.turn >= session.turn, f"{context}: turn went back to {new.turn}"
        assert not session_problems(ENGINE, new), f"{context}: {session_problems(ENGINE, new)}"
        assert not outcome_problems(outcome), f"{context}: {outcome_problems(outcome)}"
        assert round_trip(new) == new, context
        assert Session.from_record(new.to_record()) == new, context
        if "erase" in outcome.effects:
            assert new.answers == {} and new.state == "new", context
        if isinstance(event, Text | Unsupported):
            # Typing may answer the question on screen and any question the text names or answers in
            # words the content lists for it; other answers change only by pruning.
            asked = ENGINE.by_state.get(session.state)
            changed = {k for k in new.answers if session.answers.get(k) != new.answers[k]}
            allowed = {asked.id} if asked is not None and not session.pending else set()
            if session.pending == "doubt" and session.doubt is not None:
                allowed.add(session.doubt[0])  # a typed "yes" at "Did you mean ...?" stores that value
            if isinstance(event, Text):
                allowed |= mentioned_questions(event.text)
            assert changed <= allowed, f"{context}: changed {changed}"
            dropped = set(session.answers) - set(new.answers)
            # A typed "yes" at "Start over?" clears everything, as the Yes button does; at "Erase
            # everything?" it erases, as its button does.
            restarted = session.pending == "restart" and new.answers == {} and new.pending is None
            restarted = restarted or (session.pending == "delete" and "erase" in outcome.effects)
            assert restarted or not any(rules.applies(BY_ID[k], new.answers) for k in dropped), (
                f"{context}: {dropped}"
            )
        session = new
        offered = offered_buttons(outcome) or offered


# ----- regressions the property found (deterministic, so they never depend on the random draw) -----


@pytest.mark.parametrize("leave", ["back", "cancel"])
def test_leaving_an_edit_with_an_open_follow_up_never_shows_an_incomplete_summary(leave):
    session = Session(user_id=3, state=SUMMARY, answers=dict(PATH), turn=4)
    session = ENGINE.handle(session, Button("edit:4:ck"), TODAY).session
    session = ENGINE.handle(session, Button(f"ans:{session.turn}:failed"), TODAY).session
    assert session.state == "asking_ck_retake" and session.editing
    event = Button(f"back:{session.turn}") if leave == "back" else Command("cancel")
    after = ENGINE.handle(session, event, TODAY).session
    assert not session_problems(ENGINE, after)
    assert after.state in ("asking_ck", "asking_ck_retake")


@pytest.mark.parametrize(
    "stored",
    [
        {"ck": "abc"},
        {"ck": 5000},
        {"ck": True},
        {"visa": "J1"},
        {"letters_from": "im"},
        {"goals": ["zzz"]},
        {"usce_weeks": "x"},
        {"letters_count": "2"},
        {"retired_question": "x"},
    ],
)
def test_answers_stored_by_another_version_are_dropped_not_crashed_on(stored):
    session = Session(user_id=4, state=PLAN, answers={**PATH, **stored}, turn=9)
    outcome = ENGINE.handle(session, Command("plan"), TODAY)
    assert not session_problems(ENGINE, outcome.session)
    assert outcome.replies and not outcome_problems(outcome)


def test_a_draft_from_another_version_is_dropped():
    answers = {k: v for k, v in PATH.items() if k not in ("goals", "english", "timing")}
    session = Session(user_id=5, state="asking_goals", answers=answers, turn=3, draft=("zzz", "cl"))
    outcome = ENGINE.handle(session, Text("Addiction with medical illness"), TODAY)
    assert outcome.session.draft == ("cl", "addiction")
    done = ENGINE.handle(outcome.session, Button("done:3"), TODAY).session
    assert done.answers["goals"] == ["cl", "addiction"]


@pytest.mark.parametrize("data", ["faqp:²", "ans:²:j1", "ans:٥:j1", "faqp:٢", "faqp:①"])
def test_non_ascii_digits_in_buttons_are_stale_not_a_crash(data):
    session = Session(user_id=6, state="asking_visa", turn=5)
    outcome = ENGINE.handle(session, Button(data), TODAY)
    assert outcome.session.answers == {}
    assert "earlier message" in outcome.replies[0].text


def test_a_number_longer_than_int_allows_is_out_of_range_not_a_crash():
    session = Session(user_id=7, state="asking_ck", answers={"visa": "j1", "step1": "pass_first"}, turn=5)
    outcome = ENGINE.handle(session, Text("⑳" * 3000), TODAY)  # NFKC: 6000 digits
    assert outcome.session.state == "asking_ck"
    assert "three-digit" in outcome.replies[0].text


def test_back_before_starting_does_not_blame_a_button():
    outcome = ENGINE.handle(Session(user_id=8), Command("back"), TODAY)
    assert outcome.session.state == "new"
    assert all("earlier message" not in r.text for r in outcome.replies)
