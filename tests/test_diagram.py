"""The Mermaid diagram in dialogs/README.md is generated from the machine and must be current."""

from dialogs.diagram import README, render_diagram


def test_diagram_is_current():
    assert README.read_text(encoding="utf-8") == render_diagram(), "run: python -m dialogs.diagram"


def test_diagram_shows_every_question_state(library):
    text = render_diagram()
    for question in library.questions:
        assert f'state "{question.state}"' in text
