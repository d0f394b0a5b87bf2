"""The content contract: files parse, conditions are real, nothing copied, every section covered."""

import ast
import shutil
from pathlib import Path

import pytest

from bot.text import to_html
from content.loader import ContentError, load_library, load_questions
from dialogs.profile import derive_facts
from tools.check_copied import ARTICLE, RUN, copied_runs, words

ROOT = Path(__file__).resolve().parent.parent


def test_every_content_file_loads(library):
    assert len(library.questions) >= 9
    assert {s.kind for s in library.snippets.values()} >= {"faq"}
    assert max(q.step for q in library.questions) == 9


def test_no_snippet_repeats_ten_words_of_the_article():
    article = words(ARTICLE.read_text(encoding="utf-8"))
    grams = {tuple(article[i : i + RUN]) for i in range(len(article) - RUN + 1)}
    offenders = {}
    for path in (ROOT / "content").rglob("*"):
        if path.suffix in {".md", ".yaml"}:
            runs = copied_runs(path.read_text(encoding="utf-8"), grams)
            if runs:
                offenders[path.name] = runs[0]
    assert offenders == {}


def test_the_copy_check_catches_a_copied_sentence():
    article = words(ARTICLE.read_text(encoding="utf-8"))
    grams = {tuple(article[i : i + RUN]) for i in range(len(article) - RUN + 1)}
    copied = "Intro. Your mindset must shift from how do I hide my low scores to something else."
    assert copied_runs(copied, grams)


def test_every_rendered_snippet_fits_one_telegram_message(library):
    for snippet in library.snippets.values():
        assert len(to_html(f"**{snippet.title}**\n\n{snippet.body}")) <= 4096, snippet.id


def test_dialogs_and_content_never_import_telegram_or_sqlite_utils():
    for package in ("dialogs", "content"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                for name in names:
                    root = name.split(".")[0]
                    assert root not in {"telegram", "sqlite_utils", "bot"}, f"{path.name} imports {name}"
                    if package == "content":
                        assert root != "dialogs", f"{path.name} imports {name}"


def test_derived_facts_only_use_declared_values(library):
    vocabulary = library.facts
    profiles = [
        {
            "visa": "j1",
            "step1": "pass_first",
            "ck": 262,
            "usce": "both",
            "usce_kind": "hands_on",
            "usce_weeks": 12,
            "letters_count": 4,
            "letters_from": ["im", "combined"],
            "research": "completed",
            "goals": ["cl"],
            "english": ["test"],
            "timing": "this_season",
        },
        {
            "visa": "none",
            "step1": "failed",
            "ck": "failed",
            "ck_retake": "not_yet",
            "usce": "none",
            "letters_count": 0,
            "research": "none",
            "goals": ["unsure"],
            "english": ["none"],
            "timing": "later",
        },
        {
            "visa": "h1b",
            "step1": "not_taken",
            "ck": "not_taken",
            "usce": "other",
            "usce_kind": "hands_on",
            "usce_weeks": 2,
            "letters_count": 1,
            "letters_from": ["psych"],
            "research": "in_progress",
            "goals": ["smi"],
            "english": ["teaching"],
            "timing": "next_season",
        },
    ]
    for answers in profiles:
        for fact, values in derive_facts(answers).items():
            assert fact in vocabulary, fact
            assert values <= vocabulary[fact], (fact, values)


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def write_snippet(folder: Path, name: str, front: str, body: str = "Some body text.") -> None:
    (folder / f"{name}.md").write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")


@pytest.mark.parametrize(
    "name,front,message",
    [
        ("odd-key", "id: odd-key\nkind: faq\ntitle: T\ncolour: blue", "odd-key.md: colour: unknown key"),
        ("wrong-id", "id: other-id\nkind: faq\ntitle: T", "wrong-id.md: id:"),
        (
            "bad-link",
            "id: bad-link\nkind: faq\ntitle: T\nsee_also: [nowhere]",
            "bad-link.md: see_also: no snippet 'nowhere'",
        ),
        (
            "bad-fact",
            "id: bad-fact\nkind: faq\ntitle: T\napplies_when: {shoe_size: [42]}",
            "bad-fact.md: applies_when.shoe_size",
        ),
        (
            "bad-value",
            "id: bad-value\nkind: faq\ntitle: T\napplies_when: {ck_band: [amazing]}",
            "bad-value.md: applies_when.ck_band: value 'amazing'",
        ),
        ("no-title", "id: no-title\nkind: faq", "no-title.md: title: missing"),
        ("bad-yaml", "id: [unclosed", "bad-yaml.md: front matter"),
    ],
)
def test_loader_names_file_and_field(content_copy, name, front, message):
    write_snippet(content_copy / "faq", name, front)
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "front,message",
    [
        ("section: faq_note\napplies_when: {visa: [h1b]}", "notes: a faq_note snippet names"),
        ("section: faq_note\nnotes: [visa-sponsorship]", "applies_when: a faq_note is for some profiles"),
        ("section: faq_note\napplies_when: {visa: [h1b]}\nnotes: [nowhere]", "notes: no FAQ 'nowhere'"),
        ("section: strategy\nnotes: [visa-sponsorship]", "notes: a faq_note snippet names"),
    ],
)
def test_loader_checks_faq_notes(content_copy, front, message):
    write_snippet(content_copy / "guidance", "a-note", f"id: a-note\nkind: guidance\ntitle: T\n{front}")
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert message in str(error.value)


def test_loader_rejects_duplicate_ids(content_copy):
    existing = next((content_copy / "faq").glob("*.md"))
    shutil.copy(existing, content_copy / "guidance" / existing.name)
    with pytest.raises(ContentError, match=r"kind|duplicate"):
        load_library(content_copy)


def test_loader_rejects_unknown_question_key(content_copy):
    path = content_copy / "questions.yaml"
    path.write_text(path.read_text().replace("  step: 1\n", "  step: 1\n  colour: red\n", 1))
    with pytest.raises(ContentError, match=r"questions\.yaml: question 1\.colour: unknown key"):
        load_library(content_copy)


@pytest.mark.parametrize(
    "old,new,message",
    [
        (
            "    together: {mixed: [hands_on, observing]}\n",
            "    together: {mixed: [hands_on, observing]}\n    asked_onyl: [elective]\n",
            "questions.usce_kind.asked_onyl: unknown key",
        ),
        (
            "asked_only: [clerkship,",
            "asked_only: [internship,",
            "questions.usce_kind.asked_only: 'internship' is not one of the option phrases",
        ),
        (
            "  trailing: [wrong, mistake]\n",
            "  trailing: [wrong, incorrect]\n",
            "edit_request.trailing: 'incorrect' is not one of edit_request.words",
        ),
        (
            'emoji_words: {"👍": "thumbsup",',
            'emoji_words: {"👍": "thumbs up",',
            "emoji_words.👍: the value must be one lower-case word",
        ),
    ],
)
def test_loader_names_a_bad_question_entry_in_understanding(content_copy, old, new, message):
    path = content_copy / "understanding.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "front,message",
    [
        (
            "assumes:\n  visa: [j1]",
            "breaks-it.md: assumes.visa: applies_when must restrict this fact",
        ),
        (
            "applies_when:\n  visa: [j1, h1b]\nassumes:\n  visa: [j1]",
            "breaks-it.md: applies_when.visa: value 'h1b' breaks assumes.visa",
        ),
        (
            "applies_when:\n  ck_band: [strong]\nassumes:\n  ck_pass: [passed]",
            "breaks-it.md: assumes.ck_pass: applies_when must restrict this fact",
        ),
        ("assumes:\n  visa: [martian]", "breaks-it.md: assumes.visa: value 'martian' is never produced"),
        ('headline: "Do it"', "breaks-it.md: months_before: a snippet with a headline is a dated step"),
        ('headline: "Do it"\nmonths_before: [3, 4]', "breaks-it.md: months_before: no timeline phase [3, 4]"),
    ],
)
def test_loader_refuses_a_snippet_that_can_reach_a_profile_its_text_contradicts(content_copy, front, message):
    head = "id: breaks-it\nkind: guidance\ntitle: T\nsection: actions\n"
    write_snippet(content_copy / "guidance", "breaks-it", head + front)
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert message in str(error.value)


def test_loader_refuses_a_placeholder_that_names_no_question(content_copy):
    write_snippet(
        content_copy / "guidance",
        "odd-slot",
        "id: odd-slot\nkind: guidance\ntitle: T\nsection: actions",
        "Your {shoe_size}.",
    )
    with pytest.raises(ContentError, match=r"odd-slot.md: body: placeholder \{shoe_size\} names no question"):
        load_library(content_copy)


def test_the_schema_lists_every_fact_with_its_values(library):
    """content/SCHEMA.md's profile-facts table is what the loader accepts, no more and no less."""
    schema = (ROOT / "content/SCHEMA.md").read_text(encoding="utf-8")
    table = schema.split("## Profile facts", 1)[1].split("\n## ", 1)[0]
    documented = {}
    for row in table.splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if row.startswith("| ") and cells[0] != "fact":
            for name in cells[0].split(", "):
                documented[name] = set(cells[1].split(", "))
    assert documented == {name: {str(v) for v in values} for name, values in library.facts.items()}


def test_a_key_given_twice_is_refused_not_silently_overwritten(tmp_path):
    """YAML keeps the last of two equal keys; the loader names the file and the key instead."""
    path = tmp_path / "questions.yaml"
    path.write_text("- id: visa\n  short: Visa\n  short: Again\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"questions\.yaml.*duplicate key 'short'"):
        load_questions(path)


@pytest.mark.parametrize(
    ("implies", "problem"),
    [
        ("{step3: [passport]}", "h1b_exams.implies.step3: must map an option to other options"),
        ("{step3: [none]}", "h1b_exams.implies.step3: cannot imply an exclusive option"),
        ("{step3: [step3]}", "h1b_exams.implies.step3: must map an option to other options"),
    ],
)
def test_loader_checks_what_an_option_implies(content_copy, implies, problem):
    path = content_copy / "questions.yaml"
    path.write_text(path.read_text().replace("implies: {step3: [ecfmg]}", f"implies: {implies}", 1))
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert f"questions.yaml: {problem}" in str(error.value)
