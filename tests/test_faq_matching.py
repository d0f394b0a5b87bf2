"""The free-text FAQ matcher: held-out quality floors, own phrasings, hostile input, off-topic questions."""

import pytest

from content.search import FaqMatcher, Match, NgramIndex, translate
from eval.evaluate import EVAL_FILE, evaluate

STATUSES = {"answer", "choose", "none"}


@pytest.fixture(scope="module")
def matcher(library):
    return FaqMatcher(library.faqs)


def assert_valid(match: Match, known: set[str]) -> None:
    assert match.status in STATUSES
    assert set(match.ids) <= known
    assert len(match.ids) == len(set(match.ids))
    if match.status == "answer":
        assert len(match.ids) == 1
    elif match.status == "choose":
        assert 2 <= len(match.ids) <= 3
    else:
        assert match.ids == ()


# (a) Regression guard. Measured on the held-out split with the n-gram check: top-1 0.861, top-3 0.972,
# off-topic rejection 1.00 (21 questions), confidently wrong 0.028. Floors sit a few points lower.
def test_heldout_quality_does_not_regress():
    result = evaluate("heldout", timing=False)
    assert result["n_in_scope"] > 0 and result["n_off_topic"] > 0
    assert result["top1"] >= 0.83
    assert result["top3"] >= 0.93
    assert result["rejection"] >= 0.90
    assert result["confidently_wrong"] <= 0.06


# (b) Every FAQ is the best match for its own title and each of its alternative questions.
def test_each_faq_ranks_first_for_its_own_phrasings(library, matcher):
    misses = []
    for snippet in library.faqs:
        for phrasing in (snippet.title, *snippet.questions):
            ranked = matcher.scores(phrasing)
            if not ranked or ranked[0][0] != snippet.id:
                misses.append((snippet.id, phrasing, ranked[:2]))
    assert misses == []


HOSTILE = [
    '"',
    "(",
    ")",
    "AND OR NOT",
    "NEAR(ck usce)",
    "*",
    "-",
    ":",
    "ck:225",
    "title:visa OR body:j1",
    "🙂🙂🙂",
    "🧠💊 med psych? 🤔",
    "\u200b\u200c\u200d\ufeff",
    "ck\u200b225 zero\u200dwidth",
    "مرحبا، هل يمكنني التقديم على الطب النفسي؟",
    "\u202eevil rtl override usce\u202c",
    "שלום עולם",
    "x" * 4000,
    ("my ck is 225 and I have 3 months usce, what are my chances? " * 80)[:4000],
    "ck " * 1400,
    "9" * 4000,
    "",
    "   ",
    "\n\t\r",
    "'; DROP TABLE sessions; --",
    "1 OR 1=1; SELECT * FROM users",
    "<script>alert('lor')</script>",
    "<b>visa</b><img src=x onerror=alert(1)>",
    "\\d+([a-z]*)$^|{0}%s",
    "\x00\x01\x02",
    "\ud800 lone surrogate",
    "Ｃ Ｋ ２２５ ｆｕｌｌｗｉｄｔｈ",
    "ﬁnding img friendly programs",
    "I'M IM TY EM PS PD LOR",
    "s2ck!!!???...",
    "....,,,;;;!!!",
]


# (c) Any text returns a well-formed verdict.
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_returns_a_valid_match(matcher, library, text):
    known = {s.id for s in library.faqs}
    assert_valid(matcher.match(text), known)
    assert all(i in known for i, _ in matcher.scores(text))


def test_hostile_list_is_long_enough():
    assert len(HOSTILE) >= 25


def test_empty_and_punctuation_only_input_is_none(matcher):
    for text in ("", "   ", "?!?", "...", "—", "🙂"):
        assert matcher.match(text).status == "none"


# (d) Questions the advisor does not cover (written for this test, not taken from the eval set).
OFF_TOPIC = [
    "what's a good recipe for chicken biryani",
    "how do i renew my passport",
    "is dermatology img friendly",
    "max dose of lithium for bipolar disorder",
    "uworld vs amboss for step 3",
    "good evening, how are you today",
    "how much is the eras application fee",
    "is orthopedic surgery competitive for foreign grads",
    "can you recommend a podcast for the commute",
    "what's the weather like in new york in march",
    "best pediatrics residency in ohio",
    "how do i treat hyperkalemia",
]


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_questions_get_none(matcher, text):
    assert matcher.match(text).status == "none"


def test_off_topic_examples_are_not_from_the_eval_set():
    eval_text = EVAL_FILE.read_text(encoding="utf-8").lower()
    assert not [q for q in OFF_TOPIC if q.lower() in eval_text]


def test_typical_questions_are_answered(matcher):
    assert matcher.match("how many LORs do i need for med psych").ids[:1] == ("letters-how-many",)
    assert matcher.match("do i need usce for med-psych").ids[:1] == ("usce-needed",)
    assert matcher.match("J1 or H1B?").ids[:1] == ("visa-sponsorship",)


# "Chance" words, however they are spelled, reach the realistic-chances topic; "hope" only where it is had or
# lost, never in a greeting ("I hope you are well").
CHANCE_QUESTIONS = [
    "what are my chances",
    "is there any hope for me",
    "is it hopeless?",
    "do i have a chance",
]


@pytest.mark.parametrize("text", CHANCE_QUESTIONS)
def test_chance_questions_reach_the_chances_topic(matcher, text):
    assert matcher.match(text).ids[:1] == ("low-ck-realistic-chance",)


@pytest.mark.parametrize("text", ["i hope you are doing well today", "hope you had a good weekend"])
def test_hope_in_a_greeting_is_no_question(matcher, text):
    assert matcher.match(text).status == "none"


def test_ngram_index_ranks_a_phrasing_first_for_itself():
    index = NgramIndex(["do i need a visa", "how many letters", "how many letters of rec"], ["v", "l", "l"])
    sims = index.similarities("how many letters")
    assert max(sims, key=sims.get) == "l" and sims["l"] == pytest.approx(1.0)
    assert index.similarities("") == {} and index.similarities("zzzz qqqq") == {}


CHECKED = [
    "how many LORs do i need for med psych",
    "do i need usce for med-psych",
    "is a 221 on ck too low for combined programs",
    "should i mention my step 1 fail in the personal statement",
    "what do pds look for in img applicants",
    "can i apply to categorical IM as a backup",
    "is research required for med psych",
]


@pytest.mark.parametrize("text", CHECKED)
def test_the_ngram_check_only_turns_an_answer_into_a_choice_that_keeps_it(library, matcher, text):
    unchecked = FaqMatcher(library.faqs, check_depth=None).match(text)
    checked = matcher.match(text)
    if unchecked.status != "answer":
        assert checked == unchecked
    elif checked.status == "choose":
        assert checked.ids[0] == unchecked.ids[0] and len(checked.ids) == 2
    else:
        assert checked == unchecked


@pytest.mark.parametrize(
    "text, topic",
    [
        ("cuantas cartas de recomendacion necesito?", "letters-how-many"),
        ("¿Puedo explicar mi fracaso en el step 1 en la entrevista?", "explain-step1-failure-interview"),
        ("comment trouver les programmes med-psych qui acceptent les IMG?", "finding-img-friendly-programs"),
    ],
)
def test_a_question_in_another_language_finds_its_topic(matcher, text, topic):
    """Domain words of the languages applicants ask in are put into English before matching."""
    assert matcher.match(text) == Match("answer", (topic,), matcher.match(text).scores)


def test_an_english_question_is_matched_as_typed():
    assert translate("Is a TY or IM prelim better?") == "Is a TY or IM prelim better?"


@pytest.mark.parametrize(
    "text,topic",
    [
        ("would taking a gap year look bad?", "delay-application"),
        ("does my internship back in Pakistan count for anything", "home-country-experience"),
    ],
)
def test_a_question_without_a_domain_word_is_answered_when_one_topic_clearly_fits(matcher, text, topic):
    """No anchor word, but one FAQ's words match it strongly and no other comes close."""
    match = matcher.match(text)
    assert (match.status, match.ids[:1]) == ("answer", (topic,))


def test_a_narrow_lead_answers_when_every_ranking_agrees(matcher, monkeypatch):
    """With BM25F, the fused score and the n-gram neighbours all first, a 0.8 runner-up is no rival."""
    import content.search as search

    text = "what should i right in my personal statement if my scores are bad"
    assert matcher.verdict(text) == Match(
        "answer", ("personal-statement-basics",), matcher.verdict(text).scores
    )
    monkeypatch.setattr(search, "AGREED_SHARE", 0.0)  # the margin alone leaves a choice
    assert matcher.verdict(text).status == "choose"
