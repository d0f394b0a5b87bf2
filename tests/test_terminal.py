"""The terminal chat, driven through stdin/stdout like a person at a keyboard."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.store import Store
from bot.terminal import LOCAL_USER, TerminalChat
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
ALL_ANSWERS = ["a", "b", "CK 225", "a", "c", "a", "b", "e", "c", "b", "h", "a", "e", "b"]


def chat(engine, store, lines):
    out = io.StringIO()
    TerminalChat(engine, store, io.StringIO("\n".join(lines) + "\n"), out, clock=lambda: TODAY).run()
    return out.getvalue()


def test_terminal_completes_the_questionnaire(engine, store):
    output = chat(engine, store, ALL_ANSWERS)
    assert "Question 1 of 9" in output and "Question 9 of 9" in output
    assert "Your answers" in output
    session = store.load(LOCAL_USER)
    assert session.state == "reviewing_summary"
    assert session.answers["ck"] == 225 and session.answers["letters_count"] == 2


def test_terminal_answers_a_question_mid_dialog_and_resumes(engine, store):
    output = chat(engine, store, ["a", "zzzz qqqq wwww xxxx yyyy?"])
    assert "not confident" in output
    assert output.rstrip().count("How did USMLE Step 1 go?") >= 2
    assert store.load(LOCAL_USER).state == "asking_step1"


def test_terminal_resumes_after_quitting(engine, store):
    chat(engine, store, ["a", "a", "/quit"])
    output = chat(engine, store, ["240"])
    assert "Welcome back" in output
    assert store.load(LOCAL_USER).answers["ck"] == 240


def test_python_m_bot_without_token_starts_the_terminal_chat(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(ADVISOR_DB_PATH=str(tmp_path / "local.db"), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="a\nb\n/quit\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "terminal chat" in result.stdout and "@BotFather" in result.stdout
    assert "What is your Step 2 CK score?" in result.stdout
    store = Store(tmp_path / "local.db")
    try:
        assert store.load(LOCAL_USER).answers == {"visa": "j1", "step1": "pass_after_fail"}
    finally:
        store.close()


def test_terminal_writes_the_plan_pdf_and_picture_and_prints_the_paths(engine, store, tmp_path):
    out = io.StringIO()
    lines = [*ALL_ANSWERS, "/plan"]
    chat_ = TerminalChat(
        engine, store, io.StringIO("\n".join(lines) + "\n"), out, clock=lambda: TODAY, output_dir=tmp_path
    )
    chat_.run()
    assert (tmp_path / "where-you-stand.png").read_bytes().startswith(b"\x89PNG")
    letter = next(k for k, v in chat_.options.items() if v == "doc:plan")
    chat_.step(chat_.event_for(letter))
    pdf = tmp_path / f"med-psych-plan-{TODAY.isoformat()}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert str(pdf) in out.getvalue()


def test_options_shown_in_one_turn_never_share_a_letter(engine, store):
    """An FAQ's topic buttons and the question's options are lettered on, so "b" means one thing."""
    output = chat(engine, store, ["how many med psych programs take IMGs?", "visa options for img"])
    for turn in output.split("\n> "):
        letters = re.findall(r"^  ([a-z]+)\) ", turn, re.MULTILINE)
        assert len(letters) == len(set(letters)), turn


def test_several_letters_tick_several_options(engine, store):
    chat(engine, store, ["a", "b", "CK 225", "a", "c", "a, b", "e"])
    assert store.load(LOCAL_USER).answers["letters_from"] == ["im", "psych"]


def test_the_questions_options_keep_their_letters_after_an_faq_answer(engine, store):
    output = chat(engine, store, ["do i need us clinical experience for med psych?"])
    after = output.split("Now, back to where we were")[1]
    assert "a) Yes, J-1" in after and "f) How do I stand out" in after


def test_several_letters_never_answer_several_questions(engine, store):
    chat(engine, store, ["a b"])
    assert "step1" not in store.load(LOCAL_USER).answers
