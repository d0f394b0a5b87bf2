"""Load and validate everything under `content/`; fail with the file and field named."""

import re
from pathlib import Path
from typing import Any

import yaml

from content.model import ANSWER_FACTS, FEELING_INTENT, Library, Option, Question, Snippet, Understanding

CONTENT_DIR = Path(__file__).resolve().parent
SNIPPET_DIRS = {"faq": "faq", "guidance": "guidance", "statement": "statement"}
SNIPPET_KEYS = {
    "id",
    "kind",
    "title",
    "section",
    "order",
    "source",
    "applies_when",
    "questions",
    "keywords",
    "see_also",
    "months_before",
    "assumes",
    "headline",
    "short",
    "priority",
    "for_you",
    "notes",
}
# verdict and blockers open the plan's first message; steps are dated steps shown only in the first
# message and the timeline; reference is generic and goes only in the PDF.
SECTIONS = (
    "faq_note",  # a line for some profiles above the FAQ answers named in `notes`; never in the plan
    "verdict",
    "blockers",
    "strategy",
    "actions",
    "statement",
    "redflags",
    "timeline",
    "steps",
    "reference",
)
# A body may show an answer as it was given, e.g. "your CK of {ck}"; only question ids may be named.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
QUESTION_KEYS = {
    "id",
    "short",
    "step",
    "kind",
    "prompt",
    "hint",
    "options",
    "ask_when",
    "skippable",
    "exclusive",
    "implies",
    "min",
    "max",
    "invalid",
    "topics",
}
QUESTION_KINDS = {"choice", "multi", "score", "number"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# libyaml's parser is several times faster than the pure-Python one; start-up time matters.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YAML_LOADER(_BASE_LOADER):  # used as PyYAML's Loader argument, hence the name
    """The safe loader, refusing a key given twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


class ContentError(ValueError):
    """A content file is malformed; the message names the file and field."""


def _fail(path: Path, field: str, problem: str) -> ContentError:
    return ContentError(f"{path.name}: {field}: {problem}")


def _flag(path: Path, field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, field, "expected true or false")
    return value


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise _fail(path, "yaml", str(exc).replace("\n", " ")) from exc


def _implies(path: Path, item: dict[str, Any], options: list[Option]) -> dict[Any, tuple[Any, ...]]:
    """Return a multi question's `implies` map (option -> options it brings), checked against its options."""
    raw = item.get("implies") or {}
    where = f"{item['id']}.implies"
    if raw and item["kind"] != "multi":
        raise _fail(path, where, "only a multi question can imply options")
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected a mapping of option -> [options]")
    values = {o.value for o in options}
    implies = {key: _as_tuple(targets) for key, targets in raw.items()}
    for key, targets in implies.items():
        if key not in values or not set(targets) <= values or key in targets:
            raise _fail(path, f"{where}.{key}", "must map an option to other options of the question")
        if set(targets) & set(_as_tuple(item.get("exclusive"))):
            raise _fail(path, f"{where}.{key}", "cannot imply an exclusive option")
    return implies


def load_questions(path: Path) -> tuple[Question, ...]:
    """Parse and validate the questionnaire in *path*."""
    raw = _read_yaml(path)
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "questions", "expected a non-empty list")
    questions: list[Question] = []
    for index, item in enumerate(raw):
        where = f"question {index + 1}"
        if not isinstance(item, dict):
            raise _fail(path, where, "expected a mapping")
        unknown = set(item) - QUESTION_KEYS
        if unknown:
            raise _fail(path, f"{where}.{sorted(unknown)[0]}", "unknown key")
        for key in ("id", "step", "kind", "prompt", "invalid"):
            if key not in item:
                raise _fail(path, f"{where}.{key}", "missing")
        if item["kind"] not in QUESTION_KINDS:
            raise _fail(path, f"{where}.kind", f"must be one of {sorted(QUESTION_KINDS)}")
        options = []
        for opt in item.get("options") or []:
            if "value" not in opt or "label" not in opt:
                raise _fail(path, f"{item['id']}.options", "each option needs value and label")
            if set(opt) - {"value", "label", "reads"}:
                raise _fail(
                    path,
                    f"{item['id']}.options",
                    "an option has only value, label and reads (phrasings live in understanding.yaml)",
                )
            reads = str(opt.get("reads") or opt["label"])
            options.append(Option(value=opt["value"], label=str(opt["label"]), reads=reads))
        if item["kind"] in {"choice", "multi"} and not options:
            raise _fail(path, f"{item['id']}.options", "a choice question needs options")
        skippable = "skippable" in item
        questions.append(
            Question(
                id=item["id"],
                short=str(item.get("short", item["id"])),
                step=int(item["step"]),
                kind=item["kind"],
                prompt=item["prompt"],
                invalid=item["invalid"],
                options=tuple(options),
                hint=item.get("hint", ""),
                ask_when={k: _as_tuple(v) for k, v in (item.get("ask_when") or {}).items()},
                skippable=skippable,
                skip_value=item.get("skippable"),
                exclusive=_as_tuple(item.get("exclusive")),
                implies=_implies(path, item, options),
                min=item.get("min"),
                max=item.get("max"),
                topics=_as_tuple(item.get("topics")),
            )
        )
    ids = [q.id for q in questions]
    for question in questions:
        if ids.count(question.id) > 1:
            raise _fail(path, f"{question.id}.id", "duplicate question id")
        earlier = ids[: ids.index(question.id)]
        for key in question.ask_when:
            if key not in earlier:
                raise _fail(path, f"{question.id}.ask_when.{key}", "must name an earlier question")
    return tuple(questions)


def fact_vocabulary(questions: tuple[Question, ...], derived: dict[str, list[Any]]) -> dict[str, set[Any]]:
    """Return every fact name a condition may use, with the values it can take."""
    vocabulary: dict[str, set[Any]] = {}
    for name in ANSWER_FACTS:
        question = next(q for q in questions if q.id == name)
        vocabulary[name] = {o.value for o in question.options}
    for name, values in derived.items():
        vocabulary[name] = set(values)
    return vocabulary


def _conditions(path: Path, field: str, raw: Any, vocabulary: dict[str, set[Any]]) -> dict[str, tuple]:
    """Return validated conditions (fact -> allowed values) from *raw* front matter."""
    if raw is not None and not isinstance(raw, dict):
        raise _fail(path, field, "expected a mapping of fact -> values")
    conditions = {}
    for fact, values in (raw or {}).items():
        if fact not in vocabulary:
            raise _fail(path, f"{field}.{fact}", "no question produces this fact")
        values = _as_tuple(values)
        for value in values:
            if value not in vocabulary[fact]:
                raise _fail(path, f"{field}.{fact}", f"value {value!r} is never produced")
        conditions[fact] = values
    return conditions


def _check_assumptions(path: Path, applies: dict[str, tuple], assumes: dict[str, tuple]) -> None:
    """Refuse a snippet whose conditions let it reach a profile that breaks what its text assumes.

    The check is on the conditions alone: for every assumed fact, `applies_when` must name the same
    fact with only assumed values. That is stricter than needed (it ignores that one fact may imply
    another), which keeps it simple to reason about; the profile sweep in the tests backs it up.
    """
    for fact, allowed in assumes.items():
        if fact not in applies:
            raise _fail(
                path, f"assumes.{fact}", "applies_when must restrict this fact, or any profile can see it"
            )
        extra = [v for v in applies[fact] if v not in allowed]
        if extra:
            raise _fail(path, f"applies_when.{fact}", f"value {extra[0]!r} breaks assumes.{fact}")


def _parse_snippet(path: Path, kind: str, vocabulary: dict[str, set[Any]], questions: set[str]) -> Snippet:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise _fail(path, "front matter", "the file must start with a '---' block and have a body")
    try:
        meta = yaml.load(match.group(1), Loader=YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise _fail(path, "front matter", str(exc).replace("\n", " ")) from exc
    unknown = set(meta) - SNIPPET_KEYS
    if unknown:
        raise _fail(path, sorted(unknown)[0], "unknown key")
    for key in ("id", "kind", "title"):
        if not meta.get(key):
            raise _fail(path, key, "missing")
    if meta["id"] != path.stem or not ID_PATTERN.match(meta["id"]):
        raise _fail(path, "id", "must be kebab-case and equal the file name")
    if meta["kind"] != kind:
        raise _fail(path, "kind", f"files in {kind}/ must have kind {kind}")
    section = meta.get("section", "")
    if kind == "faq" and section:
        raise _fail(path, "section", "FAQ snippets have no section")
    if kind != "faq" and section not in SECTIONS:
        raise _fail(path, "section", f"must be one of {list(SECTIONS)}")
    conditions = _conditions(path, "applies_when", meta.get("applies_when"), vocabulary)
    assumes = _conditions(path, "assumes", meta.get("assumes"), vocabulary)
    _check_assumptions(path, conditions, assumes)
    months = meta.get("months_before")
    if months is not None and (not isinstance(months, list) or len(months) != 2):
        raise _fail(path, "months_before", "must be [from, to]")
    notes = _as_tuple(meta.get("notes"))
    if (section == "faq_note") != bool(notes):
        raise _fail(path, "notes", "a faq_note snippet names the FAQ answers it notes, and only it has notes")
    if section == "faq_note" and not conditions:
        raise _fail(path, "applies_when", "a faq_note is for some profiles: say which")
    if section == "timeline" and months is None:
        raise _fail(path, "months_before", "timeline snippets need months_before")
    if meta.get("headline") and months is None:
        raise _fail(
            path, "months_before", "a snippet with a headline is a dated step and needs months_before"
        )
    body = match.group(2).strip()
    if not body:
        raise _fail(path, "body", "empty")
    for text in (body, str(meta.get("headline", ""))):
        for name in PLACEHOLDER.findall(text):
            if name not in questions:
                raise _fail(path, "body", f"placeholder {{{name}}} names no question")
    return Snippet(
        id=meta["id"],
        kind=kind,
        title=str(meta["title"]),
        body=body,
        source=str(meta.get("source", "")),
        section=section,
        order=int(meta.get("order", 50)),
        applies_when=conditions,
        questions=tuple(str(q) for q in _as_tuple(meta.get("questions"))),
        keywords=tuple(str(k) for k in _as_tuple(meta.get("keywords"))),
        see_also=_as_tuple(meta.get("see_also")),
        months_before=tuple(months) if months else None,
        assumes=assumes,
        headline=str(meta.get("headline", "")),
        short=str(meta.get("short", "")),
        priority=int(meta.get("priority", 50)),
        for_you=_flag(path, "for_you", meta.get("for_you", False)),
        notes=notes,
    )


# what a question's entry in understanding.yaml may hold
UNDERSTANDING_QUESTION_KEYS = {
    "names",
    "options",
    "anywhere",
    "unsure",
    "nouns",
    "asked_only",
    "fallback",
    "together",
}
UNDERSTANDING_KEYS = {
    "rewrites",
    "language_rewrites",
    "correction_cues",
    "negators",
    "hedges",
    "common_words",
    "frequent_words",
    "questions",
    "navigation",
    "navigation_words",
    "home_letters",
    "rotation_writers",
    "native_english",
    "every_option",
    "every_option_except",
    "result_pending",
    "rough_amounts",
    "practice_exams",
    "doubtful",
    "asides",
    "replacing_words",
    "home_experience",
    "news_words",
    "feelings",
    "removal_words",
    "plan_parts",
    "edit_request",
    "confirm",
    "small_talk",
    "glossary",
    "emoji_words",
    "spelled_out",
    "address_words",
}
NAVIGATION_MOVES = {
    "back",
    "skip",
    "restart",
    "menu",
    "help",
    "cancel",
    "done",
    "plan",
    "summary",
    "first",
    "delete",
}


def _edit_trailing(path: Path, edit_request: dict[str, Any]) -> tuple[str, ...]:
    """Return the edit words said after the answer they name; each must be one of the edit words."""
    if "trailing" not in edit_request:
        return ()
    trailing = _phrases(path, "edit_request.trailing", edit_request["trailing"])
    for word in set(trailing) - set(edit_request["words"]):
        raise _fail(path, "edit_request.trailing", f"{word!r} is not one of edit_request.words")
    return trailing


def _emoji_words(path: Path, raw: dict[str, Any]) -> dict[str, str]:
    """Return the emoji -> word table: each emoji a short non-letter string, each word one plain word."""
    table = raw.get("emoji_words") or {}
    if not isinstance(table, dict):
        raise _fail(path, "emoji_words", "expected a mapping of emoji to a word")
    for emoji, word in table.items():
        if not isinstance(emoji, str) or not emoji or any(c.isalnum() for c in emoji):
            raise _fail(path, f"emoji_words.{emoji}", "the key must be an emoji, not letters or digits")
        if not isinstance(word, str) or not re.fullmatch(r"[a-z]+", word):
            raise _fail(path, f"emoji_words.{emoji}", "the value must be one lower-case word")
    return dict(table)


def _spelled_out(path: Path, raw: dict[str, Any]) -> tuple[str, ...]:
    """Return the abbreviations read whole when typed letter by letter; each is letters only."""
    if "spelled_out" not in raw:
        return ()
    words = _phrases(path, "spelled_out", raw["spelled_out"])
    for word in words:
        if not re.fullmatch(r"[a-z]{2,6}", str(word)):
            raise _fail(path, "spelled_out", f"{word!r} must be 2-6 lower-case letters")
    return words


def _phrases(path: Path, field: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(path, field, "expected a non-empty list of phrases")
    for phrase in value:
        if not isinstance(phrase, str | int) or isinstance(phrase, bool) or not str(phrase).strip():
            raise _fail(path, field, f"{phrase!r} is not a phrase (quote yes/no/on/off)")
    return tuple(str(p) for p in value)


def load_understanding(
    path: Path, questions: tuple[Question, ...], messages: dict[str, str]
) -> Understanding:
    """Parse and validate the typed-text vocabulary in *path* against the questions and messages."""
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise _fail(path, "understanding", "expected a mapping")
    unknown = set(raw) - UNDERSTANDING_KEYS
    if unknown:
        raise _fail(path, sorted(unknown)[0], "unknown key")
    by_id = {q.id: q for q in questions}
    names: dict[str, tuple[str, ...]] = {}
    options: dict[str, dict[Any, tuple[str, ...]]] = {}
    anywhere: dict[str, tuple[str, ...]] = {}
    unsure: dict[str, tuple[str, ...]] = {}
    asked_only: dict[str, tuple[str, ...]] = {}
    nouns: dict[str, tuple[str, ...]] = {}
    fallback: dict[str, Any] = {}
    together: dict[str, dict[Any, tuple[Any, ...]]] = {}
    for qid, entry in (raw.get("questions") or {}).items():
        question = by_id.get(qid)
        if question is None:
            raise _fail(path, f"questions.{qid}", "no such question in questions.yaml")
        unknown_keys = set(entry) - UNDERSTANDING_QUESTION_KEYS
        if unknown_keys:
            raise _fail(path, f"questions.{qid}.{sorted(unknown_keys)[0]}", "unknown key")
        names[qid] = _phrases(path, f"questions.{qid}.names", entry.get("names"))
        options[qid] = {}
        for value, phrases in (entry.get("options") or {}).items():
            if question.option(value) is None:
                raise _fail(path, f"questions.{qid}.options.{value}", "not an option of the question")
            options[qid][value] = _phrases(path, f"questions.{qid}.options.{value}", phrases)
        every = {p for phrases in options[qid].values() for p in phrases}
        for key, target in (
            ("anywhere", anywhere),
            ("unsure", unsure),
            ("nouns", nouns),
            ("asked_only", asked_only),
        ):
            listed = entry.get(key) or []
            for phrase in listed:
                if str(phrase) not in every:
                    raise _fail(
                        path, f"questions.{qid}.{key}", f"{phrase!r} is not one of the option phrases"
                    )
            target[qid] = tuple(str(p) for p in listed)
        if "fallback" in entry:
            if question.option(entry["fallback"]) is None:
                raise _fail(path, f"questions.{qid}.fallback", "not an option of the question")
            fallback[qid] = entry["fallback"]
        for value, parts in (entry.get("together") or {}).items():
            field = f"questions.{qid}.together.{value}"
            if question.option(value) is None or not isinstance(parts, list) or len(parts) < 2:
                raise _fail(path, field, "expected an option and a list of two or more options")
            for part in parts:
                if question.option(part) is None:
                    raise _fail(path, field, f"{part!r} is not an option of the question")
            together.setdefault(qid, {})[value] = tuple(parts)
        missing = [o.value for o in question.options if o.value not in options[qid]]
        if question.kind in ("choice", "multi") and missing:
            raise _fail(path, f"questions.{qid}.options", f"no phrases for {missing[0]!r}")
    for question in questions:
        if question.id not in names:
            raise _fail(path, f"questions.{question.id}", "missing")
    navigation = {}
    for move, phrases in (raw.get("navigation") or {}).items():
        if move not in NAVIGATION_MOVES:
            raise _fail(path, f"navigation.{move}", f"must be one of {sorted(NAVIGATION_MOVES)}")
        navigation[move] = _phrases(path, f"navigation.{move}", phrases)
    navigation_words = {}
    for move, words in (raw.get("navigation_words") or {}).items():
        if move not in NAVIGATION_MOVES:
            raise _fail(path, f"navigation_words.{move}", f"must be one of {sorted(NAVIGATION_MOVES)}")
        navigation_words[move] = _phrases(path, f"navigation_words.{move}", words)
    confirm = {}
    for answer in ("yes", "no"):
        confirm[answer] = _phrases(path, f"confirm.{answer}", (raw.get("confirm") or {}).get(answer))
    small_talk = {}
    for intent, entry in (raw.get("small_talk") or {}).items():
        reply = entry.get("reply") if isinstance(entry, dict) else None
        if reply not in messages:
            raise _fail(path, f"small_talk.{intent}.reply", f"no message {reply!r} in messages.yaml")
        small_talk[intent] = (reply, _phrases(path, f"small_talk.{intent}.phrases", entry.get("phrases")))
    if "feelings" in raw and FEELING_INTENT not in small_talk:
        raise _fail(path, "feelings", f"needs a small_talk intent {FEELING_INTENT!r} for its reply")
    rewrites = raw.get("rewrites") or {}
    if not isinstance(rewrites, dict):
        raise _fail(path, "rewrites", "expected a mapping of phrase: replacement")
    language = raw.get("language_rewrites") or {}
    if not isinstance(language, dict):
        raise _fail(path, "language_rewrites", "expected a mapping of phrase: replacement")
    clash = sorted(set(rewrites) & set(language))
    if clash:
        raise _fail(path, f"language_rewrites.{clash[0]}", "already in rewrites")
    glossary = raw.get("glossary") or {}
    for term, text in glossary.items():
        if not isinstance(text, str) or not text.strip():
            raise _fail(path, f"glossary.{term}", "expected a definition")
    edit_request = raw.get("edit_request") or {}
    if edit_request and not {"words", "questions"} <= set(edit_request) <= {"words", "trailing", "questions"}:
        raise _fail(path, "edit_request", "expected the keys words, questions and (optional) trailing")
    edit_names = {}
    for qid, phrases in (edit_request.get("questions") or {}).items():
        if qid not in by_id:
            raise _fail(path, f"edit_request.questions.{qid}", "no such question in questions.yaml")
        edit_names[str(qid)] = _phrases(path, f"edit_request.questions.{qid}", phrases)
    return Understanding(
        rewrites=tuple((str(k), str(v)) for k, v in (*rewrites.items(), *language.items())),
        language_words=tuple(sorted({w for k in language for w in str(k).split()})),
        correction_cues=_phrases(path, "correction_cues", raw.get("correction_cues")),
        negators=_phrases(path, "negators", raw.get("negators")),
        hedges=_phrases(path, "hedges", raw.get("hedges")),
        common_words=tuple(f"{raw.get('common_words') or ''} {raw.get('frequent_words') or ''}".split()),
        names=names,
        options=options,
        anywhere=anywhere,
        nouns=nouns,
        unsure=unsure,
        asked_only=asked_only,
        fallback=fallback,
        together=together,
        navigation=navigation,
        navigation_words=navigation_words,
        emoji_words=_emoji_words(path, raw),
        home_letters=_phrases(path, "home_letters", raw["home_letters"]) if "home_letters" in raw else (),
        native_english=(
            _phrases(path, "native_english", raw["native_english"]) if "native_english" in raw else ()
        ),
        rotation_writers=(
            _phrases(path, "rotation_writers", raw["rotation_writers"]) if "rotation_writers" in raw else ()
        ),
        every_option=_phrases(path, "every_option", raw["every_option"]) if "every_option" in raw else (),
        every_option_except=(
            _phrases(path, "every_option_except", raw["every_option_except"])
            if "every_option_except" in raw
            else ()
        ),
        asides=_phrases(path, "asides", raw["asides"]) if "asides" in raw else (),
        replacing_words=_phrases(path, "replacing_words", raw.get("replacing_words")),
        home_experience=_phrases(path, "home_experience", raw.get("home_experience")),
        news_words=_phrases(path, "news_words", raw.get("news_words")),
        spelled_out=_spelled_out(path, raw),
        address_words=_phrases(path, "address_words", raw["address_words"]) if "address_words" in raw else (),
        rough_amounts=_phrases(path, "rough_amounts", raw.get("rough_amounts")),
        practice_exams=_phrases(path, "practice_exams", raw.get("practice_exams")),
        result_pending=_phrases(path, "result_pending", raw["result_pending"])
        if "result_pending" in raw
        else (),
        doubtful=_phrases(path, "doubtful", raw["doubtful"]) if "doubtful" in raw else (),
        feelings=_phrases(path, "feelings", raw["feelings"]) if "feelings" in raw else (),
        removal_words=_phrases(path, "removal_words", raw["removal_words"]) if "removal_words" in raw else (),
        edit_words=_phrases(path, "edit_request.words", edit_request["words"]) if edit_request else (),
        edit_trailing=_edit_trailing(path, edit_request),
        edit_names=edit_names,
        plan_parts={
            str(k): _phrases(path, f"plan_parts.{k}", v) for k, v in (raw.get("plan_parts") or {}).items()
        },
        confirm=confirm,
        small_talk=small_talk,
        glossary={str(k): v for k, v in glossary.items()},
    )


def load_library(content_dir: Path = CONTENT_DIR) -> Library:
    """Load and validate every content file under *content_dir*."""
    questions = load_questions(content_dir / "questions.yaml")
    derived = _read_yaml(content_dir / "facts.yaml") or {}
    vocabulary = fact_vocabulary(questions, derived)
    snippets: dict[str, Snippet] = {}
    for kind, folder in SNIPPET_DIRS.items():
        for path in sorted((content_dir / folder).glob("*.md")):
            snippet = _parse_snippet(path, kind, vocabulary, {q.id for q in questions})
            if snippet.id in snippets:
                raise _fail(path, "id", f"duplicate id {snippet.id!r}")
            snippets[snippet.id] = snippet
    phases = {s.months_before for s in snippets.values() if s.section == "timeline"}
    for snippet in snippets.values():
        for other in snippet.notes:
            if other not in snippets or snippets[other].kind != "faq":
                raise ContentError(f"{snippet.id}.md: notes: no FAQ {other!r}")
        for other in snippet.see_also:
            if other not in snippets:
                raise ContentError(f"{snippet.id}.md: see_also: no snippet {other!r}")
        if snippet.months_before is not None and snippet.months_before not in phases:
            raise ContentError(
                f"{snippet.id}.md: months_before: no timeline phase {list(snippet.months_before)}"
            )
    for question in questions:
        for topic in question.topics:
            if topic not in snippets or snippets[topic].kind != "faq":
                raise ContentError(f"questions.yaml: {question.id}.topics: no FAQ {topic!r}")
    messages_path = content_dir / "messages.yaml"
    messages = _read_yaml(messages_path) or {}
    for key, value in messages.items():
        if not isinstance(value, str):  # an unquoted Yes / No loads as a boolean
            raise _fail(messages_path, str(key), "expected text; quote it")
    coverage_path = content_dir / "coverage.yaml"
    coverage = _read_yaml(coverage_path) if coverage_path.exists() else {}
    for key, entry in (coverage or {}).items():
        for snippet_id in entry.get("snippets", []):
            if snippet_id not in snippets:
                raise _fail(coverage_path, f"{key}.snippets", f"no snippet {snippet_id!r}")
    understanding = load_understanding(content_dir / "understanding.yaml", questions, messages)
    return Library(
        questions=questions,
        snippets=snippets,
        messages=messages,
        coverage=coverage or {},
        understanding=understanding,
        facts=vocabulary,
    )
