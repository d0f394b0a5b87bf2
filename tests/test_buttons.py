"""Button data: every action fits Telegram's 64 bytes, reads back as itself, and refuses forgeries."""

import ast
from pathlib import Path

import pytest

from dialogs import buttons, routing
from dialogs.errors import StaleButton
from dialogs.plan import PARTS

LONGEST_TURN = int("9" * buttons.MAX_TURN_DIGITS)


def longest(values):
    return max(values, key=lambda v: len(v.encode()))


def every_action(library):
    """Return one instance of every action, each with the longest value the real content can give it."""
    option = longest(str(o.value) for q in library.questions for o in q.options)
    question = longest(q.id for q in library.questions)
    topic = longest(s.id for s in library.faqs)
    part = longest([*PARTS, "plan"])
    item = longest([topic, *(buttons.Rating.part_item(p) for p in PARTS)])
    return [
        buttons.Answer(option),
        buttons.Toggle(option),
        buttons.Done(),
        buttons.Back(),
        buttons.Skip(),
        buttons.Begin(),
        buttons.Continue(),
        buttons.Edit(question),
        buttons.ShowPlan(),
        buttons.ConfirmRestart(True),
        buttons.ConfirmDelete(False),
        buttons.ConfirmReading(True),
        buttons.Topic(topic),
        buttons.Page(int("9" * buttons.MAX_PAGE_DIGITS)),
        buttons.Rating(item, False),
        buttons.Reminder(True),
        buttons.PlanPart(part),
        buttons.Document(),
    ]


def test_every_action_is_listed_once(library):
    assert sorted(type(a).__name__ for a in every_action(library)) == sorted(
        a.__name__ for a in buttons.ACTIONS
    )
    assert len(buttons.BY_PREFIX) == len(buttons.ACTIONS), "two actions share a prefix"


def test_every_action_fits_telegrams_64_bytes(library):
    for action in every_action(library):
        data = action.encode(LONGEST_TURN if action.stamped else None)
        assert len(data.encode()) <= buttons.MAX_BYTES, data


def test_every_action_reads_back_as_itself(library):
    for action in every_action(library):
        turn = 7 if action.stamped else None
        assert buttons.decode(action.encode(turn)) == buttons.Pressed(action, turn)


@pytest.mark.parametrize(
    "action,turn,wire",
    [
        (buttons.Answer("fail_pass"), 3, "ans:3:fail_pass"),
        (buttons.Toggle("psych"), 4, "tog:4:psych"),
        (buttons.Done(), 4, "done:4"),
        (buttons.Back(), 5, "back:5"),
        (buttons.Edit("ck"), 9, "edit:9:ck"),
        (buttons.ConfirmReading(False), 2, "pass:2:n"),
        (buttons.ConfirmRestart(True), 2, "rst:2:y"),
        (buttons.ConfirmDelete(True), 2, "del:2:y"),
        (buttons.Topic("usce-needed"), None, "faq:usce-needed"),
        (buttons.Page(2), None, "faqp:2"),
        (buttons.Rating("part-timeline", True), None, "rate:part-timeline:1"),
        (buttons.Reminder(False), None, "rem:off"),
        (buttons.PlanPart("programs"), None, "part:programs"),
        (buttons.Document(), None, "doc:plan"),
        (buttons.Link("https://t.me/bot?start=x"), None, "url:https://t.me/bot?start=x"),
    ],
)
def test_the_wire_format_of_earlier_versions_is_kept(action, turn, wire):
    # Buttons in messages sent before an upgrade keep working, so the format never changes.
    assert action.encode(turn) == wire


def test_a_stamped_action_cannot_be_written_without_its_turn():
    with pytest.raises(ValueError):
        buttons.Answer("fail_pass").encode()


FORGED = ["", "zzz:1", "ans", "ans:x:fail", "ans:²:fail", "ans:1234567890:fail", "back:3:extra"]
FORGED += ["pass:3:maybe", "faqp:x", "faqp:1000", "faqp:²", "rate:usce-needed:2", "rem:soon", "doc:other"]


@pytest.mark.parametrize("data", [*FORGED, "begin"])
def test_forged_or_broken_data_is_a_stale_button(data):
    with pytest.raises(StaleButton):
        buttons.decode(data)


def test_no_button_data_is_written_outside_the_codec():
    # Callback data built by hand (an f-string or a literal) would bypass the turn stamp and the parser.
    root = Path(__file__).resolve().parent.parent
    written = []
    for path in [*root.glob("dialogs/*.py"), *root.glob("bot/*.py")]:
        calls = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)]
        for call in calls:
            data = call.args[1] if getattr(call.func, "id", None) == "Choice" and len(call.args) > 1 else None
            if isinstance(data, ast.Constant | ast.JoinedStr):
                written.append(f"{path.relative_to(root)}:{call.lineno}")
    assert not written


def test_every_action_has_a_handler_in_the_routing_table():
    routed = set(routing.FALLBACKS) | {key for table in routing.STATES.values() for key in table}
    assert [a.__name__ for a in buttons.ACTIONS if a not in routed] == []
