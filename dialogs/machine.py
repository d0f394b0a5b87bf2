"""The conversation's state machine: one `transitions.Machine` shared by all users.

States say where the user is; triggers say what the user did. Which of several legal destinations a
trigger takes is decided by `dialogs.flow` and passed as `dest=`; each edge's condition accepts only
its own destination, so the machine still refuses any move the table does not list.
"""

from collections.abc import Callable
from typing import Any

from transitions import EventData, Machine, MachineError

from content.model import Question
from dialogs import flow
from dialogs.session import NEW, PLAN, SUMMARY


class Cursor:
    """The model the machine moves: just a state, borrowed from a session for one event."""

    def __init__(self) -> None:
        self.state: str = NEW


def _goes_to(dest: str) -> Callable[[EventData], bool]:
    def condition(event: EventData) -> bool:
        return event.kwargs.get("dest") == dest

    condition.__name__ = f"to_{dest}"
    return condition


def transition_table(questions: tuple[Question, ...], fills: bool = True) -> list[dict[str, Any]]:
    """Return every legal move of the questionnaire as `transitions` dicts."""
    asking = [q.state for q in questions]
    edges: list[tuple[str, str, str]] = [("begin", NEW, asking[0])]
    for index, question in enumerate(questions):
        for dest in flow.forward_targets(questions, index):
            edges.append(("answer", question.state, dest))
            if question.skippable:
                edges.append(("skip", question.state, dest))
        for earlier in reversed(questions[:index]):
            edges.append(("go_back", question.state, earlier.state))
            if not earlier.ask_when:
                break
        # Leaving an edit (Back or /cancel) returns to the summary.
        edges.append(("review", question.state, SUMMARY))
    for last in reversed(questions):
        edges.append(("go_back", SUMMARY, last.state))
        if not last.ask_when:
            break
    for source in (SUMMARY, PLAN):
        for state in asking:
            edges.append(("edit", source, state))
    edges += [("show_plan", SUMMARY, PLAN), ("review", PLAN, SUMMARY)]
    for source in [NEW, *asking, SUMMARY, PLAN]:
        edges.append(("restart", source, asking[0]))
        # A typed message may answer several questions or correct one, from anywhere.
        for dest in [*asking, SUMMARY, PLAN] if fills else []:
            edges.append(("fill", source, dest))
    seen = set()
    table = []
    for trigger, source, dest in edges:
        if (trigger, source, dest) in seen:
            continue
        seen.add((trigger, source, dest))
        table.append({"trigger": trigger, "source": source, "dest": dest, "conditions": [_goes_to(dest)]})
    return table


def build_machine(
    questions: tuple[Question, ...],
    machine_class: type[Machine] = Machine,
    fills: bool = True,
    **options: Any,
):
    """Build the shared machine for *questions* (models are added per event); *fills* adds `fill` moves."""
    states = [NEW, *(q.state for q in questions), SUMMARY, PLAN]
    return machine_class(
        model=None,
        states=states,
        transitions=transition_table(questions, fills),
        initial=None,
        auto_transitions=False,
        send_event=True,
        **options,
    )


class Mover:
    """Apply triggers to borrowed states with one long-lived model.

    Adding and removing a model per event costs more than the rest of an event together (transitions
    binds a method per state and trigger each time), so one cursor stays attached and takes the
    user's stored state for the duration of one synchronous move.
    """

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.cursor = Cursor()
        machine.add_model(self.cursor, initial=NEW)

    def move(self, state: str, trigger: str, dest: str) -> str:
        """Apply *trigger* toward *dest* from *state*; return the new state or raise MachineError."""
        self.machine.set_state(state, model=self.cursor)
        if not self.cursor.trigger(trigger, dest=dest):
            raise MachineError(f"{trigger} from {state} cannot reach {dest}")
        return self.cursor.state
