"""The conversation's state machine: one `transitions.Machine` shared by all users, and the only place
that decides where a move leads.

States say where the user is; triggers say what the user did. A trigger with several destinations
lists them in order, each with conditions that read the session's answers, and the first whose
conditions hold is taken (transitions' conditional transitions); when none holds, the move is refused.
`may_<trigger>()` answers the same question without moving, e.g. whether to show a Back button.
"""

from collections.abc import Callable
from typing import Any, cast

from transitions import EventData, Machine, MachineError

from content.model import Question
from dialogs import rules
from dialogs.session import NEW, PLAN, SUMMARY, Session

Condition = Callable[[EventData], bool]


class Cursor:
    """The model the machine moves: a state and the session it belongs to, borrowed for one move."""

    # Bound by the machine when the cursor is added (declared here for the type checker only).
    trigger: Callable[..., bool]
    may_trigger: Callable[..., bool]

    def __init__(self) -> None:
        self.state: str = NEW
        self.session = Session(user_id=0)


def _named(name: str, test: Callable[[Session, dict[str, Any]], bool]) -> Condition:
    def condition(event: EventData) -> bool:
        return test(cast(Cursor, event.model).session, event.kwargs)

    condition.__name__ = name
    return condition


def _applies(question: Question) -> Condition:
    return _named(f"{question.id}_applies", lambda s, _: rules.applies(question, s.answers))


def _is_open(question: Question) -> Condition:
    return _named(f"{question.id}_open", lambda s, _: rules.is_open(question, s.answers))


def _chosen(question: Question) -> Condition:
    def test(session: Session, kwargs: dict[str, Any]) -> bool:
        return kwargs.get("question") == question.id and rules.applies(question, session.answers)

    return _named(f"{question.id}_chosen", test)


def _answered(question: Question) -> Condition:
    return _named(f"{question.id}_answered", lambda s, _: question.id in s.answers)


def _complete(questions: tuple[Question, ...], editing: bool = False) -> Condition:
    def test(session: Session, _: dict[str, Any]) -> bool:
        return (session.editing or not editing) and rules.is_complete(questions, session.answers)

    return _named("edit_complete" if editing else "complete", test)


def _until_unconditional(questions: tuple[Question, ...]) -> tuple[list[Question], list[Question]]:
    """Split *questions* after the first one asked of everyone: later ones can only be reached past it."""
    for index, question in enumerate(questions):
        if not question.ask_when:
            return list(questions[: index + 1]), list(questions[index + 1 :])
    return list(questions), []


def transition_table(questions: tuple[Question, ...], shortcuts: bool = True) -> list[dict[str, Any]]:
    """Return every move of the conversation as ordered `transitions` dicts.

    *shortcuts* adds the moves that jump over answered questions: `fill` (a typed message that answers
    several questions or corrects one, from anywhere to the first question still open) and `answer` /
    `skip` past the next question everyone is asked, taken when that one is already answered, and `edit`
    from a question to any answered one ("go back to the visa question").
    """
    table: list[dict[str, Any]] = []

    def add(trigger: str, source: str, dest: str, *conditions: Condition) -> None:
        table.append({"trigger": trigger, "source": source, "dest": dest, "conditions": list(conditions)})

    first = questions[0].state
    add("begin", NEW, first)
    for index, question in enumerate(questions):
        near, far = _until_unconditional(questions[index + 1 :])
        for trigger in ("answer", "skip") if question.skippable else ("answer",):
            for later in near + (far if shortcuts else []):
                # the next question still open: one typed earlier ("J-1, CK 241" at the visa question) is not
                # asked again, and an edit from the summary asks only what it opened
                add(trigger, question.state, later.state, _is_open(later))
            add(trigger, question.state, SUMMARY)
        # Back from an edit returns to the summary once nothing the edit opened is still open.
        add("go_back", question.state, SUMMARY, _complete(questions, editing=True))
        for earlier in _until_unconditional(questions[:index][::-1])[0]:
            add("go_back", question.state, earlier.state, _applies(earlier))
        add("review", question.state, SUMMARY)  # /cancel of an edit, /profile, /plan
        for other in questions if shortcuts else ():
            # "go back to the visa question" mid-way: an answer given opens again; answering it
            # carries on at the first question still open
            if other is not question:
                add("edit", question.state, other.state, _chosen(other), _answered(other))
    for last in _until_unconditional(questions[::-1])[0]:
        add("go_back", SUMMARY, last.state, _applies(last))
    for source in (SUMMARY, PLAN):
        for question in questions:
            add("edit", source, question.state, _chosen(question))
    add("show_plan", SUMMARY, PLAN, _complete(questions))
    add("review", PLAN, SUMMARY)
    add("go_back", PLAN, SUMMARY)
    for source in [NEW, *(q.state for q in questions), SUMMARY, PLAN]:
        add("restart", source, first)
        if shortcuts:
            for question in questions:
                add("fill", source, question.state, _is_open(question))
            add("fill", source, PLAN if source == PLAN else SUMMARY)  # the plan stays open, updated
    return table


def build_machine(
    questions: tuple[Question, ...],
    machine_class: type[Machine] = Machine,
    shortcuts: bool = True,
    **options: Any,
) -> Machine:
    """Build the shared machine for *questions* (models are added per event); see `transition_table`."""
    states = [NEW, *(q.state for q in questions), SUMMARY, PLAN]
    return machine_class(
        model=None,
        states=states,
        transitions=transition_table(questions, shortcuts),
        initial=None,
        auto_transitions=False,
        send_event=True,
        **options,
    )


class Mover:
    """Apply triggers to borrowed sessions with one long-lived model.

    Adding and removing a model per event costs more than the rest of an event together (transitions
    binds a method per state and trigger each time), so one cursor stays attached and takes the
    user's session for the duration of one synchronous move.
    """

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.cursor = Cursor()
        machine.add_model(self.cursor, initial=NEW)

    def _borrow(self, session: Session) -> None:
        self.machine.set_state(session.state, model=self.cursor)
        self.cursor.session = session

    def move(self, session: Session, trigger: str, **kwargs: Any) -> str:
        """Return the state *trigger* leads to from *session*; raise MachineError when it is refused."""
        self._borrow(session)
        if not self.cursor.trigger(trigger, **kwargs):
            raise MachineError(f"{trigger} is refused from {session.state}")
        return self.cursor.state

    def may(self, session: Session, trigger: str, **kwargs: Any) -> bool:
        """Return True when *trigger* would be accepted from *session*."""
        self._borrow(session)
        return bool(self.cursor.may_trigger(trigger, **kwargs))
