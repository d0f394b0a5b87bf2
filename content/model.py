"""Frozen records for what the content files hold."""

from dataclasses import dataclass, field
from typing import Any

# Answers that are facts in their own right, under the question's id and with its option values; the
# facts derived from answers are listed in facts.yaml. dialogs/profile.py and the loader both read this.
ANSWER_FACTS = (
    "visa",
    "step1",
    "usce",
    "usce_kind",
    "research",
    "goals",
    "english",
    "timing",
    "letters_count",
    "letters_from",
)


@dataclass(frozen=True)
class Option:
    """One answer a question offers as a button."""

    value: Any
    label: str
    reads: str = ""  # how the answer reads back in the summary ("Failed"), when the button speaks as the user


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire."""

    id: str
    short: str
    step: int
    kind: str  # choice | multi | score | number
    prompt: str
    invalid: str
    options: tuple[Option, ...] = ()
    hint: str = ""
    ask_when: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    skippable: bool = False
    skip_value: Any = None
    exclusive: tuple[Any, ...] = ()
    # options a ticked option brings with it ("Step 3 passed" needs ECFMG certification first)
    implies: dict[Any, tuple[Any, ...]] = field(default_factory=dict)
    min: int | None = None
    max: int | None = None
    # FAQs about this question: a message that answers it and asks something close to one of them means it
    topics: tuple[str, ...] = ()

    @property
    def state(self) -> str:
        """Return the machine state in which this question is asked."""
        return f"asking_{self.id}"

    def with_implied(self, values: list[Any]) -> list[Any]:
        """Return the ticked *values* with the options they imply, in the order of the options."""
        ticked = set(values) | {v for value in values for v in self.implies.get(value, ())}
        return [o.value for o in self.options if o.value in ticked]

    def without(self, values: list[Any], removed: Any) -> list[Any]:
        """Return *values* less *removed* and the options that imply it (unticking ECFMG unticks Step 3)."""
        return [v for v in values if v != removed and removed not in self.implies.get(v, ())]

    def option(self, value: Any) -> Option | None:
        """Return the option with *value*, if any."""
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Snippet:
    """One piece of advice: an FAQ answer, a plan part, or a statement pointer."""

    id: str
    kind: str  # faq | guidance | statement
    title: str
    body: str
    source: str = ""
    section: str = ""
    order: int = 50
    applies_when: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    months_before: tuple[int, int] | None = None
    # What the text takes for granted about the reader; the loader refuses conditions that break it.
    assumes: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    headline: str = ""  # a dated step in one line, for the plan's first message and the timeline
    short: str = ""  # the step as a noun phrase ("US rotations"), for "too little time for ..."
    priority: int = 50  # lower first when choosing the three steps that matter most now
    for_you: bool = False  # an FAQ answer that opens with where the user's own score sits (the verdict)
    # faq_note only: the FAQ answers it is said above, for the profiles it applies to
    notes: tuple[str, ...] = ()


FEELING_INTENT = "feeling_low"  # the small-talk reply a message of worry gets (`feelings`)


@dataclass(frozen=True)
class Understanding:
    """The words that mean answers, moves and small talk (`content/understanding.yaml`), unparsed."""

    rewrites: tuple[tuple[str, str], ...] = ()
    language_words: tuple[str, ...] = ()  # words of other languages: known, never typo-correction targets
    correction_cues: tuple[str, ...] = ()
    negators: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    common_words: tuple[str, ...] = ()
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # question id -> phrases
    options: dict[str, dict[Any, tuple[str, ...]]] = field(default_factory=dict)  # id -> value -> phrases
    anywhere: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> phrases that need no name
    # id -> option phrases that only name a thing ("case report"): a status in their clause outranks them
    nouns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unsure: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> phrases to confirm first
    # id -> option phrases that answer only when their question is asked or named ("rotation" is no
    # hands-on answer at "where was your USCE?")
    asked_only: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fallback: dict[str, Any] = field(default_factory=dict)  # id -> value used only if no other matched
    # id -> {value: parts}: answers that together mean another ("IM" and "psych" rotations are "both")
    together: dict[str, dict[Any, tuple[Any, ...]]] = field(default_factory=dict)
    navigation: dict[str, tuple[str, ...]] = field(default_factory=dict)  # move -> phrases
    # move -> words that mean it inside a short message that answers nothing ("return to previous")
    navigation_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # emoji -> the word it stands for ("👍" -> "thumbsup"), put in its place before anything is read
    emoji_words: dict[str, str] = field(default_factory=dict)
    # words that place letters outside the US ("from my professors in india")
    home_letters: tuple[str, ...] = ()
    # words that say a letter is from the rotation just named ("got a letter from the attending there")
    rotation_writers: tuple[str, ...] = ()
    # words that say English is the user's own language ("English is my first language"): no option says it
    native_english: tuple[str, ...] = ()
    edit_words: tuple[str, ...] = ()  # words asking to change an answer ("change", "fix")
    edit_trailing: tuple[str, ...] = ()  # those of them said after the answer ("the visa is wrong")
    edit_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # question id -> its names there
    plan_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # plan part (or pdf) -> phrases
    # words that take an option out of a multi-choice answer already given ("remove oet")
    removal_words: tuple[str, ...] = ()
    # words of worry or despair: a message that answers and asks nothing but has one gets the feeling reply
    feelings: tuple[str, ...] = ()
    # whole replies that tick every option of a multi-choice question ("all of them")
    every_option: tuple[str, ...] = ()
    # words after "all" that leave the options named next out ("all of them except academic")
    every_option_except: tuple[str, ...] = ()
    # laughter and "brb" words: a message with one that neither asks nor answers is an aside, no question
    asides: tuple[str, ...] = ()
    # words between two numbers that take the first back for the second ("6 weeks, no wait, 8")
    replacing_words: tuple[str, ...] = ()
    # words that bring news of the research ("presented at QI day"): the change is stored without a tap
    news_words: tuple[str, ...] = ()
    # words that place clinical work outside the US, where no US place is named ("my internship")
    home_experience: tuple[str, ...] = ()
    # abbreviations read whole when typed or dictated letter by letter ("L O R", "E.C.F.M.G.")
    spelled_out: tuple[str, ...] = ()
    # words that address the reader ("bro", "chamo", "yaar"), dropped where they close a clause
    address_words: tuple[str, ...] = ()
    # "waiting for the result" at the CK question: taken, score not out; nothing is stored
    result_pending: tuple[str, ...] = ()
    rough_amounts: tuple[str, ...] = ()  # words that give a number only roughly ("a few", "a couple")
    practice_exams: tuple[str, ...] = ()  # practice tests whose scores are no Step 2 CK result ("NBME")
    # "sort of", "not sure it counts": the pending question's answer is confirmed first, not stored
    doubtful: tuple[str, ...] = ()
    confirm: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "yes" / "no" -> phrases
    small_talk: dict[str, tuple[str, tuple[str, ...]]] = field(
        default_factory=dict
    )  # intent -> (reply key, phrases)
    glossary: dict[str, str] = field(default_factory=dict)  # term -> definition


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one library per process
class Library:
    """Everything loaded from `content/`, validated."""

    questions: tuple[Question, ...]
    snippets: dict[str, Snippet]
    messages: dict[str, str]
    coverage: dict[str, dict[str, Any]]
    understanding: Understanding = field(default_factory=Understanding)
    # Every fact a condition may name, with the values it can take: ANSWER_FACTS and facts.yaml.
    facts: dict[str, set[Any]] = field(default_factory=dict)

    @property
    def faqs(self) -> list[Snippet]:
        """Return the FAQ snippets, sorted by title."""
        return sorted((s for s in self.snippets.values() if s.kind == "faq"), key=lambda s: s.title.lower())

    def question(self, question_id: str) -> Question | None:
        """Return the question with *question_id*, if any."""
        return next((q for q in self.questions if q.id == question_id), None)

    def message(self, key: str, **values: Any) -> str:
        """Return the UI message *key* with *values* filled in."""
        text = self.messages[key]
        return text.format(**values) if values else text
