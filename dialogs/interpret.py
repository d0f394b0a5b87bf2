"""Read one typed message: answers (several at once, corrections), moves, small talk, or a question.

Every typed message goes through `Interpreter.read`, wherever the user is. The words come from
`content/understanding.yaml`; this module only knows how to match them:

1. **Normalise** (`Normaliser`): fold Unicode, join contractions, number words to digits, rewrite
   multi-word terms to one token ("step 2 ck" -> "ck"), and correct a word one typo away from a known one.
2. **Whole-message intents**: a yes / no at a confirmation, a navigation word, small talk, a glossary
   question ("what does USCE mean?"), when the message says nothing else.
3. **Facts**: option phrases and numbers, each tied to a question by the nearest word that names it
   ("failed step 1 once" -> Step 1) or, failing that, to the pending question; the longest phrase wins
   where phrases overlap, a phrase right after "not" is cancelled, conflicting readings of one question
   are left out (asked back), and a value that cannot be real ("23" as a score) is refused.
4. Anything else is a **question** for the FAQ matcher (the engine does that), or unclear.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from text_to_num import alpha2digit

from content.model import FEELING_INTENT, Question, Understanding
from content.search import join_spelled
from dialogs import doubt as doubt_rules
from dialogs import rules
from dialogs.doubt import PASS_BEFORE_JULY_2022, PASS_BEFORE_JULY_2025, PASS_FROM_JULY_2025, rise_for

MAX_CHARS = 1200  # facts are read from the first part of a long message only (a voice-to-text story fits)
FIXED_CACHE = 20_000  # typo corrections remembered (a few MB at most), the least recently used dropped first
READ_CACHE = 5_000  # messages' clauses remembered (a few MB at most: messages are cut at MAX_CHARS)
GAP = 6  # words "..." may span inside a phrase
LIST_REACH = 4  # clauses a list may run on after the clause that names its question
NEAR = 4  # words between a number and the unit or name it belongs to
SCORE_RANGE = (100, 300)  # a typed Step 2 CK outside this cannot be a real three-digit result
YEAR_RANGE = (2020, 2040)

_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
# Scripts written without spaces between words: Japanese kana, CJK ideographs, Hangul, Thai, Lao,
# Khmer, Burmese.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f]")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’`´](?=[a-z])")
_I_AM = re.compile(r"\bi\s*['’`´]\s*m\b|\bi am\b|\bi m\b")
_CAPITAL_IM = re.compile(r"\bIM\b")
# "im" after these words is internal medicine ("8 wks of im in chicago").
_IM_AFTER = r"(?<!\bof )(?<!\bin )(?<!\bfor )(?<!\bwith )(?<!\bwk )(?<!\bwks )(?<!\bweeks )"
# "im" before these words is "I'm", not internal medicine.
_IM_AS_I_AM = re.compile(
    _IM_AFTER
    + r"\bim (?=(?:into|going|gonna|planning|applying|interested|from|a|an|not|on|so|still|currently|also|really|"
    r"thinking|looking|trying|hoping|aiming|in|at|the|very|pretty|kinda|working|doing|sure|done|new|worried|an)\b)"
)
# "im" right after a greeting introduces the writer: "hi im priya", "hello im dr. khan"
_GREETING_IM = re.compile(
    r"\b(hi+|hello|hey|hii+|salam|salaam|namaste|good (?:morning|evening|afternoon))\s+im\b"
)
# Arabic written in Latin letters uses digits for sounds ("wa7ed", "ma3a", "5alas"): one digit inside a word
# (short words only: "got3letters", "usce2months" and "ielts7band" are a number run into words)
_ARABIZI = re.compile(r"\b([a-z]{1,3})([235789])([a-z]{2,3})\b|\b(3)(andi|ndi|ala|alay|ayez|amel|arf)\b")
_ARABIZI_SOUNDS = {"2": "a", "3": "a", "5": "kh", "7": "h", "8": "gh", "9": "q"}
_NOT_ARABIZI = {
    "s",
    "step",
    "h",
    "j",
    "usmle",
    "uwsa",
    "nbme",
    "form",
    "cms",
    "ck",
    "im",
    "top",
    "q",
    "for",
    "in",
}
_UNITS_AFTER = {
    "ck",
    "cs",
    "nd",
    "rd",
    "th",
    "st",
    "wk",
    "wks",
    "mo",
    "mos",
    "yrs",
    "yr",
    "lor",
    "lors",
    "hrs",
}


def _arabizi(m: re.Match[str]) -> str:
    """Spell "wa7ed" as "wahed" and "3andi" as "aandi"; leave "s2ck", "h1b" and "for2wks" to the rewrites."""
    if m[4]:
        return "a" + m[5]
    if m[1] in _NOT_ARABIZI or m[3] in _UNITS_AFTER:
        return m[0]
    return m[1] + _ARABIZI_SOUNDS[m[2]] + m[3]


_CANCELLED = {"cancel"}  # besides the removal words ("cancelled", "canceled" are among them)
_HEADING_WORDS = {
    "exam",
    "usmle",
    "so",
    "ok",
    "okay",
    "with",
    "regarding",
    "as",
    "for",
    "about",
    "re",
    "concerning",
    "and",
    "my",
    "the",
    "ck",
    "step1",
    "now",
    "then",
}
_ADDRESSED = {"you", "u", "please", "pls", "plz", "kindly"}
_REQUEST_CUES = {"change", "changing", "update", "fix", "correct", "edit"}
_NOT_ONE_LETTER = (["another"], ["a"], ["an"], ["one"], ["1"], ["other"], ["more"], ["new"])
_PASS_WORDS = {"passed", "pass", "cleared", "clear", "passing"}
_SAID_TO_BE = {"is", "was", "actually", "really", "in", "fact", "truly", "also", "written", "signed", "wrote"}
_ROTATION_WORDS = {
    "rotation",
    "rotations",
    "elective",
    "electives",
    "externship",
    "observership",
    "usce",
    "block",
}
# "4 of the 10 weeks were psych", "4 of those 8 were psych": a field's share of a total said in one breath
_SHARE_OF_TOTAL = re.compile(
    r"\b(\d{1,2}) of (?:the |those |these |my |them )?(?:(\d{1,3}) )?(?:weeks|week|wks|wk) "
    r"(?:were|was) (?:in |on |of |from |for )?(psych\w*|im|internal medicine|medicine)\b"
)


def _share_of_total(found: re.Match[str]) -> str:
    """ "4 of the 10 weeks were psych" -> "10 weeks in total, 4 weeks of psych"."""
    share, total, field = found[1], found[2], found[3]
    return f"{total} weeks in total, {share} weeks of {field}" if total else f"{share} weeks of {field}"


_EQUALS = re.compile(r"([^.;!?\n=]*)=")  # what an "=" follows, since the sentence began
_BACK_ARROWS = re.compile("[⬅◀←↩🔙]+")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_DECIMAL = re.compile(r"\d+[.,٫]\d+")
_PRONOUN_ONE = re.compile(
    r"\b(the|this|that|which|any|each|every|next|last|upcoming|coming|first|second|third|fourth|another|other|good|strong|"
    r"new|same|no|very next|following|later|earlier|current|psych|im|medicine|real|actual|official|main|big|"
    r"letters?|letter|visa|ck|usce|research|timing|english|goals?|score|weeks|question|wrong|back|right|previous)\s+one\b"
)
_SEPARATOR = re.compile(r"[,.;!?\n|()\[\]]+|\s[-–—]\s|[–—]")
# Openings that make a clause a question even without "?" ("do i need one"); not "should be H1B".
# A modal that opens a statement with its subject left out ("will need J1 for residency", "should be done
# by then") asks nothing; "will i need J1?" does.
_UNASKED_MODAL = r"(?!\s+(?:need|be|have|apply|take|get|probably|definitely|likely|prob|also|try|go)\b)"
_ASKING_START = re.compile(
    r"^(?:is|are|do|does|what|whats|how|why|when|where|which|who)\b"
    r"|^(?:can|could|will|would)\b" + _UNASKED_MODAL
)
_CONTINUES = re.compile(r"^(?:and then|but then|then|after that|afterwards)\b")
# A question inside a clause, without "?" ("j1 or h1b which is better", "ck 224 how bad is that", "if i
# get 240 on step 3 will it cancel out my ck"); not "not sure which one" or "when i took it".
# Question tags at the end of a message ("write in ps yes or no", "mention in ps ya na")
_TAGS = r"yes or no|ya na|ya nahi|or no|or nah|or what"
_ASKING_INSIDE = re.compile(
    r"\b(?:what|how|why|where)\s+(?:is|are|was|were|do|does|did|should|shud|can|could|will|"
    r"would|much|bad|good|long|important|likely|realistic)\b"
    r"|\bwhich\s+(?:one\s+)?(?:is|are)\s+(?:better|best|worse|easier|safer|more|preferred)\b"
    r"|\b(?:will|would|does|do|can|could|should|is)\s+(?:it|that|this|they|pds|programs)\s+(?:still\s+|even\s+)?"
    r"(?:help|hurt|matter|count|work|be|cancel|make|affect|look|ok|okay|enough|worth|realistic|possible|bad|good|better)\b"
    r"|\bor not\b|\bworth it\b|\bany (?:real )?(?:chance|hope|point)\b|\b(?:can|should|shud|must) i\b"
    # requests for guidance ("kindly guide whether ...", "tips to stand out", "no idea whether to ...")
    r"|\b(?:kindly|please|pls|plz) (?:guide|advise|suggest)\b|\bguide me\b"
    r"|(?:^|\b(?:any|some|need|want|give me|pls|please|plz|kindly)\s+)tips? (?:to|for|on)\b"
    r"|\bno idea whether to\b|\bwhether (?:programs|pds)\b"
    # an auxiliary before its subject ("is that going to be a problem", "will pds think", "do they care")
    r"|\b(?:is|are|was|were|will|would|can|could|should|shall)\s+(?:it|that|this|they|pds|programs|i|we|you|u|there)\b"
    r"|\b(?:do|does|did)\s+(?:i|they|you|u|we|pds|programs)\b"
    # a question word or tag at the end ("next year what", "write in ps yes or no", "mention in ps ya na")
    r"|\b(?:what|how|why|which)\s*$|\b(?:" + _TAGS + r")\s*$"
    # question words of the languages applicants mix in (Hindi/Urdu, Persian, Spanish)
    r"|\b(?:kya|kaise|kitne|chie|chiye|chetor|cual|cuantas|cuantos|puedo|debo|deberia|por que|o ya fue)\b"
)
_RESTARTING = re.compile(
    r"\b(?:start|restart|reset|redo|begin|wipe|clear|questionnaire|q 1|question 1|do it again|do the whole"
    r"|empezar|comecar|recomecar|shuru|simula)\b"
)
_OWN_APPLICATION = re.compile(r" my (?:ck|step1|score|scores|usce|letters|application|chances|profile|plan) ")
_ALTERNATIVE_AT_END = re.compile(r"\bor (?:wait|should i wait|next year|later|next one|the next)\W*$")
_TAG_AT_END = re.compile(r"\b(?:" + _TAGS + r"|or not)\W*$")
_SEPARATOR_KEPT = re.compile(f"({_SEPARATOR.pattern})")  # the same split, keeping what split it
# letters of any script: "нет", "네" and "không" are words too (Latin ones arrive without accents)
_TOKEN = re.compile(r"\d+|[^\W\d_]+|\+|&|/")
_QUESTION_START = re.compile(
    r"^(?:is|are|do|does|what|wat|wht|whats|how|hw|why|when|"
    r"where|which|who|any|pls|please|plz|tell|explain|advice|advise|help|suggest|kindly guide)\b"
    r"|^(?:can|could|should|shud|shld|will|would|shall|might)\b"
    + _UNASKED_MODAL
    + r"|^may (?:i|we|you|u)\b"  # not the Tagalog "may" ("may third letter na ako": I have a third letter)
)
_CHANGE_REQUEST = re.compile(
    r"^(?:please|pls|plz|kindly)\s+(?:correct|change|update|fix|edit|add|remove|make|put|set|note|record|mark)\b"
)
_GLOSSARY_ASK = re.compile(
    r"^(?:what(?:s| is| does)?|wat(?:s| is)?|define|meaning of|explain|what do you mean by|whats the meaning of)"
    r"\s+(?:a |an |the )?(?P<term>[a-z0-9 ]{1,30}?)(?:\s+(?:mean|means|stand for|stands for|is))?\s*\??$"
)
_POLITE = re.compile(
    r"^(?:(?:ok|okay|so|um+|uh+|hey|pls|please|plz|can we|can i|could we|lets|let us|i want to|i wanna|"
    r"i would like to|id like to|just|now|ok so)\s+)+|(?:\s+(?:please|pls|plz|now|thanks|thx))+$"
)


@dataclass(frozen=True)
class Reading:
    """What one typed message means, for the engine to act on."""

    kind: str  # answers | move | confirm | small_talk | glossary | part | edit | question | unclear
    facts: dict[str, Any] = field(default_factory=dict)  # question id -> value, every answer the text gives
    move: str | None = None  # navigation word: back, skip, restart, menu, help, cancel, done, plan, summary
    answer: bool | None = None  # yes / no at a confirmation
    intent: str | None = None  # small-talk intent or glossary term
    refused: str | None = None  # why a value was not taken: "not_a_score" or "ambiguous" ("225 or 230")
    refused_value: Any = None
    doubt: dict[str, Any] = field(default_factory=dict)  # a reading too weak to store: confirm first
    corrects: bool = False  # the words say this changes an earlier answer
    asks: bool = False  # the message also asks a question (answer it after storing the facts)
    guessed: bool = False  # a "question" only because it is long: nothing in it asks or answers
    # some of a multi-choice answer, not all of it ("2 letters, one from psych"): ticked when it is asked
    ticks: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Normalising


# Words that take back what was just said ("no wait", "i mean", "thats a lie")
_RETRACTIONS = (
    ("no", "wait"),
    ("wait", "no"),
    ("no", "sorry"),
    ("sorry", "no"),
    ("i", "mean"),
    ("i", "meant"),
    ("thats", "a", "lie"),
    ("scratch", "that"),
    ("no", "actually"),
    ("actually", "no"),
    ("correction",),
)


def _gap(a: Hit, b: Hit) -> int:
    """Return how many words stand between two hits of one clause (0 when they touch or overlap)."""
    return max(a.start - b.end, b.start - a.end, 0)


_RETRACTION_STARTS = {r[0] for r in _RETRACTIONS}


def _retraction_at(
    tokens: list[str], i: int, retractions: tuple[tuple[str, ...], ...] = _RETRACTIONS
) -> bool:
    """Return whether one of *retractions* ("no wait") starts at position *i*."""
    return tokens[i] in _RETRACTION_STARTS and any(tuple(tokens[i : i + len(r)]) == r for r in retractions)


def _retracted_between(tokens: list[str], first: int, second: int) -> bool:
    """Return whether a retraction stands between the numbers *first* and *second* ("8 weeks, no wait 6")."""
    try:
        start = tokens.index(str(first))
        end = start + 1 + tokens[start + 1 :].index(str(second))
    except ValueError:
        return False
    return any(_retraction_at(tokens, i) for i in range(start + 1, end))


def _skeleton(word: str) -> str:
    """Return *word*'s first letter and its later consonants, doubled letters once ("passed": "psd")."""
    rest = re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiou]", "", word[1:]))
    return word[0] + (rest[1:] if rest[:1] == word[0] else rest)


def _leaves_out_vowels(short: str, word: str) -> bool:
    """Whether *short* is *word* with some vowels or doubled letters left out, in order."""
    i = 0
    for j, letter in enumerate(word):
        if i < len(short) and short[i] == letter:
            i += 1
        elif letter not in "aeiou" and not (j and word[j - 1] == letter):
            return False
    return i == len(short)


class Normaliser:
    """Turn text into tokens the phrases are written in."""

    def __init__(
        self, understanding: Understanding, vocabulary: set[str], kept: frozenset[str] = frozenset()
    ) -> None:
        """*kept*: words the reader tests for that stay as typed but are never a spelling target."""
        rules = sorted(understanding.rewrites, key=lambda r: -len(r[0].split()))
        self.rewrites = [(tuple(k.split()), tuple(v.split())) for k, v in rules]
        # tried only where they can start, longest first (the rewrite loop was the reader's largest cost)
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for key, value in self.rewrites:
            self.by_first.setdefault(key[0], []).append((key, value))
        # a word the answers' own phrases use ("observation", "hands", "research") stays a target even
        # where a language rewrite holds it too ("hands on nahi")
        answer_words = {
            w
            for phrases in (
                *understanding.names.values(),
                *(p for o in understanding.options.values() for p in o.values()),
            )
            for phrase in phrases
            for w in phrase.lower().split()
        }
        foreign = set(understanding.language_words) - answer_words
        self.vocabulary = sorted((vocabulary | {w for k, v in self.rewrites for w in (*k, *v)}) - foreign)
        # words of feeling are known as they are ("fears" is no "years", "worry" no "sorry")
        feeling = {w for p in understanding.feelings for w in re.findall(r"[a-z]+", p.lower())}
        self.known = set(self.vocabulary) | set(understanding.common_words) | foreign | feeling | kept
        # each emoji (with or without its emoji-style selector) read as the word it stands for
        emoji = sorted(understanding.emoji_words, key=len, reverse=True)
        self.emoji_words = understanding.emoji_words
        self.emoji = re.compile("(" + "|".join(map(re.escape, emoji)) + ")\ufe0f?") if emoji else None
        self.spelled_out = frozenset(understanding.spelled_out)
        # "dunno chamo", "J1 bhai": a word addressing the reader, where it closes a clause, says nothing
        address = "|".join(map(re.escape, sorted(understanding.address_words, key=len, reverse=True)))
        self.address = re.compile(rf"[ ,]+(?:{address})(?=\s*(?:[.!?,;]|$))") if address else None
        self._remembered = functools.lru_cache(maxsize=READ_CACHE)(self._marked_clauses)
        self._corrected = functools.lru_cache(maxsize=FIXED_CACHE)(self._correction)
        # Texting without vowels ("fld 1x thn pssd", "nxt seasn"): known words by their skeleton.
        self.skeletons: dict[str, list[str]] = {}
        for word in self.vocabulary:
            if len(word) >= 3 and word.isalpha() and _skeleton(word) != word:
                self.skeletons.setdefault(_skeleton(word), []).append(word)
        # Short words are fixed only where two letters swapped places ("thsi": this); one other edit
        # away, a short word is too often another word.
        self.anagrams: dict[str, list[str]] = {}
        for word in self.vocabulary:
            if len(word) in (3, 4) and word.isalpha():
                self.anagrams.setdefault("".join(sorted(word)), []).append(word)

    def clauses(self, text: str) -> list[list[str]]:
        """Return the message as clauses (split at punctuation) of normalised tokens."""
        return self.marked_clauses(text)[0]

    def marked_clauses(self, text: str) -> tuple[list[list[str]], list[bool]]:
        """Return the clauses and, for each, whether it asks something (ends in "?" or opens with a
        question word)."""
        # One message is read several times (its tokens, its facts, what it asks on the side), and many
        # users type the same short replies ("j1", "skip", "yes"): normalise each text once.
        return self._remembered(text)

    def _marked_clauses(self, text: str) -> tuple[list[list[str]], list[bool]]:
        clean = unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_INVISIBLE)
        if not clean.isupper():  # a capitalised "IM" is internal medicine, never "I'm"
            clean = _CAPITAL_IM.sub(" imspecialty ", clean)
        clean = clean.lower()
        clean = _without_accents(clean)  # the rewrites and phrases are written without them
        clean = _TAKE_OFF.sub(r"remove \1", clean)  # "take academic off my goals"
        if self.emoji:
            clean = self.emoji.sub(lambda m: f" {self.emoji_words[m[1]]} ", clean)
        clean = join_spelled(clean, self.spelled_out)
        if self.address:
            clean = self.address.sub("", clean)
        clean = _BACK_ARROWS.sub(" back ", clean)  # "⬅️⬅️", "🔙"
        clean = _I_AM.sub(" iam ", clean)
        clean = _IM_AS_I_AM.sub("iam ", clean)
        clean = _GREETING_IM.sub(r"\1 iam", clean)  # "hi im priya from kerala"
        clean = re.sub(r"\bim (?=[a-z]+ing\b)", "iam ", clean).replace("imspecialty", "im")  # "im preparing"
        clean = _ORDINAL.sub(lambda m: _ORDINALS.get(m.group(1), m.group(1)), clean)
        clean = _APOSTROPHE.sub("", clean).replace("’", "'")
        clean = re.sub(r"\b\d{2,3}s\b", " approx ", clean)  # "low 220s" names no score
        clean = _ARABIZI.sub(_arabizi, clean)  # "wa7ed" is a word, not "wa 7 ed"
        clean = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", clean)  # "241ck", "ck241", "6wks"
        clean = re.sub(r"(?<=\d),(?=\d{3}\b)", "", clean)
        clean = _SHARE_OF_TOTAL.sub(_share_of_total, clean)  # "4 of the 10 weeks were psych"
        clean = unicodedata.normalize(
            "NFKC", "".join(str(unicodedata.digit(c, c)) if c.isdigit() else c for c in clean)
        )
        clean = _DECIMAL.sub(" decimal ", clean)
        clean = re.sub(
            r"\b([12]) hundred(?: and)? (\d{1,2})\b", lambda m: str(int(m[1]) * 100 + int(m[2])), clean
        )
        # "2 hundred and nineteen": the number reader reads a digit before "hundred" apart ("2 119")
        clean = re.sub(r"\b([12]) hundred\b", lambda m: ("one", "two")[int(m[1]) - 1] + " hundred", clean)
        # "4 wks IM, 4 wks psych = 8 wks" sums what came before; "psych weeks = 6" only labels the number
        clean = _EQUALS.sub(lambda m: f"{m[1]}, total " if re.search(r"\d", m[1]) else f"{m[1]}: ", clean)
        clean = re.sub(r"(?<=\d)\s*[-–]\s*(?=\d)", " to ", clean)  # "2-3", "9–16": a range
        clean = re.sub(r"(?<![\w])-(?=\d)", " belowzero ", clean)
        clean = _PRONOUN_ONE.sub(lambda m: m.group(1) + " onex", clean)
        clean = re.sub(r"\bones\b", "onesx", clean)  # "all us ones": no number
        clean = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", clean)  # "two-fifty" is two words to the number reader
        with contextlib.suppress(ValueError, IndexError):  # it trips on a few odd inputs; keep the words
            clean = alpha2digit(clean, "en", threshold=0)
        clean = clean.replace("onesx", "ones").replace("onex", "one")
        clean = re.sub(
            r"\b(?:between|entre) (\d+) (?:and|&|y|e|et) (\d+)\b", r"\1 to \2", clean
        )  # "between 9 and 16", "entre 9 y 16"
        clean = _ORDINAL.sub(lambda m: _ORDINALS.get(m.group(1), m.group(1)), clean)  # it writes "1st"
        result: list[list[str]] = []
        asks: list[bool] = []
        parts = _SEPARATOR_KEPT.split(clean)
        for part, separator in zip(parts[::2], [*parts[1::2], ""], strict=True):
            tokens = [self._fix(t) for t in _TOKEN.findall(part)]
            tokens = [{"+": "and", "&": "and", "/": "and"}.get(t, t) for t in tokens]
            tokens = self._join_hundreds(self._rewrite(tokens))
            if tokens and result and _CONTINUES.match(part.strip()) and "?" not in separator:
                result[-1] += tokens  # "failed once, then passed" is one story
                continue
            if tokens and result and result[-1][-1:] in (["wrong"], ["incorrect"]) and len(result[-1]) <= 4:
                result[-1] += tokens  # "weeks are wrong, it is 16": the value the name before it lacks
                continue
            if tokens:
                result.append(tokens)
                asks.append(_part_asks(part, separator))
        return result, asks

    def tokens(self, text: str) -> list[str]:
        """Return the whole message as one list of normalised tokens."""
        return [t for clause in self.clauses(text) for t in clause]

    def _fix(self, token: str) -> str:
        if token in self.known or len(token) < 3 or not token.isalpha():
            return token
        return self._corrected(token)  # the same typos and foreign words come back from many users

    def _correction(self, token: str) -> str:
        found = None
        if len(token) >= 5:
            limit = 1 if len(token) < 8 else 2
            found = process.extractOne(token, self.vocabulary, scorer=OSA.distance, score_cutoff=limit)
        elif len(token) >= 3:
            swapped = [
                w for w in self.anagrams.get("".join(sorted(token)), ()) if OSA.distance(token, w) == 1
            ]
            found = (swapped[0], 1, 0) if len(swapped) == 1 else None
        return found[0] if found else self._unabbreviated(token)

    def _unabbreviated(self, token: str) -> str:
        """Return the one known word *token* is with vowels left out ("pssd": passed), else *token*.

        Only a word with no vowel after its first letter, or one vowel in five letters or more, is shorthand
        ("acadmc"): "rest" is no "restart"."""
        vowels = sum(c in "aeiou" for c in token[1:])
        if vowels > 1 or (vowels == 1 and len(token) < 5):
            return token
        words = [w for w in self.skeletons.get(_skeleton(token), ()) if _leaves_out_vowels(token, w)]
        return words[0] if len(words) == 1 else token

    def _rewrite(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if tokens[i] in self.by_first:
                for key, value in self.by_first[tokens[i]]:
                    if tuple(tokens[i : i + len(key)]) == key:
                        out.extend(value)
                        i += len(key)
                        break
                else:
                    out.append(tokens[i])
                    i += 1
            else:
                out.append(tokens[i])
                i += 1
        return out

    @staticmethod
    def _join_hundreds(tokens: list[str]) -> list[str]:
        """Read "2 31" (from "two thirty one") as 231."""
        out: list[str] = []
        for token in tokens:
            if out and out[-1] in ("1", "2") and token.isdigit() and len(token) == 2 and token[0] != "0":
                out[-1] = out[-1] + token
            else:
                out.append(token)
        return out


# --------------------------------------------------------------------------------------------------
# Phrases


@dataclass(frozen=True)
class Phrase:
    """One compiled phrase: tokens, with None for "..." gaps."""

    tokens: tuple[str | None, ...]
    question: str
    value: Any  # an option value, or None for a name of the question

    @property
    def weight(self) -> int:
        """Return how specific the phrase is: its literal words."""
        return sum(1 for t in self.tokens if t is not None)


@dataclass(frozen=True)
class Hit:
    """A phrase found in a message."""

    phrase: Phrase
    clause: int
    start: int
    end: int  # exclusive

    def overlaps(self, other: Hit) -> bool:
        """Return True when the two hits share a word."""
        return self.clause == other.clause and self.start < other.end and other.start < self.end

    def covers(self, other: Hit) -> bool:
        """Return True when this hit's span holds *other*'s and is longer."""
        return (
            self.clause == other.clause
            and self.start <= other.start
            and other.end <= self.end
            and (self.end - self.start) > (other.end - other.start)
        )


def _find(phrase: Phrase, tokens: list[str]) -> list[tuple[int, int]]:
    """Return the spans where *phrase* occurs in *tokens* (gaps match up to GAP words)."""
    spans = []
    words = phrase.tokens
    for start, token in enumerate(tokens):
        if token != words[0]:
            continue
        position, ok = start + 1, True
        index = 1
        while index < len(words):
            word = words[index]
            if word is None:  # a gap: find the next literal within GAP words
                target = words[index + 1]
                window = tokens[position : position + GAP + 1]
                if target not in window:
                    ok = False
                    break
                position += window.index(target) + 1
                index += 2
                continue
            if position >= len(tokens) or tokens[position] != word:
                ok = False
                break
            position += 1
            index += 1
        if ok:
            spans.append((start, position))
    return spans


# --------------------------------------------------------------------------------------------------
# The interpreter


class Interpreter:
    """Read typed messages against the questionnaire; one instance serves every user."""

    def __init__(
        self, understanding: Understanding, questions: tuple[Question, ...], season_open_month: int = 6
    ):
        self.u = understanding
        self.questions = {q.id: q for q in questions}
        self.order = [q.id for q in questions]
        self.season_open_month = season_open_month
        raw_phrases: list[tuple[str, str, Any]] = []
        for qid, names in understanding.names.items():
            raw_phrases += [(p, qid, None) for p in names]
        for qid, options in understanding.options.items():
            for value, phrases in options.items():
                raw_phrases += [(p, qid, value) for p in phrases]
        vocabulary = {w for text, _, _ in raw_phrases for w in text.lower().split() if w != "..."}
        for group in (understanding.navigation, understanding.confirm):
            vocabulary |= {w for phrases in group.values() for p in phrases for w in p.lower().split()}
        vocabulary |= {
            w for _, phrases in understanding.small_talk.values() for p in phrases for w in p.split()
        }
        vocabulary |= {w for term in understanding.glossary for w in term.split()}
        # Feelings stay out of the spelling vocabulary: "certified" must not become "terrified".
        vocabulary |= {w for p in understanding.removal_words for w in p.split()}
        vocabulary |= {w for p in (*understanding.home_letters, *understanding.asides) for w in p.split()}
        vocabulary |= {w for p in understanding.edit_words for w in p.split()}
        vocabulary |= {
            *understanding.correction_cues,
            *understanding.negators,
            *understanding.hedges,
        }
        # the words that put a rotation or a test ahead survive spelling ("confirmed" became "confirm")
        self.norm = Normaliser(understanding, vocabulary, frozenset(_FUTURE))
        self.phrases: list[Phrase] = []
        for text, qid, value in raw_phrases:
            tokens = self._compile(text)
            if tokens:
                self.phrases.append(Phrase(tokens, qid, value))
        # Phrases by their first word, in list order: a clause is only tried against phrases that can start
        # in it (trying all of them was most of the reading time).
        self.starting: dict[str | None, list[tuple[int, Phrase]]] = {}
        for position, phrase in enumerate(self.phrases):
            self.starting.setdefault(phrase.tokens[0], []).append((position, phrase))
        # Which questions a phrase's words can belong to (shared words like "failed" need a name nearby).
        self.owners: dict[tuple[str | None, ...], dict[str, Any]] = {}
        for phrase in self.phrases:
            if phrase.value is not None:
                self.owners.setdefault(phrase.tokens, {}).setdefault(phrase.question, phrase.value)
        self.whole = {
            "confirm": self._whole_table(understanding.confirm),
            "move": self._whole_table(understanding.navigation),
            "small_talk": self._whole_table({k: v[1] for k, v in understanding.small_talk.items()}),
            "part": self._whole_table(understanding.plan_parts),
        }
        self.whole_answers = {
            qid: {" ".join(self.norm.tokens(p)) for phrases in options.values() for p in phrases}
            for qid, options in understanding.options.items()
        }
        # Inside a longer message only multi-word moves and the unmistakable words count ("next" does not).
        words = self._whole_table(understanding.navigation_words)
        self.contained_moves = {
            **{p: move for p, move in self.whole["move"].items() if len(p.split()) > 1},
            **words,
        }
        self.asked_moves = {
            p: move
            for p, move in self.contained_moves.items()
            if len(p.split()) > 1 and move not in ("plan", "summary", "done", "first")
        }
        self.longest_moves_first = sorted(self.asked_moves, key=len, reverse=True)
        # Starting over is always confirmed first, so its phrases count in a message of any length
        # ("can we just wipe it and do the whole thing again from the start")
        # (only phrases that say to restart: "anxious from the beginning of this process" asks nothing)
        self.restart_phrases = [
            p for p, move in self.asked_moves.items() if move == "restart" and _RESTARTING.search(p)
        ]
        self.restart_words = {w for p in self.restart_phrases for w in p.split()} | {
            "delete",
            "erase",
            "it",
            "all",
        }
        self.glossary = {" ".join(self.norm.tokens(term)): term for term in understanding.glossary}
        self.first_phrases = [p for p, move in self.whole["move"].items() if move == "first" and " " in p]
        self.anywhere = {
            (qid, tuple(self._compile(p))) for qid, phrases in understanding.anywhere.items() for p in phrases
        }
        self.nouns = {
            (qid, tuple(self._compile(p))) for qid, phrases in understanding.nouns.items() for p in phrases
        }
        self.unsure = {
            (qid, tuple(self._compile(p))) for qid, phrases in understanding.unsure.items() for p in phrases
        }
        self.asked_only = {
            (qid, tuple(self._compile(p)))
            for qid, phrases in understanding.asked_only.items()
            for p in phrases
        }
        self.negators = set(understanding.negators)
        self.followups = {q.id: tuple(f.id for f in questions if q.id in f.ask_when) for q in questions}
        self.parents = {q.id: tuple(q.ask_when) for q in questions}
        self.cues = set(understanding.correction_cues)
        self.hedges = set(understanding.hedges)
        self.every_option = {" ".join(self.norm.tokens(p)) for p in understanding.every_option}
        self.every_words = sorted({tuple(self.norm.tokens(p)) for p in understanding.every_option}, key=len)
        self.except_words = sorted(
            {tuple(self.norm.tokens(p)) for p in understanding.every_option_except}, key=len, reverse=True
        )
        self.home_letters = [" ".join(self.norm.tokens(w)) for w in understanding.home_letters]
        # of those, the places (a professor or "abroad" places no experience: abroad can be the US)
        self.home_places = [w for w in self.home_letters if not w.startswith(("prof", "abroad", "from"))]
        self.native_english = self._padded(understanding.native_english)
        self.rotation_writers = self._padded(understanding.rotation_writers)
        self.asides = [" ".join(self.norm.tokens(w)) for w in understanding.asides]
        self.home_experience = [" ".join(self.norm.tokens(w)) for w in understanding.home_experience]
        self.news = [f" {' '.join(self.norm.tokens(p))} " for p in understanding.news_words]
        # longest first: "no actually" before "actually"
        replacing = {tuple(self.norm.tokens(p)) for p in understanding.replacing_words}
        self.replacing_words = sorted(replacing - {()}, key=len, reverse=True)
        self.practice = [tuple(self.norm.tokens(p)) for p in understanding.practice_exams]
        self.rough_amounts = {w for p in understanding.rough_amounts for w in self.norm.tokens(p)}
        self.result_pending = self._padded(understanding.result_pending)
        self.doubtful = self._padded(understanding.doubtful)
        # matched as typed (see _feels), so not normalised: a spelling fix turned "tears" into "years"
        self.feelings = {
            " ".join(re.findall(r"[a-z]+", p.lower().replace(chr(39), ""))) for p in understanding.feelings
        }
        # Words that name something the questions ask about ("oet", "ck", "letters"): a message with one
        # is about the application, even when it opens like small talk.
        self.domain = {
            t
            for qid, names in understanding.names.items()
            for p in names
            for t in self.norm.tokens(p)
            if len(t) > 2 and t not in _GENERIC_NAMES
        }
        self.yes_words = {w for p in understanding.confirm.get("yes", ()) for w in self.norm.tokens(p)}
        removals = [tuple(self.norm.tokens(p)) for p in understanding.removal_words]
        self.removals_by_first: dict[str, list[tuple[str, ...]]] = {}  # tried only where they can start
        for removal in removals:
            if removal:
                self.removals_by_first.setdefault(removal[0], []).append(removal)
        self.edit_words = {" ".join(self.norm.tokens(p)) for p in understanding.edit_words}
        self.edit_trailing = {" ".join(self.norm.tokens(p)) for p in understanding.edit_trailing}
        # retractions with a denial in them ("no wait"), which take that denial back; "correction:" has none
        self.denying_retractions = tuple(r for r in _RETRACTIONS if self.negators & set(r))
        # words before a feeling that take it back ("no worries", "not stressed")
        self.mute_feeling = self.negators | _MUTE_FEELING
        # The longest name first: "letters writers", not "letters".
        named = [
            (" ".join(self.norm.tokens(p)), qid) for qid, ps in understanding.edit_names.items() for p in ps
        ]
        self.edit_names = sorted(named, key=lambda pair: -len(pair[0].split()))

    def _padded(self, phrases: tuple[str, ...]) -> list[str]:
        """Return *phrases* normalised and padded with spaces, to find as words in a padded message."""
        return [f" {' '.join(self.norm.tokens(p))} " for p in phrases]

    def _compile(self, text: str) -> tuple[str | None, ...]:
        parts = []
        for chunk in re.split(r"\s*\.\.\.\s*", text.lower()):
            parts.append(tuple(self.norm.tokens(chunk)) if chunk.strip() else ())
        tokens: list[str | None] = []
        for index, part in enumerate(parts):
            if index:
                tokens.append(None)
            tokens.extend(part)
        return tuple(tokens)

    def _whole_table(self, groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
        table: dict[str, str] = {}
        for key, phrases in groups.items():
            for phrase in phrases:
                tokens = self.norm.tokens(phrase)
                table.setdefault(" ".join(tokens), key)
                # a whole message about oneself: "im finished" is also typed "i'm finished" (read "iam")
                table.setdefault(" ".join("iam" if t == "im" else t for t in tokens), key)
        return table

    # ----- the entry point ---------------------------------------------------------------------
    def read(
        self,
        text: str,
        pending: str | None,
        answers: dict[str, Any],
        today: date,
        confirming: bool = False,
        destructive: bool = False,
    ) -> Reading:
        """Return what *text* means while *pending* (a question id, or None) waits for an answer.

        *confirming*: a yes / no question is open; *destructive*: it clears or erases data, so only a
        reply made of yes words and nothing else ("ok?", "yes, wait" are not) is a yes."""
        tokens = self.norm.tokens(text)
        joined = " ".join(tokens)
        if not joined:
            return Reading("unclear")
        bare = _POLITE.sub("", joined).strip() or joined
        question = self.questions.get(pending) if pending else None
        said = text
        if confirming:
            # "no, J-1 actually" at "Did you mean H-1B?": the "no" answers the prompt, "J-1" the question
            text = _LEADING_YES_NO.sub("", text) or text
        text = self._self_answered(text, pending, answers, today)
        facts, doubt, refused, ticks = self._facts(text, pending, answers, today)  # read once, used below
        asking = _looks_like_question(text)
        if (
            question is not None
            and question.kind == "choice"
            and pending in facts
            and _ALTERNATIVE_AT_END.search(text.lower())
        ):
            # "apply 2027 or wait", "this season or later": weighing two answers, not giving one
            facts = {k: v for k, v in facts.items() if k != pending}
            asking = True
        waiting = pending in ("ck", "ck_retake") and type(facts.get(pending)) is not int and not confirming
        if waiting and any(p in f" {joined} " for p in self.result_pending):
            # "took it 2 weeks ago, waiting for the result": neither "not taken" nor "not yet" ("waiting" is
            # also "not yet"); "failed, waiting for the retake's result" keeps the failure
            facts, doubt = _without_untaken(facts), _without_untaken(doubt)
            if not facts:
                return Reading("unclear", refused="result_pending")
        rough_extra = {"plus", "more", "extra", "another"} & set(tokens) and self.rough_amounts & set(tokens)
        if question is not None and question.kind == "number" and pending in facts and rough_extra:
            return Reading("unclear", refused="rough_amount")  # "8 weeks plus a couple of weeks of obs"
        said_doubtfully = any(p in f" {joined} " for p in self.doubtful)
        if pending in facts and facts[pending] != "unsure" and not confirming and said_doubtfully:
            # "kind of, helped with data collection but never finished, not sure it counts": ask first
            # ("honestly not sure" is itself the answer "not sure yet")
            doubt = {**doubt, pending: facts[pending]}
            facts = {k: v for k, v in facts.items() if k != pending}
        if not facts and ("?" in text or _TAG_AT_END.search(text.lower())):
            # "my step 1 fail, i need to explain in personal statement or no" after the plan asks about
            # the answer given; a weak word in it is no "Change Step 1?"
            doubt = {q: v for q, v in doubt.items() if q not in answers}
        if asking and pending not in facts and not self.cues & set(tokens):
            # "I will require visa sponsorship. Kindly guide whether programs prefer J-1 or H-1B": a
            # question that weighs options is no "Change Visa to not sure?" ("actually not sure about the
            # visa anymore, whether j1 or h1b" is a change of mind: a correction cue keeps it)
            facts = {q: v for q, v in facts.items() if q not in answers or v != "unsure"}
            doubt = {q: v for q, v in doubt.items() if q not in answers or v != "unsure"}
        if confirming:
            answer = self.whole["confirm"].get(bare) or self.whole["confirm"].get(joined)
            if answer is None and all(t in self.whole["confirm"] for t in tokens):
                # "na! no", "yes yes": only yes / no words answer the prompt, not the question below it
                meanings = {self.whole["confirm"][t] for t in tokens}
                answer = meanings.pop() if len(meanings) == 1 else None
            if destructive and answer == "yes" and not self._only_yes(said, tokens):
                answer = None
            if answer is None and destructive and self._yes_with_reason(said):
                answer = "yes"  # "yes start over, i typed my ck wrong anyway"
            # any question word too: "wait what happens if i press yes" is no yes
            # ("please delete it" is a request, not a question)
            doubting = (
                "?" in said
                or any(_ASKING_START.match(" ".join(c)) for c in self.norm.clauses(said))
                or (self.hedges | _QUESTION_WORDS) & set(tokens)
                or " not sure " in f" {joined} "  # "not sure" is no "no"
            )
            if answer is None and not (facts or doubt or doubting):
                # "ok yes do it" inside a short reply; never a question ("are you sure? will i lose my
                # plan?") or a doubt ("hmm not sure"): those keep the confirmation open
                answer = self._contained(tokens, self.whole["confirm"], limit=8)
                if answer == "yes" and (
                    self.negators & set(tokens) or (destructive and not self._only_yes(said, tokens))
                ):
                    answer = None
            no_problem = len(tokens) > 1 and tokens[1] in _NO_PROBLEM  # "no problem, go ahead"
            # "wait no, i didn't mean to tap that": an interjection may come before a plain no
            after_interjection = tokens[0] in _INTERJECTIONS and tokens[1:2] in (["no"], ["nope"], ["nah"])
            if (
                answer is None
                and not (facts or doubting or no_problem)
                and (self.whole["confirm"].get(tokens[0]) == "no" or after_interjection)
            ):
                # "no, i have changed my mind, please keep the data": a no needs no other words
                answer = None if (self.yes_words - _POLITE_WORDS) & set(tokens[1:]) else "no"
            if answer is not None:
                return Reading("confirm", answer=answer == "yes")
        if pending is None and bare in self.whole["part"]:
            return Reading("part", intent=self.whole["part"][bare])  # "red flags" at the plan: that part
        first_asked = any(f" {p} " in f" {joined} " for p in self.first_phrases)
        if pending is None and not confirming and first_asked and not self._facts_named(tokens):
            # "Thank you. I'm overwhelmed. What should I do first? Like literally tomorrow morning": the
            # first step of the plan, however long the message
            return Reading("move", move="first", intent=FEELING_INTENT if self._feels(text) else None)
        if (
            pending is None
            and "pdf" in tokens
            and len(tokens) <= 20  # "could you kindly send the plan as a PDF file so I can forward it to her"
            and not self._facts_named(tokens)
            and not self.negators & set(tokens)  # "i dont want the pdf", "no pdf please"
        ):
            # "can i get this as a pdf?", "damn it, i just want the pdf of my plan": the PDF
            return Reading("part", intent="pdf")
        if question is not None and question.kind == "multi" and bare in self.every_option:
            every = _every_option(question)
            counted = [int(t) for t in tokens if t.isdigit()]
            if not counted or counted == [len(every)]:  # "all three" of four options is not all of them
                return Reading("answers", facts={question.id: every})  # "all of them"
        if question is not None and question.kind == "multi" and pending in facts:
            kept = self._all_except(tokens, question, answers, today)
            if kept:
                facts = {**facts, question.id: kept}  # "all of them except academic lol"
        # A whole message that is one of the pending question's phrases is an answer, even "no".
        whole = question is not None and pending in facts and len(facts) == 1
        if whole and self._is_whole_answer(bare, pending or ""):
            return Reading("answers", facts=facts)
        if not (facts or doubt or confirming) and self._asks_to_restart(text, asking):
            return Reading("move", move="restart")
        target = self._edit_target(joined, asking)
        given = {**facts, **doubt}
        # "i passed the CK retake with 222": a value for the named answer's follow-up answers it
        kin = {target, *(q for q in given if target in self.parents.get(q, ()))}
        # "ay update po! may third letter na ako ... observership", "fix my visa. also i have 3 letters now":
        # a message that gives news is read as answers, so no fact is lost to the edit request
        news = any(answers.get(k) != v for k, v in facts.items())
        if target is not None and not kin & set(given) and not news:
            # "change my ck answer" names an answer without its value; in "fix my psych weeks" the
            # name's own words are no value ("psych" is no USCE answer). "change step 1 to passed" answers.
            return Reading("edit", intent=target)
        move = self.whole["move"].get(bare)
        if move is None and not facts and not (said_doubtfully and pending in doubt):
            # "oops, go back" but not "CK 231, wrong button"; "yes?" at a confirmation leaves no clause;
            # "a hospitalist... or maybe family med? honestly not sure" doubts an answer, it skips nothing
            move = self._contained_move(
                tokens, asks=asking, clauses=self.norm.clauses(text) or [tokens], text=text
            )
        if move is not None and not (move == "skip" and pending and self._is_whole_answer(bare, pending)):
            return Reading("move", move=move)
        if not confirming and (bare in self.whole["confirm"]) and not facts:
            # a stray "yes" answers nothing on a question; at the plan it means "show it"
            return Reading("unclear", answer=self.whole["confirm"][bare] == "yes")
        intent = self.whole["small_talk"].get(bare) or self.whole["small_talk"].get(joined)
        if intent is None and not (facts or doubt):
            # "thanks ur a lifesaver honestly", "salam. who made you? is this ai?": small talk inside a
            # short message; in one that asks, only small talk that is itself a question.
            intent = self._talk_inside(tokens, asking) or self._talk_first(text)
        quiet = not (facts or doubt or refused or asking)
        if intent in (None, "acknowledge") and quiet and self._feels(said):
            intent = FEELING_INTENT  # "this whole process is killing me tbh", however long
        if intent is not None:
            return Reading("small_talk", intent=intent)
        term = self._glossary_term(bare)
        if term is not None:
            return Reading("glossary", intent=term)
        # "is there any hope for me? some nights i cannot sleep": a question asked in distress is
        # answered after a word for the feeling
        feeling = FEELING_INTENT if self._feels(said) else None
        short_answer = pending in facts and _short(tokens) and not _QUESTION_START.match(joined)
        # "i guess J1 then?": a doubtful answer with a "?" and no question words is still an answer
        short_answer = short_answer or (pending in doubt and not facts and not _question_at(tokens))
        if _leads_with_question(text) and not short_answer:  # "can I match with a 221 CK?" asks
            if pending in facts and question is not None and question.kind == "score":
                # "is 241 good enough?" at the CK question: answer it, and offer to note 241
                return Reading("answers", doubt={pending: facts[pending]}, asks=True)
            return Reading("question", refused=refused[0] if refused else None, intent=feeling)
        if asking and not facts and not doubt:
            # (a refusal goes with it: its reply may say more than the FAQ can)
            return Reading("question", refused=refused[0] if refused else None, intent=feeling)
        # a cue in a clause that asks corrects nothing ("... is it ok if i do observerships instead?")
        clauses, asked = self.norm.marked_clauses(text)
        stated = (
            [t for c, a in zip(clauses, asked, strict=True) if not a for t in c] if any(asked) else tokens
        )
        # ... but a request is a request: "ck 231, research done. could you change those?"
        requested = any(_REQUEST_CUES & set(c) and _ADDRESSED & set(c) for c in clauses)
        corrects = bool(self.cues & set(stated) or requested) or bool(self._removal_spans(list(tokens)))
        # "presented at hospital QI day", "poster accepted yesterday": news of the research changes it as said
        # (only at the summary or the plan, and only for research: "finished 4 weeks IM today" adds weeks,
        # "presented a poster on j1 waiver doctors" names a visa it is not about)
        if not corrects and pending is None and set(facts) == {"research"}:
            said = f" {' '.join(stated)} "
            corrects = any(p in said for p in self.news)
        aside = self._aside(text) if (facts or doubt) else None
        if facts or doubt or refused:
            return Reading(
                "answers" if facts else "unclear",
                facts=facts,
                doubt=doubt,
                refused=refused[0] if refused else None,
                refused_value=refused[1] if refused else None,
                corrects=corrects,
                ticks=ticks,
                # a small-talk aside is what asked: "hi doctor, how are you? I need J1" asks no FAQ
                asks=(asking and not _short(tokens) and aside is None) or aside == "question",
                # ("i am very worry. failed ck, no usce. should i delay?": the worry is answered too)
                # ("this whole process is killing me, i failed step 1 twice": a word for it, then the answer)
                intent=aside if aside not in (None, "question") else feeling,
            )
        if not asking and self._has_aside(tokens):
            return Reading("small_talk", intent="acknowledge")  # "my cousin matched psych lol"
        if question is not None and question.kind == "number" and not asking and self._rough(tokens):
            return Reading("unclear", refused="rough_amount")  # "a couple of months": ask for a guess
        if len(tokens) >= 4 or asking:
            return Reading("question", guessed=not asking)
        return Reading("unclear")

    def _self_answered(self, text: str, pending: str | None, answers: dict[str, Any], today: date) -> str:
        """Return *text* without a value asked and at once refused ("IM? no, psych", "h1b? no, j1")."""
        found = _ASKED_THEN_REFUSED.match(text)
        if not found:
            return text
        rest = text[found.end() :]
        asked = self._facts(found.group(1), pending, answers, today)[0]
        given = self._facts(rest, pending, answers, today)[0]
        # only where the rest gives another value of the same question; "visa needed? no." is an answer
        if any(q in given and given[q] != v for q, v in asked.items()):
            return rest
        return text

    def _rough(self, tokens: list[str]) -> bool:
        """Return whether *tokens* give an amount only roughly: "a few months", "2 to 3 months"."""
        ranged = any(
            tokens[j].isdigit() and tokens[j + 1] == "to" and tokens[j + 2].isdigit()
            for j in range(len(tokens) - 2)
        )
        return ranged or bool(self.rough_amounts & set(tokens))

    def _has_aside(self, tokens: list[str]) -> bool:
        """Return whether the words hold laughter or a "be right back" ("brb checking my ERAS"), and say
        nothing about the user's own application ("lol my ck is so low programs will filter me out"
        still asks about it)."""
        text = f" {' '.join(tokens)} "
        own = _OWN_APPLICATION.search(text)
        return not own and any(f" {w} " in text for w in self.asides)

    def _all_except(
        self, tokens: list[str], question: Question, answers: dict[str, Any], today: date
    ) -> list[Any] | None:
        """Return every option but those named after "all ... except", or None when not said so."""
        starts = [
            i for i in range(len(tokens)) for w in self.every_words if tuple(tokens[i : i + len(w)]) == w
        ]
        if not starts:
            return None
        for j in range(starts[0] + 1, len(tokens)):
            word = next((w for w in self.except_words if tuple(tokens[j : j + len(w)]) == w), None)
            if word is None:
                continue
            rest = tokens[j + len(word) :]
            if _INTENSIFIERS & set(rest) or rest[:1] == ["sure"] or self.hedges & set(rest):
                return (
                    None  # "all of them but especially CL", "..., not sure about academic" leave nothing out
                )
            left_out = self._facts(" ".join(rest), question.id, answers, today)[0].get(question.id)
            if not isinstance(left_out, list):
                return None
            return [v for v in _every_option(question) if v not in left_out] or None
        return None

    def _card_to_come(self, hit: Hit, clauses: list[list[str]]) -> bool:
        """Return whether a "no visa needed" phrase speaks of a green card not held yet ("green card
        pending", "i will get green card soon", "first i must pass step 1. and green card")."""
        if self.owners[hit.phrase.tokens].get("visa") != "none" or hit.phrase.tokens == ("no",):
            return False
        tokens = clauses[hit.clause]
        near = set(
            tokens[max(0, hit.start - 3) : hit.start] + tokens[hit.end : hit.end + 3]
        )  # not its own words
        if hit.start <= 1 and hit.clause > 0:
            near |= set(clauses[hit.clause - 1][-4:])  # "... i must pass step 1. and green card"
        if _CARD_PENDING & near:
            return True
        return bool(_CARD_FUTURE & near) and not _HELD & near

    def opens_with_no(self, text: str) -> bool:
        """Return whether *text* opens with a plain no ("nah no keep it. i have ...")."""
        tokens = self.norm.tokens(text)
        if not tokens or self.whole["confirm"].get(tokens[0]) != "no":
            return False
        # "no wait yes, restart. ck was 240", "no no start over": not a plain no
        yes = [t for t in tokens if self.whole["confirm"].get(t) == "yes"]  # whole yes words, not "is"
        return not (yes or {"restart", "start", "reset", "delete", "erase"} & set(tokens))

    def without_leading_no(self, text: str) -> str:
        """Return *text* without the yes or no it opens with ("no, my ck is actually 240" -> "my ck ...")."""
        rest = text
        for _ in range(3):  # "nah no, ...", "no no ..."
            rest = _LEADING_YES_NO.sub("", rest) or rest
        return rest

    def asked_part(self, text: str) -> str:
        """Return the parts of *text* that ask ("is 219 a fail" of "passed first try. but my CK is 219, is
        219 a fail??"), or "" when no part does."""
        return " ".join(self.asked_parts(text))

    def asked_parts(self, text: str) -> list[str]:
        """Return each part of *text* that asks, in order ("should I retake CK", "do I need research")."""
        parts = _SEPARATOR_KEPT.split(text[:MAX_CHARS])
        return [
            part.strip()
            for part, separator in zip(parts[::2], [*parts[1::2], ""], strict=True)
            if part.strip() and _part_asks(part, separator)
        ]

    def _aside(self, text: str) -> str | None:
        """Return what a message that answers also asks on the side: a small-talk intent ("btw are you a
        bot?"), "question" ("none yet. do i really need it?"), or None. A question anywhere wins over
        small talk ("J1, how are you? and is J1 bad for psych?")."""
        clauses, asking = self.norm.marked_clauses(text)
        talks: list[str] = []
        for tokens, asks in zip(clauses, asking, strict=True):
            if not asks:
                continue
            if len(tokens) < 3:  # "J1?" alone is an answer; "no publications. problem?" also asks
                talk = self.whole["small_talk"].get(" ".join(tokens))
                if talk:  # "hello? j1": a greeting asked, not a question
                    talks.append(talk)
                elif len(clauses) > 1 and not self._answers_only(tokens):
                    return "question"
                continue
            joined = " ".join(t for t in tokens if t not in ("btw", "also", "and", "oh", "ok"))
            # "btw are you a bot?" is small talk; "248 🙏 so im competitive right??" still asks
            talk = self.whole["small_talk"].get(joined) or self._talk_inside(tokens, asking=True)
            if not talk:
                return "question"
            talks.append(talk)
        return talks[0] if talks else None

    def _asks_to_restart(self, text: str, asking: bool) -> bool:
        """Return whether a message of any length asks to start over: a restart phrase, in a message
        that does not ask or in a clause that is a request ("can we just wipe it and do the whole
        thing again from the start"), not "i always start over-explaining"."""
        for clause in self.norm.clauses(text):
            spoken = f" {' '.join(_without_take_back(clause))} "  # "scratch that, ..." keeps the rest
            for phrase in self.restart_phrases:
                at = spoken.find(f" {phrase} ")
                if at < 0:
                    continue
                following = spoken[at + len(phrase) + 2 :].split()[:1]
                if following and following[0].endswith("ing"):
                    continue
                if not asking or _MOVE_REQUEST.match(spoken.strip()) or _REQUEST.match(spoken.strip()):
                    return True
        return False

    def _talk_first(self, text: str) -> str | None:
        """Return the small talk a longer message opens with when nothing after it asks ("how are u
        doing today my friend? im on my 3rd coffee of ERAS season")."""
        clauses, asking = self.norm.marked_clauses(text)
        if len(clauses) < 2 or any(asking[1:]):
            return None
        first = clauses[0]
        intent = self.whole["small_talk"].get(" ".join(first)) or self._talk_inside(first, asking=asking[0])
        if intent in _ASKING_TALK:
            return intent
        # "Good evening. My daughter is a doctor and I am helping her. Please forgive my English.": a
        # message that asks nothing and closes with an apology for the English is that (not one closing
        # with thanks: "I would appreciate guidance on my personal statement. Thank you." asks)
        last = self.whole["small_talk"].get(" ".join(clauses[-1]))
        before = {t for c in clauses[:-1] for t in c}
        about_nothing = not (self.domain | _SHORT_DOMAIN) & before
        return last if last == "apology" and not any(asking) and about_nothing else None

    def _yes_with_reason(self, said: str) -> bool:
        """Return whether a reply opens with a clause of yes words and gives only reasons after it: no
        "?", doubt, denial or "wait" anywhere ("ok yes, i'm sure, please go ahead, i was rushing")."""
        clauses = self.norm.clauses(said)
        if len(clauses) < 2 or "?" in said:
            return False
        first, rest = clauses[0], {t for c in clauses[1:] for t in c}
        opening = [t for t in first if t not in self.restart_words]
        if not opening or not self._only_yes(said, opening) or not self.yes_words & set(first):
            return False
        return not (
            (self.hedges | self.negators | _CONTRAST | {"wait", "hold", "stop"}) & (rest | set(first))
        )

    def _only_yes(self, said: str, tokens: list[str]) -> bool:
        """Return whether a reply is nothing but yes words ("ok yes do it"), with no "?" or "wait"."""
        return "?" not in said and all(t in self.yes_words or t in _POLITE_WORDS for t in tokens)

    def _answers_only(self, tokens: list[str]) -> bool:
        """Return whether a short clause is all option words or numbers ("j1?", "231?", "both?")."""
        return all(t.isdigit() or t in self.starting for t in tokens)

    def _talk_inside(self, tokens: list[str], asking: bool) -> str | None:
        """Return the small talk a short message holds: the intent whose phrases cover most of its words
        ("good morning sir" is a greeting, not "good"; "ok thank u, bye" a goodbye or thanks)."""
        # "thanks ur really helpful btw. how r u? its 3am here lol" is still small talk; "... lol" at the
        # end of a longer message about something else is not
        if len(tokens) > (14 if asking else 10):
            return None
        text = f" {' '.join(tokens)} "
        found = [(p, m) for p, m in self.whole["small_talk"].items() if f" {p} " in text]
        found = _outermost(found)
        if asking:  # "is there a real human i can talk to?" asks; "thanks, is step 3 needed?" asks more
            if self.domain & set(tokens):
                return None  # "what is this oet thing" asks about the application, not about the bot
            found = [(p, m) for p, m in found if m in _ASKING_TALK]
        cover: dict[str, int] = {}
        for phrase, meaning in found:
            cover[meaning] = cover.get(meaning, 0) + len(phrase.split())
        if not cover:
            return None
        best = max(cover.values())
        meaning = next(m for m, c in cover.items() if c == best)
        if meaning == "acknowledge" and 2 * best < len(tokens):
            return None  # "hmm research is actually going well" says more than "hmm"
        return meaning

    def _edit_target(self, joined: str, asking: bool) -> str | None:
        """Return the question a request to change an answer names ("fix my letter writers"), if any.

        A question about the topic ("how do i explain my score mistake?") is no request; "can we go
        back to the ck question" is."""
        if asking and not _REQUEST.match(joined):
            return None
        text = f" {joined} "
        if not any(f" {w} " in text for w in self.edit_words):
            return None
        # the answer named first after a word of change ("change the timing to next season please, I
        # won't have my letters ready in time" changes the timing), else the first one named
        edits = [text.find(f" {w} ") for w in self.edit_words if f" {w} " in text]
        # (at one place the longest name: "the letter writers are wrong" names the writers)
        named = [
            (text.find(f" {name} "), -len(name), qid) for name, qid in self.edit_names if f" {name} " in text
        ]
        if not named:
            return None
        first = min(edits)
        said_before = text[:first].split()
        # ("the visa is wrong", "step 1 was a mistake"; not "I typed the wrong ck", "I made a mistake on step1")
        predicate = said_before[-1:] in (["is"], ["are"], ["was"], ["were"]) or said_before[-2:] in (
            ["is", "a"],
            ["was", "a"],
        )
        if predicate and any(text.find(f" {w} ") == first for w in self.edit_trailing):
            # "the visa is wrong, ... my timing": a word said after its answer names the one before it
            before = [n for n in named if n[0] < first]
            if before:
                return max(before, key=lambda n: (n[0], -n[1]))[2]
        after = [n for n in named if n[0] > first]
        return min(after or named)[2]

    def taken_before(self, text: str, day: date) -> bool | None:
        """Return what a reply to "Did you take that Step 2 CK before *day*?" says: a test date ("took
        it october 2025", "may 2025") or "before" / "after"; None when it says neither."""
        clauses, _ = self.norm.marked_clauses(text)
        dated = _taken_before(clauses, day)
        if dated is not None:
            return dated
        words = [t for c in clauses for t in c]
        said = {w for i, w in enumerate(words) if not (i and words[i - 1] in ("not", "no"))}
        denied = {w for i, w in enumerate(words) if i and words[i - 1] in ("not", "no")}
        if "before" in denied and "after" not in said:
            return False  # "no, not before"
        if ("before" in said) != ("after" in said):
            return "before" in said
        return None

    def _feels(self, said: str) -> bool:
        """Return whether a message has a word of worry or despair in it, as typed: a spelling fix
        would turn "depressao" (a research topic) or "certified" into a feeling."""
        # a stop ends a denial: "no. scared this ruins my chances" is a worry
        words = re.findall(r"[a-z]+|[.!?;,]", said.lower().replace(chr(39), ""))
        text = f" {' '.join(words)} "
        mute = self.mute_feeling
        for phrase in self.feelings:
            for found in re.finditer(f" {re.escape(phrase)} ", text):
                before = text[: found.start()].split()[-2:]
                if before[-1:] and before[-1] in mute:
                    continue  # "no worries, 8 weeks", "not stressed"
                if before[-1:] and before[-1] in _DEGREE and before[:1] and before[0] in mute:
                    continue  # "not too worried"
                after = text[found.end() - 1 :].split()[:1]
                if phrase == "afraid" and _polite_afraid(before, after):
                    continue  # "no research I am afraid", "I'm afraid not": a polite way to say no
                return True
        return False

    @staticmethod
    def _contained(tokens: list[str], table: dict[str, str], limit: int) -> str | None:
        """Return the one meaning of all the table's phrases inside a short message ("yes please do it")."""
        if len(tokens) > limit:
            return None
        text = f" {' '.join(tokens)} "
        # a phrase inside a longer one is part of it: "come back to it later" is no "back"; a word of a
        # script written without spaces is found inside its run ("スキップしてください")
        found = {
            m
            for _, m in _outermost(
                [(p, m) for p, m in table.items() if f" {p} " in text or (_UNSPACED.match(p) and p in text)]
            )
        }
        return next(iter(found)) if len(found) == 1 else None

    def asked_without_moves(self, text: str) -> list[list[str]]:
        """Return the clauses of *text* that ask, each without the navigation phrases inside it."""
        clauses, asking = self.norm.marked_clauses(text)
        return [self.without_moves(c) for c, asks in zip(clauses, asking, strict=True) if asks]

    def without_moves(self, tokens: list[str]) -> list[str]:
        """Return a clause without the navigation phrases inside it ("what do i do then" -> "then")."""
        text = f" {' '.join(tokens)} "
        for phrase in self.longest_moves_first:
            text = text.replace(f" {phrase} ", " ")
        return text.split()

    @staticmethod
    def clause_asks(tokens: list[str]) -> bool:
        """Return whether a clause has question words ("what happens if i dont match")."""
        return _question_at(tokens)

    def _contained_move(
        self, tokens: list[str], asks: bool, clauses: list[list[str]], text: str = ""
    ) -> str | None:
        """Return a navigation word inside a short message that gives no answer ("oops, go back pls").

        In a message that asks, only a request to move counts ("can we go back?"), never a single word
        or the plan ("does a step 3 pass help", "didnt match. what now"), unless the message (or its
        first clause, before the reason) is a polite request that names nothing the questions ask
        about ("please, show me the menu", "i would like to cancel the questionnaire"). A message that
        does not ask may give its reason in another clause ("go back, i put the wrong number of letters
        on the last one"; "not now, skip")."""
        table = self.asked_moves if asks else self.contained_moves
        tokens = _without_take_back(tokens)  # "scratch the 218, its 228" takes back one thing, not all
        move = self._contained(tokens, table, limit=12)
        if move == "skip" and asks:
            # "which visa should i get, j1 or h1b? no sé": a "don't know" beside a question is no skip,
            # unless the part that asks is itself about skipping ("can we skip this?")
            marked, asking = self.norm.marked_clauses(text or " ".join(tokens))
            asked = [t for c, a in zip(marked, asking, strict=True) if a for t in c]
            if any(a and len(c) >= 3 for c, a in zip(marked, asking, strict=True)):
                move = self._contained(asked, table, limit=12)
        if move is not None:
            return move
        if not asks and len(clauses) > 1:
            for clause in (clauses[0], clauses[-1]):
                # a first or last clause that is a move phrase ("go back, i put the wrong number ...")
                move = self.whole["move"].get(" ".join(clause))
                if move is not None and move not in ("plan", "summary", "done"):
                    return move
            # "yes those are correct, thank you, done": courtesy around a last "done" or "show the plan"
            # ("done, thank you" too)
            last = self.whole["move"].get(" ".join(clauses[-1]))
            if last in ("plan", "done") and all(set(c) <= _COURTESY for c in clauses[:-1]):
                return last
            first = self.whole["move"].get(" ".join(clauses[0]))
            if first in ("plan", "done") and all(set(c) <= _COURTESY for c in clauses[1:]):
                return first
        for part in (tokens, clauses[0]):
            polite = " ".join(part[:12])
            # in a message that asks, only a request opening counts: "i need to go back home for a
            # family emergency, will that hurt my chances" asks about going home
            request = _MOVE_REQUEST.match(polite) if asks else _REQUEST.match(polite)
            if not (request or _KINDLY.search(polite)) or (self.domain | _SHORT_DOMAIN) & set(part):
                continue
            move = self._contained(part, self.contained_moves, limit=24)
            if move is not None and move not in ("plan", "summary", "done"):
                return move
        return None

    def _is_whole_answer(self, bare: str, pending: str) -> bool:
        return bare in self.whole_answers.get(pending, ()) or bare.isdigit()

    def _glossary_term(self, bare: str) -> str | None:
        if bare in self.glossary:
            return None  # a bare word ("usce") is more likely an answer or topic than a definition request
        match = _GLOSSARY_ASK.match(bare)
        if match is None:
            return None
        term = match.group("term").strip()
        return self.glossary.get(term)

    # ----- facts -------------------------------------------------------------------------------
    def _facts(
        self, text: str, pending: str | None, answers: dict[str, Any], today: date
    ) -> tuple[dict[str, Any], dict[str, Any], tuple[str, Any] | None, dict[str, Any]]:
        """Return (facts, doubts, refusal, ticks) found in *text*."""
        clauses, asking = self.norm.marked_clauses(text)
        said_words = {t for c in clauses for t in c}
        spoken = f" {' '.join(t for c in clauses for t in c)} "
        hits = self._hits(clauses)
        experience_to_come = False  # a rotation named only as still to come ("accepted for ... in january")
        # A stored "both" changes only when the message says so ("only psych", "not both", "actually
        # psych") or names USCE itself; a field's weeks, its kind or more of it keep both ("actually i did
        # 4 more weeks of psych", "the psych one was telehealth only").
        about_a_field = (
            bool({"wk", "mo", "more", "extra", "another", "too", "also"} & said_words)
            or any("usce_kind" in self.owners.get(h.phrase.tokens, {}) for h in hits)
            # "sorry psych was 6 not 4" at the weeks: the field names whose weeks, it is no new USCE
            or (pending in ("usce_weeks", "usce_psych_weeks") and any(t.isdigit() for t in said_words))
        )
        only_a_field = any(
            t in _ONLY and {*c[max(0, i - 1) : i], *c[i + 1 : i + 2]} & {"im", "psych", "cl"}
            for c in clauses
            for i, t in enumerate(c)
        )
        # ("it was fully hands-on, not mixed": a whole kind replaces "some of each")
        whole_kind = " not mixed " in spoken or bool(
            {"fully", "entirely", "completely", "purely"} & said_words
        )
        both_changes = (
            only_a_field
            or whole_kind
            or " not both " in spoken
            or (bool(_TURNING & said_words) and not about_a_field)
        )
        # "interview next week with a psych program": a week that dates something names no USCE weeks
        hits = [h for h in hits if not _a_date(h, clauses)]
        # "my parents need a B2 tourist visa": a visa of another kind says nothing of the training visa
        hits = [
            h
            for h in hits
            if "visa" not in self.owners.get(h.phrase.tokens, {})
            or not _another_visa(clauses[h.clause])
            or {"j1", "h1b"} & set(h.phrase.tokens)
        ]
        # "the other 4 were IM" counts the rest of the weeks; it names no other specialty
        hits = [h for h in hits if not _the_other_part(h, clauses)]
        names = [h for h in hits if h.phrase.value is None]
        values = [h for h in hits if h.phrase.value is not None]
        # A career goal's topic said as what a study or a rotation was about ("chart review about
        # delirium") answers the goals only where they are asked or named; a list of goals ("CL + SMI") does.
        goals_said = pending == "goals" or any(n.phrase.question == "goals" for n in names)
        values = [
            h
            for h in values
            if goals_said
            or set(self.owners[h.phrase.tokens]) != {"goals"}
            or not _TOPIC_OF & set(clauses[h.clause][max(0, h.start - 3) : h.start])
        ]
        # "my letter is not from the attending, it's from the program director of the IM residency"
        # names a writer, even where the goals are asked
        values = [
            h
            for h in values
            if set(self.owners[h.phrase.tokens]) != {"goals"}
            or not {"letter", "letters", "lor", "lors", "wrote", "writes"}
            & set(
                _with_previous(clauses, h.clause)
                if clauses[h.clause][:1] in _BACK_REFERENCE
                else clauses[h.clause]
            )
            or any(n.phrase.question == "goals" and n.clause in (h.clause, h.clause - 1) for n in names)
        ]
        # A lone "yes" / "no" answers only at the start of a clause ("no, citizen"), not "wait no i tapped".
        values = [
            h
            for h in values
            if h.phrase.tokens not in _YES_NO
            or (h.start == 0 and len(clauses[h.clause]) <= 2 and not _retraction_at(clauses[h.clause], 0))
        ]  # "no wait, 229 not 226" takes something back, it says no to nothing
        # "6 wks" is weeks, never the letter count "6"
        values = [h for h in values if not _before_unit(h, clauses)]
        ranged = [h for h in values if _range_or_purpose(h, clauses, self.owners[h.phrase.tokens])]
        values = [h for h in values if h not in ranged]
        # "I'm taking OET in March": a test still to sit is no evidence of English yet
        to_come = [  # (the words right before the test: not "I have OET and I'm going to apply")
            h
            for h in values
            if self.owners[h.phrase.tokens].get("english") in ("oet", "test", "teaching")
            and _TEST_TO_COME & set(clauses[h.clause][max(0, h.start - 5) : h.start])
        ]
        # "taking the OET medicine test in march": the word "test" beside it is that test
        to_come += [
            h
            for h in values
            if h not in to_come
            and self.owners[h.phrase.tokens].get("english") == "test"
            and h.phrase.tokens == ("test",)
            and any(g.clause == h.clause for g in to_come)
        ]
        # "green card pending", "my green card interview is in march": a status still to come is no answer;
        # nor is one only planned ("first i must pass step 1. and green card"), unless it is held
        to_come += [h for h in values if self._card_to_come(h, clauses)]
        values = [h for h in values if h not in to_come]
        # "three letters from my professors in India" counts no US letters
        values = [
            h
            for h in values
            if not (
                h.phrase.question == "letters_count"
                and (h.phrase.tokens[0] or "").isdigit()
                and self._from_home(clauses[h.clause], h.end - 1)
            )
        ]
        # "if i pass with 220 can i apply in june": what follows an "if" is supposed, not said
        supposed = [_supposed(tokens) for tokens in clauses]
        values = [h for h in values if h.start not in supposed[h.clause]]
        # A value inside a question's name is part of the name ("psych weeks is 6" names the share).
        values = [h for h in values if not any(n.covers(h) and _names_a_number(n, clauses) for n in names)]
        # "one from IM attending at obs and one from psych" is two writers, not "IM ... and ... psych"
        # rotations: a gapped phrase may not span another question's name.
        values = [h for h in values if not _spans_a_name(h, names)]
        # "ck 238 (2024). step 3 not yet": what follows Step 3's name is about Step 3, asked nowhere
        values = [
            h
            for h in values
            if not {"step3", "stepcs"} & set(clauses[h.clause][max(0, h.start - 2) : h.start])
            and clauses[h.clause][h.end : h.end + 1] not in (["step3"], ["stepcs"])  # "failed step 3" too
        ]
        negated = [h for h in values if self._negated(h, clauses)]
        # "no no, i dont have green card yet!! i said not sure": a lone "no" beside a denied or another
        # value of the same question is a retort, not that question's "no"
        retorts = {
            (h.clause, h.start)
            for h in values
            if h.phrase.tokens in _YES_NO
            and h.phrase.question == pending
            and any(  # (said after it, not asked before it: "Visa needed? no." answers the question)
                g.phrase.tokens not in _YES_NO
                and g.phrase.question == pending
                and (g.clause, g.start) > (h.clause, h.start)
                and not asking[g.clause]
                and not self._negated(g, clauses)  # "no, not j1 or h1b": the no stands
                for g in hits
                if g.phrase.value is not None
            )
        }
        values = [h for h in values if h.phrase.tokens not in _YES_NO or (h.clause, h.start) not in retorts]
        negated = [h for h in negated if h in values]
        # "from IM and CL, not IM and psych": a writer said before it is denied stays (the denial is of psych)
        # ... but "TOEFL, not TOEFL but OET" takes the TOEFL back: "not X but Y" replaces X wherever said
        replaced = {h.phrase.tokens for h in negated if "but" in clauses[h.clause][h.end : h.end + 2]}
        negated += [  # ("TOEFL, not TOEFL but OET": the TOEFL said alone, then taken back)
            g
            for g in values
            if g.phrase.tokens in replaced and g not in negated and g.end - g.start == len(clauses[g.clause])
        ]
        negated = [
            h
            for h in negated
            if not any(self.questions[q].kind == "multi" for q in self.owners[h.phrase.tokens])
            or h.phrase.tokens in replaced
            or not any(
                g not in negated
                and g.phrase.tokens == h.phrase.tokens
                and (g.clause, g.start) < (h.clause, h.start)
                for g in values
            )
        ]
        # the "none" of "IM 12 weeks, psych none yet" denies psych; beside an answer it is no "none" of
        # its own ("ielts none, oet 0" still says none)
        denials = {
            (h.clause, j)
            for h in negated
            for j in [*range(h.end, min(h.end + 3, len(clauses[h.clause]))), h.start - 1]
            if j >= 0 and clauses[h.clause][j] in _TRAILING_NO | {"no"}
        }
        answered = {
            q
            for h in values
            if h not in negated
            for q, v in self.owners[h.phrase.tokens].items()
            if v not in _NONE_VALUES
        }
        values = [
            h
            for h in values
            if not (
                all((h.clause, j) in denials for j in range(h.start, h.end))
                and any(q in answered and v in _NONE_VALUES for q, v in self.owners[h.phrase.tokens].items())
            )
        ]
        # "remove oet from english", "no CL mentor anymore": taken out of the answer already given
        spans = [self._removal_spans(tokens) for tokens in clauses]
        taken_out = [h for h in values if self._in_removal(h, clauses[h.clause], spans[h.clause])]
        # "one of my 2 letters is psych, not IM": the others are still IM, so the denial takes none out
        some_of = any(f" {w} " in f" {' '.join(c)} " for c in clauses for w in ("one of", "1 of"))
        removed = self._removed(
            [h for h in values if (h in negated and not some_of) or h in taken_out],
            names,
            pending,
            clauses,
            answers,
        )
        values = [h for h in values if h not in taken_out]
        # "not a CL mentor" cancels "mentor" inside it too; a denied "failed ... passed" leaves what is
        # inside its gap ("failed it and havent passed yet" still failed).
        values = [
            h
            for h in values
            if h not in negated and not any(n.covers(h) and None not in n.phrase.tokens for n in negated)
        ]
        owned: list[tuple[str, Hit]] = []
        orphans: list[Hit] = []
        seen = set()
        values = [h for h in values if not self._only_for_another(h, names, pending)]
        for hit in values:
            key = (hit.clause, hit.start, hit.end, hit.phrase.tokens)
            if key in seen:
                continue
            seen.add(key)
            owner = self._owner(hit, names, pending, clauses)
            if owner is not None:
                owned.append((owner, hit))
            else:
                orphans.append(hit)
        owned += self._in_a_list(orphans, owned, names)
        if pending is None:
            # "correction: only the teaching" at the summary: the one answer that holds the value owns it
            for hit in orphans:
                holding = [
                    q
                    for q, v in self.owners[hit.phrase.tokens].items()
                    if self.questions[q].kind == "multi" and v in (answers.get(q) or ())
                ]
                if len(holding) != 1 or any(h is hit for _, h in owned):
                    continue
                lead = [t for t in clauses[hit.clause][max(0, hit.start - 2) : hit.start] if t != "the"]
                # (only where the message is about that answer: "only the teaching", "no TOEFL, ... teaching")
                if set(lead[-1:]) & _ONLY or any(o == holding[0] for o, _ in owned):
                    owned.append((holding[0], hit))
        # "i ticked CL by mistake, its addiction": what replaces a value taken out belongs to its question
        owned += self._claimed(orphans, owned, removed)
        # "sorry it was IM not psych" with psychiatry given: the answer denied names the question
        denied = {
            q
            for h in negated
            for q, v in self.owners[h.phrase.tokens].items()
            if answers.get(q) == v and self.questions[q].kind != "multi"
        }
        others_named = {
            n.phrase.question for n in names
        } - denied  # "correction on letters: ... not IM and psych"
        if len(denied) == 1 and not others_named:
            owned += self._claimed(orphans, owned, denied)
        owned = self._unretracted(owned, clauses)
        # "the summary shows J-1, but kindly change it to H-1B, as my program sponsors H-1B": the value
        # the message asks for is the answer; the others in it are the old one or the reason
        targeted = {o for o, h in owned if self.questions[o].kind != "multi" and _targeted(h, clauses)}
        owned = [(o, h) for o, h in owned if o not in targeted or _targeted(h, clauses)]
        # "failed it in october, retake booked for feb" at Step 1: the retake is Step 1's, unless the CK is named
        if pending == "step1" and not {"ck", "step2"} & said_words:
            owned = [(o, h) for o, h in owned if o != "ck_retake"]
        elif {"ck", "step2"} & said_words:
            # "passed step1 first try, failed ck, retake booked for june": with the CK named, a retake
            # is the CK's, no Step 1 failure
            owned = [(o, h) for o, h in owned if o != "step1" or not _RETAKE_WORDS & set(h.phrase.tokens)]
        # "now applying for externships", "externship cost": a kind word alone, away from its question,
        # describes no experience; "12 wks IM externship" names the field beside it
        owned = [
            (o, h)
            for o, h in owned
            if o != "usce_kind"
            or pending in ("usce", "usce_kind")
            or h.phrase.tokens not in _KIND_BY_NAME
            or any(g.clause == h.clause and g.phrase.question == "usce" and g.phrase.value for g in hits)
            # ("actually all of it was observership": said of the experience already given)
            or bool(_TURNING & said_words or {"was", "were"} & set(clauses[h.clause]))
        ]
        # "none, only my home country work, 3 yrs medicine ward at Dhaka Medical": no US experience
        owned = [
            (o, h)
            for o, h in owned
            if o not in ("usce", "usce_kind")
            or self.owners[h.phrase.tokens].get(o) in _NONE_VALUES
            or not self._placed_home(clauses[h.clause], h.end)
        ]
        owned = _none_then_but(owned, clauses, self.owners)
        # "1 case report ongoing": a word of status right beside a thing outranks it; "2 papers and a case
        # report in progress" keeps the papers, and "no qi" outranks no paper
        status = [
            (o, h)
            for o, h in owned
            if (o, h.phrase.tokens) not in self.nouns and self.owners[h.phrase.tokens][o] not in _NONE_VALUES
        ]
        owned = [
            (o, h)
            for o, h in owned
            if (o, h.phrase.tokens) not in self.nouns
            or not any(so == o and s.clause == h.clause and _gap(s, h) <= 2 for so, s in status)
        ]
        found: dict[str, list[tuple[int, Any, tuple[str | None, ...] | None]]] = {}
        # Words in a hedged clause ("maybe J-1") only earn a confirmation; words in a clause that asks
        # ("do i even need one??") none, though a one- or two-word question ("J1?") is still an answer.
        hedged = [bool(self.hedges & set(tokens)) for tokens in clauses]
        # "i guess J1 then?": a hedge with a "?" and no question words is a doubtful answer, not a question
        asks_from = [
            _asks_from(tokens) if asks and len(tokens) > 2 and (_question_at(tokens) or not hedge) else None
            for tokens, asks, hedge in zip(clauses, asking, hedged, strict=True)
        ]
        for owner, hit in owned:
            start = asks_from[hit.clause]
            if start is not None and hit.start >= start:  # "is h1b better than j1?" names options
                continue  # ("i have j1, is that ok" answers before it asks)
            counted_after = clauses[hit.clause][hit.end : hit.end + 1]  # "psych 8": that field's weeks
            weeks_of = _counted(hit, clauses) or (bool(counted_after) and counted_after[0].isdigit())
            if owner == "usce" and weeks_of and answers.get("usce") == "both":
                continue  # "12 weeks total, 4 in psych" splits the weeks; it does not change the kind
            if (
                owner == "usce_kind"
                and pending != owner
                and answers.get(owner)
                and hit.phrase.tokens in _ONLY_A_BLOCK
                and not _OBSERVING_WORDS & said_words
            ):
                continue  # "weeks is 12, I forgot my 2 other rotations": a kind given stays
            stored = answers.get(owner)
            parts = self.u.together.get(owner, {}).get(stored, ()) if isinstance(stored, str) else ()
            part_of = self.owners[hit.phrase.tokens][owner] in parts
            # ("hands-on" alone at the summary, with "some of each" stored, says the whole of it)
            alone = said_words - {"it", "its", "was", "is", "all", "actually"} <= set(hit.phrase.tokens)
            if part_of and owner != pending and not (both_changes or owner in said_words or alone):
                continue  # "the CL attending from my psych elective" with USCE both: still both
            # the clause before counts ("none but starting in june, a 4 wk psych externship") unless this
            # one has its own subject ("booked oet for january. i taught anatomy for 2 years")
            own = owner == "english" and clauses[hit.clause][:1] in (["i"], ["iam"], ["we"])
            future = _FUTURE & set(clauses[hit.clause] if own else _with_previous(clauses, hit.clause))
            if _from_now(clauses[hit.clause]):
                future.add("in")  # "an IM externship in 2 months" is still to come
            if tuple(clauses[hit.clause][:2]) in _PURPOSE:
                future.add("so")  # "..., so that I can first complete a psychiatry rotation": one to come
            # a modal looks ahead: "I'll sit OET", but "TOEFL 101 and I'll apply next season" is done
            # ... unless it describes what was just named: "an IM externship that I will start in june"
            looks_back = bool(_RELATIVE_MODAL.search(f" {' '.join(clauses[hit.clause][hit.end :])} "))
            if not looks_back:
                future -= _MODAL_FUTURE - set(clauses[hit.clause][: hit.start])
            if owner in ("usce", "usce_kind", "english") and future and hit.phrase.value not in _NONE_VALUES:
                experience_to_come = experience_to_come or owner in ("usce", "usce_kind")
                continue  # "4wk IM externship booked for march" is experience still to come
            said_here = set(clauses[hit.clause])
            wanted = _WANTING & set(clauses[hit.clause][max(0, hit.start - 3) : hit.start])
            if owner == "usce_kind" and owner != pending and (wanted or "letters" in said_here):
                continue  # "i need more hands on first", "a third letter from my observership": no answer
            # The longest phrase wins where phrases overlap ("not passed yet"; "primary care psych" is a
            # goal, not a psychiatry letter writer).
            # ("IM observership" is USCE, and also answers its follow-up: observing)
            # A phrase of a question the clause does not name leaves one of a question it names ("3
            # letters, from IM and psych attendings": "IM and psych" is no USCE answer there).
            named_here = {n.phrase.question for n in names if n.clause == hit.clause}
            if any(
                other.covers(hit)
                and owner not in self.followups.get(o, ())
                and not (owner in named_here and o not in named_here)
                for o, other in owned
            ):
                continue
            value = self.owners[hit.phrase.tokens][owner]
            if (
                value == "pass_first"
                and not _PASS_WORDS & set(hit.phrase.tokens)
                and _FAILING & said_here
                and not _PASS_WORDS & said_here
            ):
                continue  # "fail hua pehli baar" (failed the first time) is no first-try pass
            if (
                value == "pass_after_fail"
                and not _PASS_WORDS & set(hit.phrase.tokens)
                and (_FUTURE | _HOPING) & said_here
                and not _PASS_WORDS & said_here
            ):
                continue  # "failed. twice. third attempt in february inshallah": an attempt to come
            if value == "not_taken" and owner == "step1" and _FAILING & said_words and "ck" not in said_words:
                continue  # "failed once, second attempt next month": taken, and failed
            here = clauses[hit.clause]
            if (
                hit.phrase.tokens == ("both",)
                and owner != pending
                and here[hit.end : hit.end + 1]
                and here[hit.end] in _BOTH_OF
            ):
                continue  # "both are internal medicine" at the writers: no USCE "both"
            if (
                owner == "letters_count"
                and hit.phrase.tokens == ("many",)
                and here[hit.start - 1 : hit.start] == ["how"]
            ):
                continue  # "so how many letters she needs": asked, no count
            beside = {*here[max(0, hit.start - 2) : hit.start], *here[hit.end : hit.end + 1]}
            if owner == "letters_count" and (hit.phrase.tokens[0] or "").isdigit() and {"wk", "mo"} & beside:
                continue  # "weeks 8 not 4" at the letters question: weeks, no count of letters
            if (
                owner == "usce"
                and owner != pending
                and _STUDY_WORDS & set(_with_previous(clauses, hit.clause))  # "(... on the psych ward)" too
                and not _ROTATION_WORDS & set(here)
            ):
                continue  # "a QI project done, diabetes screening in psych inpatients": the study's setting
            tokens = None if hedged[hit.clause] else hit.phrase.tokens
            found.setdefault(owner, []).append((hit.phrase.weight, value, tokens))
        facts: dict[str, Any] = {}
        doubt: dict[str, Any] = {}
        whole_clauses = {h.phrase.tokens for h in hits if h.start == 0 and h.end == len(clauses[h.clause])}
        for qid, readings in found.items():
            fallback = self.u.fallback.get(qid)
            others = {v for _, v, _ in readings if v != fallback}
            if (
                self.questions[qid].kind != "multi"
                and len(others) > 1
                and answers.get(qid) in others
                and _MISTAKE & said_words
            ):
                # "pressed the green card button by mistake. i need J1": the stored answer named in a
                # correction is the one taken back
                readings = [r for r in readings if r[1] != answers.get(qid)]
                others.discard(answers.get(qid))
            has_fallback = any(v == fallback for _, v, _ in readings)
            if fallback is not None and others and has_fallback:
                # "need a visa, J-1" is J-1; "J-1 or H-1B, not sure which" stays the fallback.
                settled = self.questions[qid].kind == "multi" or len(others) == 1
                readings = [r for r in readings if (r[1] != fallback) == settled]
            read = {v for _, v, _ in readings}
            stored = answers.get(qid)
            if (
                self.questions[qid].kind != "multi"
                and len(read) == 2
                and stored in read
                and (self.cues | _CONTRAST) & said_words
                and (
                    not any(set(parts) >= read for parts in self.u.together.get(qid, {}).values())
                    # "i said observing but it was hands on" is no "some of each" ("i said IM but it was
                    # IM and psych" names IM again: both)
                    or (_ANSWERED & said_words and sum(r[1] == stored for r in readings) == 1)
                )
            ):
                # "i said J1 but its H1B": the stored answer named beside another, with a turn, is the
                # old one
                readings = [r for r in readings if r[1] != stored]
                read = {v for _, v, _ in readings}
            combined = [v for v, parts in self.u.together.get(qid, {}).items() if set(parts) <= read]
            if combined:  # "IM sub-I (4wk) + psych externship": both
                readings = [
                    (w, combined[0], t)
                    for w, v, t in readings
                    if v in self.u.together[qid][combined[0]] or v == combined[0]
                ]
            wholes = [
                v
                for v, parts in self.u.together.get(qid, {}).items()
                if v in read
                and read - {v} <= set(parts)
                # ("mixed, first half observer" answers "some of each" and says how; "both" of "both
                # inpatient" or "i meant both" is no word for it)
                and (
                    answers.get(qid) in parts
                    or (
                        qid == pending
                        and qid not in answers
                        and any(
                            r[1] == v
                            and r[2]
                            and (
                                set(self.owners.get(r[2], {})) == {qid}
                                # ("both, the psych part was CL" at the USCE question: a "both" that is a
                                # clause of its own answers the first question it can, the one asked)
                                or (r[2] in whole_clauses and self._first_owner(r[2], answers) == qid)
                            )
                            for r in readings
                        )
                    )
                )
            ]
            if wholes and not combined:  # "I also have IM, so both": the whole names its part
                readings = [(w, wholes[0], t) for w, _, t in readings]
            value = self._choose(qid, [(w, v) for w, v, _ in readings])
            if value is None:
                continue
            strong = [r for r in readings if r[2] is not None and (qid, r[2]) not in self.unsure]
            weak = {
                r[2] for r in readings if r[1] == value and r[2] is not None and (qid, r[2]) in self.unsure
            }
            if not strong and len(weak) >= 2:  # "pass" and "first attempt" together are clear
                strong = [r for r in readings if r[1] == value]
            if not strong:
                if pending is not None and qid != pending and qid in answers and not _TURNING & said_words:
                    continue  # "i cant take ck before step1 pass": a passing mention, no "Change Step 1?"
                if value == "failed" and answers.get(qid) == "pass_after_fail" and not _TURNING & said_words:
                    continue  # "i failed s1 before and my family is counting on me": the failure already held
                doubt[qid] = value  # only weak words ("passed"): ask before storing
            elif self.questions[qid].kind == "multi":
                # "from a neurology attending. psych doc said maybe": only the writers said for sure
                facts[qid] = self._choose(qid, [(w, v) for w, v, _ in strong])
            elif any(v == value for _, v, _ in strong):
                facts[qid] = value
            # else: weak words chose one answer and clear words say another; ask again
        refused: tuple[str, Any] | None = None
        # numbers where a clause asks are asked about ("is 3 wks enough", "better than two IM?")
        # ("5 lol overkill?" asks nothing about the 5); at a score question "is 241 good enough?" still
        # offers its score with one tap
        unsaid = [
            said | set(range(start, len(tokens)))
            if start is not None
            and (_question_at(tokens) or len(tokens) > 4)
            and pending not in ("ck", "ck_retake")
            else said
            for said, start, tokens in zip(supposed, asks_from, clauses, strict=True)
        ]
        numbers, refused, hedged_scores = self._numbers(
            clauses, unsaid, hits, names, pending, answers, facts, today
        )
        total = answers.get("usce_weeks")
        rests = _ALL_BUT.findall(spoken) if pending == "usce_psych_weeks" and isinstance(total, int) else []
        # ("all but 4 were IM" names the medicine weeks; "all but 4. wait, all but 2" is no one number)
        named_im = bool(_REST_WERE_IM.search(spoken))
        if len(rests) == 1 and not named_im and isinstance(total, int) and 0 < int(rests[0]) < total:
            # "all but 4 of them" of 14 weeks: 10 in psychiatry
            numbers["usce_psych_weeks"] = total - int(rests[0])
        # "three letters from my professors in India (two medicine, one psych)": neither the count, its
        # parts nor its writers are US letters; "2 us letters and 1 from back home" keeps the 2
        from_home = any(
            self._from_home(c, k)
            for c in clauses
            for k, t in enumerate(c)
            if t.isdigit() and "letters" in c[k : k + 3]
        )
        us_count = any(t.isdigit() and "us" in c[k + 1 : k + 3] for c in clauses for k, t in enumerate(c))
        if from_home and not us_count:
            numbers.pop("letters_count", None)
            facts.pop("letters_from", None)
        for qid in hedged_scores & set(numbers):
            if type(numbers[qid]) is int and qid not in facts:
                doubt.setdefault(qid, numbers.pop(qid))
        for qid, value in numbers.items():
            if (
                qid == "ck_retake"
                and facts.get(qid) == "not_yet"
                and type(value) is int
                and value >= PASS_BEFORE_JULY_2022
            ):
                facts[qid] = value  # "failed twice, third time 222": the score given is the retake's
            elif qid == "letters_count":
                facts[qid] = value  # counted with its context ("1, and a second one is promised")
            else:
                facts.setdefault(qid, value)
        self._settle(facts, answers, doubt, clauses, pending)
        # ("I picked too many", "too late now": "too" there says how much, it adds nothing)
        adding_words = set(_TOO_MUCH.sub(" ", spoken).split())
        if _ADDING & adding_words or any(f" {w} " in spoken for w in _ADDING_PHRASES):
            # "one of my 3 letters is from psych too": added to the writers already given, not instead
            for qid, value in facts.items():
                old = answers.get(qid)
                if self.questions[qid].kind == "multi" and isinstance(old, list) and isinstance(value, list):
                    facts[qid] = self._choose(qid, [(1, v) for v in (*old, *value)])
            # "it wasnt only IM, I also did 2 weeks of psych" adds; "also, it was IM, not psychiatry" does not
            not_only = any(
                t in self.negators and c[i + 1 : i + 2] in (["only"], ["just"])
                for c in clauses
                for i, t in enumerate(c)
            )
            # ("actually it was both, I forgot the psych one": a turn that says both adds the field too)
            # ("actually I also did 4 weeks of psych": "also" adds, whatever turn opens the message)
            # ("correction: the rotation was psych, and also it was 6 weeks": that "also" adds weeks, no field)
            adding_here = [
                ci
                for ci, c in enumerate(clauses)
                if {"also", "too", "forgot", "plus", "additionally"} & set(c)
            ]
            also = any(
                any(h.clause == ci and h.phrase.question == "usce" and h.phrase.value for h in hits)
                for ci in adding_here
            ) or (
                bool(adding_here)  # "sorry, I forgot. I did psych as well": the field is in another clause
                and not any(t.isdigit() or t in ("wk", "mo") for ci in adding_here for t in clauses[ci])
            )
            turned = _TURNING & said_words and not also
            if not_only or "both" in said_words or not (self.negators & said_words or turned):
                self._also_a_field(
                    facts,
                    answers,
                    total=bool(_TOTAL_WORDS & said_words),
                    asked_weeks=pending in ("usce_weeks", "usce_psych_weeks"),
                )
        old_writers = answers.get("letters_from")
        new_writers = facts.get("letters_from")
        if (
            isinstance(old_writers, list)
            and isinstance(new_writers, list)
            and set(new_writers) < set(old_writers)
            and "letters_count" in facts
            and type(answers.get("letters_count")) is int
            and facts["letters_count"] > answers["letters_count"]  # a letter added, none taken away
            and not (self.negators | {"only", "solely"}) & said_words
        ):
            # "my psych letter just came in, so 3 letters now": a writer named with a new count is one
            # of those given, not all of them
            facts.pop("letters_from")
        home_only = False
        # ("the psychiatry professor" may teach anywhere: a field before "professor" places no letter)
        unplaced = re.sub(
            r"\b(psych|psychiatry|im|medicine|cl) (?:prof|profe|professor|professors)\b", r"\1", spoken
        )
        placed_home = any(f" {w} " in unplaced for w in self.home_letters)
        if (
            facts.get("letters_count") not in (None, 0)  # "zero. all my letters are from Pakistan" is 0
            and pending == "letters_count"
            and placed_home
            and not _US & said_words
        ):
            # "only 1 letter, from my professor in Turkey": the question counts US letters; ask again
            facts.pop("letters_count")
            home_only = True
        # "I have 2, hoping to get 1 more": a clause of its own counts the letters in hand
        in_hand = any(
            any(t.isdigit() and int(t) <= 20 for t in c)
            and {"have", "got", "hold", "iam"} & set(c)
            and not (_STILL_WANTED | {"more", "wk", "mo", "ck", "from"}) & set(c)
            for c in clauses
        )
        if _STILL_WANTED & said_words and "more" in said_words and not in_hand:
            for qid in ("letters_count", "letters_from"):  # "i need 2 more letters from psych": not had
                facts.pop(qid, None)
                doubt.pop(qid, None)
        new_count, old_count = facts.get("letters_count"), answers.get("letters_count")
        writers, old_writers = facts.get("letters_from"), answers.get("letters_from")
        grew = type(new_count) is int and type(old_count) is int and new_count > old_count
        if grew and writers is None and isinstance(doubt.get("letters_from"), list):
            writers = doubt.pop("letters_from")  # "oh i forgot there is a 4th letter from a CL mentor"
        if grew and isinstance(writers, list) and isinstance(old_writers, list):
            # "i have 3 letters now, a neuro attending gave me one": the new writer joins the others
            facts["letters_from"] = self._choose("letters_from", [(1, v) for v in (*old_writers, *writers)])
        for qid, gone in removed.items():
            kept = [v for v in answers[qid] if v not in gone]
            added = [
                v for v in (facts.get(qid) or doubt.pop(qid, None) or []) if v not in kept and v not in gone
            ]
            if kept or added:
                facts[qid] = self._choose(qid, [(1, v) for v in (*kept, *added)])
            elif self.questions[qid].exclusive:  # "OET not passed yet" with only OET given: none of these
                facts[qid] = [self.questions[qid].exclusive[0]]
        facts = {k: v for k, v in facts.items() if k in self.questions}
        # a lower-case "im" is as often "I'm": medicine is named by "IM" or its words
        medicine = bool(_CAPITAL_IM.search(text)) or bool(
            {"medicine", "internal"} & set(text.lower().split())
        )
        one_field = medicine != bool({"psych", "cl"} & said_words)
        both_kept = facts.get("usce", answers.get("usce")) == "both" and facts.get("usce") in (None, "both")
        one_kind = facts.get("usce_kind") in ("hands_on", "observing") and answers.get(
            "usce_kind"
        ) != facts.get("usce_kind")
        if (
            both_kept
            and one_kind
            and one_field
            and not ({"both", "all", "every", "each", "they", "them", "rotations"} & said_words)
        ):
            # with both fields stored, "sorry the psych was observership" is about psychiatry alone: some of
            # each, unless the kind was never asked and nothing says the other field's kind
            facts["usce_kind"] = "mixed" if "usce_kind" in answers else facts["usce_kind"]
        ticks = {}
        # (writers stored before are the rest: "got another letter from a psych attending, so 2 now")
        if (
            pending != "letters_from"
            and "letters_from" not in answers
            and _some_writers(facts, hits, clauses)
        ):
            ticks["letters_from"] = facts.pop("letters_from")  # "3 letters, one of them from a CL attending"
        # "2 or 3 i think, one attending is still deciding": no count (but "6 or 7 if u count the ones
        # from home but US only two" counts the US ones)
        if any(h.phrase.question == "letters_count" for h in ranged) and not _US & said_words:
            facts.pop("letters_count", None)
            if pending == "letters_count":
                refused = refused or ("letters_range", None)
        if home_only and not facts and not doubt:
            refused = refused or ("home_letters", None)
        share = facts.get("usce_psych_weeks")
        if share is not None and share in (facts.get("ck"), facts.get("ck_retake")):
            del facts["usce_psych_weeks"]  # "CK retake result came, 223!" at the psychiatry weeks
        elif type(share) is int and share > _most_weeks(facts.get("usce_weeks", answers.get("usce_weeks"))):
            del facts["usce_psych_weeks"]  # "12 weeks psych" after 8 weeks in all: one of them is wrong
            refused = refused or ("share_over_total", None)
        dropped = self._field_dropped(clauses, answers, facts)
        if dropped is not None:  # "actually the psych rotation got cancelled, so it was only IM"
            facts.pop("usce_psych_weeks", None)
            if (self.cues - {"not"}) & said_words:
                facts["usce"] = dropped
            else:
                facts.pop("usce", None)
                doubt["usce"] = dropped  # "my psych rotation in march got cancelled": ask first
        if facts.get("ck") == "failed" and type(answers.get("ck")) is int and "ck_retake" not in facts:
            said = str(answers["ck"])
            said_not = any(c[k - 1 : k] == ["not"] for c in clauses for k, t in enumerate(c) if t == said)
            if answers["ck"] >= PASS_BEFORE_JULY_2022 and any(said in c for c in clauses) and not said_not:
                facts["ck_retake"] = answers["ck"]  # "failed ck once. the 224 is my second attempt"
        if (
            pending == "ck_retake"
            and facts.get("ck") == "not_taken"
            and answers.get("ck") == "failed"
            and facts.get("ck_retake", "not_yet") == "not_yet"
            and not (self.cues - {"not"}) & said_words
            and {"second", "again", "retake", "retaking", "another", "next", "resit"} & said_words
        ):
            # "I have not yet passed Step 2 CK. I am preparing for my second attempt": not passed since
            del facts["ck"]
            facts["ck_retake"] = "not_yet"
        field = facts.get("usce", answers.get("usce"))
        counted = facts.get("letters_count", answers.get("letters_count"))
        if (
            field in ("im", "psych")
            and "letters_from" not in facts
            and "letters_from" not in ticks  # "3, 2 from it and 1 from psych": some writers named, some not
            and type(counted) is int
            and counted > 0
            and any(w in spoken for w in self.rotation_writers)
        ):
            facts["letters_from"] = [field]  # "internal medicine for 12 weeks and got 2 letters from it"
        swapped = self._writer_swap(clauses, hits, answers)
        if swapped is not None:
            facts["letters_from"] = swapped  # "the psych letter is actually from a CL attending"
            doubt.pop("letters_from", None)
            if swapped == answers.get("letters_from"):
                del facts["letters_from"]  # "the IM one is from a hospitalist": the same writers
        if (
            experience_to_come
            and pending in (None, "usce")
            and not {"usce", "usce_weeks"} & set(facts)
            and not refused
        ):
            refused = ("usce_to_come", None)
        tested = any(self.owners[h.phrase.tokens].get("english") in ("oet", "test") for h in to_come)
        if tested and pending == "english" and "english" not in facts and not refused:
            refused = ("test_to_come", None)
        native = any(w in spoken for w in self.native_english)
        if native and pending == "english" and "english" not in facts and not refused:
            refused = ("native_english", None)  # "English is my first language lol, Jamaica"
        if refused and refused[0] == "timing_past":
            facts.pop("timing", None)  # the words "this coming cycle" beside a year gone by: ask
            doubt.pop("timing", None)
        card = any(self.owners[h.phrase.tokens].get("visa") == "none" for h in to_come)
        if card and pending == "visa" and "visa" not in facts and not refused:
            refused = ("status_to_come", None)
        return facts, doubt, refused, ticks

    @staticmethod
    def _in_removal(hit: Hit, tokens: list[str], spans: list[tuple[int, int]]) -> bool:
        """Return whether a removal phrase (at *spans* of the hit's clause *tokens*) governs the hit,
        with no "add" / "instead" between."""
        if not spans:
            return False
        ends = [end for _, end in spans if end <= hit.start]
        if ends and not (_ADDING | {"instead", "with"}) & set(tokens[max(ends) : hit.start]):
            return True  # "remove oet", "take out the cl mentor"
        # "the CL mentor fell through", "psych letter wont happen"
        starts = [
            start
            for start, end in spans
            if hit.end <= start < hit.end + 4 and (tokens[end - 1] != "mistake" or start == hit.end)
        ]  # "SMI was a mistake", not "asking my IM attending for a letter was a mistake"
        return bool(starts) and not (_ADDING | {"instead"}) & set(tokens[hit.end : min(starts)])

    def _claimed(
        self, orphans: list[Hit], owned: list[tuple[str, Hit]], questions: Any
    ) -> list[tuple[str, Hit]]:
        """Return the orphan value phrases not owned yet that can answer one of *questions*, as (question, hit)."""
        taken = {id(h) for _, h in owned}
        return [
            (q, h)
            for h in orphans
            if id(h) not in taken
            for q in questions
            if q in self.owners[h.phrase.tokens]
        ]

    @staticmethod
    def _also_a_field(facts: dict[str, Any], answers: dict[str, Any], total: bool, asked_weeks: bool) -> None:
        """Make "also 4 wk IM externship" with 10 psychiatry weeks given both fields: 14 weeks, 10 of
        them psychiatry (it used to replace the psychiatry experience)."""
        old, new = answers.get("usce"), facts.get("usce")
        if old not in ("im", "psych") or new not in ("im", "psych", "both") or new == old:
            return
        facts["usce"] = "both"
        old_weeks, new_weeks = answers.get("usce_weeks"), facts.get("usce_weeks")
        if "usce_psych_weeks" in facts and type(new_weeks) is int:
            pass  # "both IM and psych, 4 weeks each, not only IM": the message gives both fields' weeks
        elif type(old_weeks) is int and type(new_weeks) is int and total and new_weeks > old_weeks:
            # "i also had 4 weeks psych, so 14 total" with 10 IM weeks: 14 is the new total
            facts.setdefault("usce_psych_weeks", old_weeks if old == "psych" else new_weeks - old_weeks)
        elif type(old_weeks) is int and type(new_weeks) is int:
            facts["usce_weeks"] = old_weeks + new_weeks  # the new field's weeks come on top
            facts["usce_psych_weeks"] = old_weeks if old == "psych" else new_weeks
        elif old_weeks is not None:
            facts.pop("usce_weeks", None)  # a range stored ("9-16"): the total is asked, not guessed
        elif type(new_weeks) is int and not asked_weeks:
            # no total yet: the weeks said are the new field's ("I also did 2 weeks of psych"), unless
            # the total is what is asked ("6 wks IM + 2 wks psych too")
            weeks = facts.pop("usce_weeks")
            if new == "psych":
                facts["usce_psych_weeks"] = weeks
        if answers.get("usce_kind") not in (None, facts.get("usce_kind", answers.get("usce_kind"))):
            facts["usce_kind"] = "mixed"  # hands-on psychiatry, then an IM observership

    def _field_dropped(
        self, clauses: list[list[str]], answers: dict[str, Any], facts: dict[str, Any]
    ) -> str | None:
        """Return the field left when one of "both" is taken out ("the psych rotation got cancelled"), or None."""
        if answers.get("usce") != "both" or facts.get("usce") not in (None, "both"):
            return None
        if any("still" in c or c[:2] in (["one", "of"], ["1", "of"]) for c in clauses):
            return None  # "one of my psych rotations got cancelled, i still did 4 weeks of psych"
        for ci, tokens in enumerate(clauses):
            if {"letters", "writers", "goals", "research"} & set(tokens):
                continue  # "the psych letter got cancelled" is about letters
            if {"letters", "writers"} & set(_with_previous(clauses, ci)) and not _ROTATION_WORDS & set(
                tokens
            ):
                continue  # "letters: only 1 now, the psych one fell through" too
            spans = self._removal_spans(tokens) + [
                (i, i + 1) for i, t in enumerate(tokens) if t in _CANCELLED
            ]
            for start, end in spans:
                # "the psych rotation got cancelled", "remove psych from usce"
                gone = _field(tokens[max(0, start - 6) : start]) or _field(tokens[end : end + 2])
                if gone is not None and not _FUTURE & set(tokens):
                    return "im" if gone == "psych" else "psych"
        return None

    def _writer_swap(
        self, clauses: list[list[str]], hits: list[Hit], answers: dict[str, Any]
    ) -> list[Any] | None:
        """Return the letter writers after "the psych letter is actually from a CL attending" (one writer
        stored is replaced by another), or None when the message says no such thing."""
        stored = answers.get("letters_from") or []
        for ci, tokens in enumerate(clauses):
            writers = [
                (h, self.owners[h.phrase.tokens]["letters_from"])
                for h in hits
                if h.clause == ci
                and h.phrase.value is not None
                and "letters_from" in self.owners.get(h.phrase.tokens, {})
            ]
            for h, old in writers:
                if old not in stored or tokens[h.end : h.end + 1] not in (["letters"], ["one"]):
                    continue
                # "the psych letter is actually from ...": one letter named, said to be from someone else
                # (not "one of the psych letters", "another psych letter from ...", "i will also get one")
                one_of = tokens[max(0, h.start - 3) : h.start - 1] in (["one", "of"], ["1", "of"])
                # ("the psych letter", "psych letter is ...", not "another psych letter", "a psych letter")
                named = not one_of and tokens[h.start - 1 : h.start] not in _NOT_ONE_LETTER
                rest = tokens[h.end + 1 : h.end + 6]
                # "... is actually from", "... was written by", "... is signed by"
                link = next((w for w in rest if w in ("from", "by")), None)
                if not named or link is None or not set(rest[: rest.index(link)]) <= _SAID_TO_BE:
                    continue
                if link == "by" and not {"written", "signed", "wrote"} & set(rest):
                    continue
                start = h.end + 1 + rest.index(link)
                after = sorted(
                    (g for g in writers if start < g[0].start <= start + 4),
                    key=lambda w: (w[0].start, -w[0].end),
                )
                new = [v for _, v in after]
                if not new or new[0] == old:
                    # "the psych letter is from my observership": about a letter already counted
                    return list(stored) if tokens[h.start - 1 : h.start] in (["the"], ["my"]) else None
                order = [o.value for o in self.questions["letters_from"].options]
                kept = {*stored, new[0]} - {old}
                return [v for v in order if v in kept]
        return None

    def _removal_spans(self, tokens: list[str]) -> list[tuple[int, int]]:
        """Return where removal phrases ("remove", "take out", "get rid of") stand in a clause."""
        return [
            (i, i + len(phrase))
            for i, token in enumerate(tokens)
            for phrase in self.removals_by_first.get(token, ())
            if tuple(tokens[i : i + len(phrase)]) == phrase
        ]

    def _removed(
        self,
        hits: list[Hit],
        names: list[Hit],
        pending: str | None,
        clauses: list[list[str]],
        answers: dict[str, Any],
    ) -> dict[str, set[Any]]:
        """Return, per multi-choice question already answered, the values the message takes out."""
        removed: dict[str, set[Any]] = {}
        for hit in hits:
            holding = [  # "remove cl from goals": the answer that holds it, whatever "from" names
                q
                for q, v in self.owners[hit.phrase.tokens].items()
                if self.questions[q].kind == "multi" and v in (answers.get(q) or ())
            ]
            owner = holding[0] if len(holding) == 1 else self._owner(hit, names, pending, clauses)
            if owner is None or self.questions[owner].kind != "multi":
                continue
            said = set(clauses[hit.clause])
            if owner == "letters_from" and _ROTATION_WORDS & said and "letters" not in said:
                continue  # "the psych rotation was cancelled" takes out no letter writer
            value = self.owners[hit.phrase.tokens][owner]
            if isinstance(answers.get(owner), list) and value in answers[owner]:
                removed.setdefault(owner, set()).add(value)
        return removed

    def _hits(self, clauses: list[list[str]]) -> list[Hit]:
        hits = []
        for index, tokens in enumerate(clauses):
            candidates = sorted(c for t in set(tokens) for c in self.starting.get(t, ()))
            for _, phrase in candidates:
                for start, end in _find(phrase, tokens):
                    hits.append(Hit(phrase, index, start, end))
        return hits

    def _negated(self, hit: Hit, clauses: list[list[str]]) -> bool:
        tokens = clauses[hit.clause]
        if None in hit.phrase.tokens:  # "failed ... passed" is cancelled by "failed, havent passed"
            inside = tokens[hit.start : hit.end]
            last = hit.phrase.tokens[-1] or ""  # a gap is never last
            position = len(inside) - 1 - inside[::-1].index(last)
            if any(t in self.negators for t in inside[max(0, position - 2) : position]):
                return True
        after = tokens[hit.end :]
        if hit.phrase.tokens[0] in self.negators:
            owners = self.owners.get(hit.phrase.tokens, {})
            if after[:1] in (["in"], ["for"]) and any(self._names_an_option(after[1:], q) for q in owners):
                return True  # "neurology 4 weeks, nothing in IM or psych" denies those: it is no "none"
            return tokens[hit.start - 1 : hit.start] == ["not"]  # "usce is not none"
        if after[:1] in (["not"], ["no"], ["isnt"], ["wasnt"]) and after[1:2] in _UNDONE:
            # "oet not passed yet", "psych one isnt confirmed"; but "in progress not done" denies
            # another answer to the same question, not this one
            other = self.owners.get(tuple(after[1:2]), {}).get(hit.phrase.question)
            return other is None or other == self.owners[hit.phrase.tokens].get(hit.phrase.question)
        if after[:3] in (["is", "not", "me"], ["is", "not", "for"], ["not", "for", "me"]) or after[:2] in (
            ["isnt", "me"],
            ["isnt", "for"],
        ):
            return True  # "academic is not me", "addiction isnt for me"
        if after[:3] and set(after[:3]) <= _TRAILING_NO and set(after[:3]) & _TRAILING_DENIALS:
            return len(after) <= 3  # "ielts also no" at the end of its clause
        before = tokens[max(0, hit.start - 2) : hit.start]
        if "any" in before:  # "i never took any test", "dont have any english test"
            before = tokens[max(0, hit.start - 4) : hit.start]
        elif before[-1:] in (["a"], ["an"], ["my"], ["the"]):  # "i dont have a green card yet"
            before = tokens[max(0, hit.start - 3) : hit.start]
        elif before[-1:] and before[-1] in _PLAIN and before[-2:-1] in (["a"], ["an"], ["my"], ["the"]):
            before = tokens[max(0, hit.start - 4) : hit.start]  # "not a regular psych attending"
        if before in (["instead", "of"], ["rather", "than"]) or before[-1:] == ["than"]:
            return True  # "make it j1 instead of h1b", "J1 is more realistic for me than h1b"
        if before == ["no", "no"]:  # "no no this season": an interjection before the right answer
            return False
        if before[:1] == ["not"] and before[1:2] and before[1].isdigit():
            return False  # "3 letters not 2 - IM, psych": the "not" denies the count, not the writer
        if before in (["not", "just"], ["not", "only"]):  # "not just CL but also addiction" keeps the CL
            return False
        if before[-1:] == ["nor"] or (
            before[-1:] == ["and"] and tokens[hit.start - 3 : hit.start - 2] == ["not"]
        ):
            return True  # "not IM and psych": the denial runs over the pair
        if self.negators & {t for t in hit.phrase.tokens if t}:
            return False  # "no i did not pass yet": a phrase that is itself a denial is not denied again
        if before[-1:] == ["and"] and self._denied_list(tokens, hit.start - 1, hit.phrase.question):
            return True  # "no TOEFL/IELTS/OET": the denial runs over the list of one question's options
        if before[-1:] == ["or"] and hit.start >= 3:
            # "no english test or teaching": the negation runs over the list
            return any(t in self.negators for t in tokens[max(0, hit.start - 5) : hit.start - 1])
        if any(
            _retraction_at(tokens, j, self.denying_retractions)
            for j in range(max(0, hit.start - 3), hit.start)
        ):
            # "j1, no wait h1b": the "no" takes the J-1 back, it does not deny the H-1B (but "correction:
            # no TOEFL" denies it)
            return False
        return any(t in self.negators for t in before)

    def _denied_list(self, tokens: list[str], at: int, question: str) -> bool:
        """Return whether the "and" at *at* continues a list of *question*'s one-word options that opens
        with a denial ("no toefl and ielts and oet")."""
        while at >= 2 and tokens[at] == "and" and question in self.owners.get((tokens[at - 1],), {}):
            if tokens[at - 2] in self.negators:
                return True
            at -= 2
        return False

    def last_named(self, text: str) -> str | None:
        """Return the question named last in *text* ("s1 pass first try. ck 214 in march": the CK)."""
        clauses = self.norm.clauses(text)
        names = [h for h in self._hits(clauses) if h.phrase.value is None]
        return max(names, key=lambda h: (h.clause, h.start)).phrase.question if names else None

    def names_an_answer(self, text: str) -> bool:
        """Return whether a short message that stores nothing names an answer ("psych" at the summary)."""
        tokens = self.norm.tokens(text)
        values = [h for h in self._hits([tokens]) if h.phrase.value is not None]  # not "usce importance"
        return len(tokens) <= 4 and "?" not in text and bool(values)

    def _facts_named(self, tokens: list[str]) -> bool:
        """Return whether *tokens* name a question ("does the pdf show my ck?" asks about the CK)."""
        return bool((self.domain | _SHORT_DOMAIN) & set(tokens) - {"plan", "pdf", "want", "wanted"})

    def _names_an_option(self, tokens: list[str], question: str) -> bool:
        """Return whether *tokens* open with a phrase of one of *question*'s options other than none."""
        return any(
            phrase.question == question
            and phrase.value not in _NONE_VALUES
            and any(start == 0 for start, _ in _find(phrase, tokens))
            for _, phrase in self.starting.get(tokens[0] if tokens else "", ())
        )

    def _only_for_another(self, hit: Hit, names: list[Hit], pending: str | None) -> bool:
        """Return whether a value phrase answers only a question other than the one asked, and is too
        plain to answer it unasked: "Yes, two case reports" at the research question is no visa answer,
        and "230 on second take" at the CK is the CK's attempt, not Step 1's."""
        owners = self.owners[hit.phrase.tokens]
        if pending is None or pending in owners:
            return False
        if len(hit.phrase.tokens) == 1 and hit.phrase.tokens[0] in self.whole["confirm"]:
            return True
        attempt_only = pending in ("ck", "ck_retake") and set(owners) == {"step1"}
        return attempt_only and not any(n.phrase.question == "step1" for n in names)

    def _owner(self, hit: Hit, names: list[Hit], pending: str | None, clauses: list[list[str]]) -> str | None:
        """Return the question a value phrase belongs to: the nearest one named, the pending one, or
        the one the phrase names by itself ("green card" is a visa answer anywhere)."""
        owners = self.owners[hit.phrase.tokens]
        # A name on the very words of this answer ("second try" names a retake) names nothing else.
        # (nor, when the question asked reads it too, its own question: "failed, retaking in march" at
        # Step 1 is Step 1's, though "retaking" names the CK retake)
        names = [
            n
            for n in names
            if not (
                n.clause == hit.clause
                and n.overlaps(hit)
                and (n.phrase.question not in owners or (pending in owners and n.phrase.question != pending))
            )
        ]
        near = [n for n in names if n.clause == hit.clause and n.phrase.question in owners]
        if not near and not any(n.clause == hit.clause for n in names):
            # A clause that names nothing continues the last one that did ("failed step 1, passed on
            # 2nd try"; "4 letters (IM, psych, CL)"), or that question's follow-up ("CK fail. no pass
            # yet." is the retake).
            named = [n.clause for n in names if n.clause < hit.clause]
            if named and hit.clause - max(named) <= LIST_REACH:
                last = [n for n in names if n.clause == max(named)]
                near = [n for n in last if n.phrase.question in owners]
                if not near:
                    carried = {
                        f for n in last for f in self.followups.get(n.phrase.question, ()) if f in owners
                    }
                    if len(carried) == 1:
                        return carried.pop()
                    # ("ck she failed once (206) and then passed with 221" at Step 1: the CK's story, with
                    # its attempts or scores; not "haven't done ck. passed first try")
                    story = any(t.isdigit() for t in clauses[hit.clause]) or bool(
                        _FAILING & set(clauses[max(named)])
                    )
                    scored = all(
                        n.phrase.question in _SCORED and n.phrase.tokens not in _SCORE_WORDS for n in last
                    )
                    if pending in owners and scored and story:
                        return None
                near = [Hit(n.phrase, hit.clause, hit.start, hit.start) for n in near]
        if all(t is not None and t.isdigit() for t in hit.phrase.tokens):
            near = []
        lead = clauses[hit.clause][max(0, hit.start - 2) : hit.start]
        if (
            pending in ("letters_count", "letters_from")
            and "letters_from" in owners
            and (
                lead[-1:] == ["from"]
                or (lead[:1] == ["from"] and lead[1:] in (["my"], ["an"], ["a"], ["the"]))
            )
        ):
            return "letters_from"  # "one, from my IM sub-i attending": a writer, whatever rotation follows
        counted_here = clauses[hit.clause][hit.start - 1 : hit.start] in (["1"], ["another"], ["other"])
        if counted_here and pending in owners:
            return pending  # "one from medpsych faculty at my externship and one IM": one more of the asked
        if near:
            best = min(near, key=lambda n: _distance(n, hit))
            # "none yet, still hunting for an obs" at the letters: a reply that opens the message answers
            # the question asked, unless the name follows it right away ("none for usce")
            opening = hit.clause == 0 and hit.start == 0 and best.clause == 0 and best.start > hit.end + 2
            if opening and pending in owners:
                return pending
            if _distance(best, hit) <= NEAR + 2:
                return best.phrase.question
            if all(n.phrase.question in owners for n in names if n.clause == hit.clause) and pending is None:
                # "Step 1 is wrong, I passed it on the first attempt": the only question the clause names
                return best.phrase.question
        about_other = any(  # an exam named first: "ck i failed first time" (not "test score")
            n.clause == hit.clause
            and n.start < hit.start
            and n.phrase.tokens in (("ck",), ("step1",))
            and n.phrase.question not in owners
            for n in names
        )
        if not about_other:
            # "Regarding Step 2 CK, I failed my first attempt with a score of 211": the clause goes on about
            # the exam a heading before it names (nothing but the exam's name and linking words)
            heading = hit.clause > 0 and set(clauses[hit.clause - 1]) <= _HEADING_WORDS
            close = [n for n in names if hit.clause - 1 <= n.clause <= hit.clause]
            about_other = (
                heading
                and any(n.phrase.tokens in (("ck",), ("step1",)) for n in close if n.clause < hit.clause)
                and not any(n.phrase.question in owners for n in close)
            )
        if pending in owners and not about_other:  # "ck i failed first time" at Step 1 is about the CK
            return pending
        follow = [
            q
            for q in self.followups.get(pending or "", ())
            if q in owners and (q, hit.phrase.tokens) not in self.asked_only
        ]
        if len(follow) == 1:  # "3 - IM, psych and CL" at "how many letters" names the writers
            return follow[0]
        parents = [
            q
            for q in self.parents.get(pending or "", ())
            if q in owners and (q, hit.phrase.tokens) not in self.asked_only
        ]
        plain = not (hit.phrase.tokens[0] or "").isdigit() and hit.phrase.tokens not in _YES_NO
        counted = _counted(hit, clauses)
        denies = self.owners[hit.phrase.tokens].get(parents[0] if parents else "") in _NONE_VALUES
        if len(parents) == 1 and plain and not counted and not denies:  # "its both actually" at the weeks
            return parents[0]
        if all(t is not None and t.isdigit() for t in hit.phrase.tokens):
            return None  # a bare number answers only the pending question
        alone = [q for q in owners if (q, hit.phrase.tokens) in self.anywhere]
        return alone[0] if len(alone) == 1 else None

    def _week_range(self, tokens: list[str], i: int, pending: str | None) -> str | None:
        """Return the weeks range option holding both ends of "A to B weeks" that starts at *i*, or None."""
        if not (i + 2 < len(tokens) and tokens[i + 1] in ("to", "or") and tokens[i + 2].isdigit()):
            return None
        unit = tokens[i + 3 : i + 4]
        if unit not in (["wk"], ["mo"]) and pending != "usce_weeks":
            return None
        scale = 4 if unit == ["mo"] else 1
        low, high = int(tokens[i]) * scale, int(tokens[i + 2]) * scale
        for option in self.questions["usce_weeks"].options:
            start, _, end = str(option.value).rstrip("+").partition("-")
            top = int(end) if end else 10_000
            if start.isdigit() and int(start) <= low <= high <= top:
                return str(option.value)
        return None

    def _corrected_between(self, tokens: list[str], first: int, second: int) -> bool:
        """Return True when a correction word ("no", "wait", "sorry", "i mean") stands between two
        values the message gives for one question."""
        try:
            start, end = tokens.index(str(first)), len(tokens) - 1 - tokens[::-1].index(str(second))
        except ValueError:
            return False
        between = set(tokens[start + 1 : end])
        # "215 not 205" names the old value; "219 no sorry 229" takes the first one back ("242, I typed
        # 224 by mistake" names the typed one as the old)
        return start < end and bool(((self.cues - self.negators - _ENTERED) | {"no"}) & between)

    def _unretracted(self, owned: list[tuple[str, Hit]], clauses: list[list[str]]) -> list[tuple[str, Hit]]:
        """Drop the answers a message takes back ("i passed on first try, no sorry thats a lie, i failed
        first time and passed 2nd attempt"): for a one-answer question, what follows the last retraction
        between two different answers stands."""
        offsets = [sum(len(c) for c in clauses[:i]) for i in range(len(clauses))]
        flat = [t for c in clauses for t in c]
        marks = [i for i in range(len(flat)) if _retraction_at(flat, i)]
        if not marks:
            return owned
        dropped: set[int] = set()
        by_owner: dict[str, list[tuple[int, Hit]]] = {}
        for owner, hit in owned:
            by_owner.setdefault(owner, []).append((offsets[hit.clause] + hit.start, hit))
        for owner, placed in by_owner.items():
            if self.questions[owner].kind == "multi":
                # "academic... no, actually community": what follows the retraction replaces what came
                # before, unless it is added ("IM, no wait, also psych")
                # ("i mean" is often filler: "CL and addiction, i mean community as well")
                taking_back = [
                    m
                    for m in marks
                    if tuple(flat[m : m + 2]) != ("i", "mean") or set(flat[m + 2 : m + 4]) & {"only", "just"}
                ]
                between = [
                    m for m in taking_back if any(p < m for p, _ in placed) and any(p > m for p, _ in placed)
                ]
                if between:
                    first_after = min(p for p, _ in placed if p > between[-1])
                    said_after = flat[between[-1] + 1 : first_after + 4]  # up to just past the first value
                    adding = _ADDING & set(said_after) or flat[between[-1] + 2 : between[-1] + 3] in (
                        ["and"],
                        ["plus"],
                    )
                    if not adding and " as well " not in f" {' '.join(said_after)} ":
                        dropped |= {id(h) for p, h in placed if p < between[-1]}
                continue
            value = {id(h): self.owners[h.phrase.tokens][owner] for _, h in placed}
            between = [m for m in marks if any(p < m for p, _ in placed) and any(p > m for p, _ in placed)]
            if not between:
                continue
            earlier = {value[id(h)] for p, h in placed if p < between[-1]}
            first_after = min((p, value[id(h)]) for p, h in placed if p > between[-1])[1]
            if first_after not in earlier:
                # what the retraction took back goes, wherever it comes up again ("... my ck is 216 first
                # attempt" is about the CK)
                dropped |= {id(h) for p, h in placed if p < between[-1] or value[id(h)] in earlier}
        return [(o, h) for o, h in owned if id(h) not in dropped]

    def _in_a_list(
        self, orphans: list[Hit], owned: list[tuple[str, Hit]], names: list[Hit]
    ) -> list[tuple[str, Hit]]:
        """Own the unnamed items of a message that lists several answers ("ck 239, CL + academic").

        Only in a message that already answers two questions: a phrase only one question uses owns
        itself there, unless its clause names another question; the other phrases of that clause follow."""
        # (the same words read for a question and its follow-up, "still studying" for the CK and its
        # retake, answer one: "not sure yet, still studying for it" lists nothing)
        separate = {q for q, h in owned if not any(g.overlaps(h) and p != q for p, g in owned)}
        if len(separate) + (len(separate) < len({q for q, _ in owned})) < 2:
            return []
        named_clauses = {n.clause for n in names}
        answered = {q for q, _ in owned}
        listed: list[tuple[str, Hit]] = []
        for hit in orphans:
            owners = self.owners[hit.phrase.tokens]
            if (
                len(owners) != 1
                or hit.clause in named_clauses
                or any(t is None or t.isdigit() for t in hit.phrase.tokens)
                or hit.phrase.tokens in _PLAIN_WORDS  # "other is jordan" names no specialty
            ):
                continue
            if any(h.overlaps(hit) for _, h in owned):  # "IM + psych" already read as the writers
                continue
            if any(h.clause == hit.clause for _, h in owned):  # "2, both psych": "both" is the writers'
                continue
            (qid,) = owners
            if qid not in answered and (qid, hit.phrase.tokens) not in self.unsure:
                listed.append((qid, hit))
        for hit in orphans:
            topic = {q for q, h in listed if h.clause == hit.clause} & set(self.owners[hit.phrase.tokens])
            if len(topic) == 1 and all(h is not hit for _, h in listed):
                listed.append((topic.pop(), hit))
        return listed

    def _first_owner(self, tokens: tuple[str | None, ...], answers: dict[str, Any]) -> str | None:
        """Return the first question, in the questionnaire's order, that a phrase answers and that applies."""
        owners = self.owners.get(tokens, {})
        # (an answered multi-choice question, the H-1B one, is no longer what "both" answers)
        open_ = [q for q in self.questions.values() if not (q.kind == "multi" and q.id in answers)]
        return next((q.id for q in open_ if q.id in owners and rules.applies(q, answers)), None)

    def _choose(self, qid: str, readings: list[tuple[int, Any]]) -> Any:
        question = self.questions[qid]
        if question.kind == "multi":
            values = {v for _, v in readings}
            if len(values) > 1 and set(question.exclusive) & values:
                values -= set(question.exclusive)
            order = [o.value for o in question.options]
            return sorted(values, key=order.index)
        top = max(w for w, _ in readings)
        votes = Counter(v for w, v in readings if w == top)
        (first, most), *rest = votes.most_common()
        # "failed first attempt, passed the second one": two phrases say after a failure, one says
        # first attempt; more phrases of the same weight outvote one, a tie settles nothing.
        return first if not rest or rest[0][1] < most else None

    def _numbers(
        self,
        clauses: list[list[str]],
        supposed: list[set[int]],
        hits: list[Hit],
        names: list[Hit],
        pending: str | None,
        answers: dict[str, Any],
        facts: dict[str, Any],
        today: date,
    ) -> tuple[dict[str, Any], tuple[str, Any] | None, set[str]]:
        """Read scores, weeks, letter counts and years, each tied to its unit or name."""
        everything = [t for clause in clauses for t in clause]
        one_number = (
            sum(t.isdigit() for t in everything) == 1
        )  # a bound alone, not "less than 10 weeks, around 9"
        found: dict[str, Any] = {}
        conflicting: set[str] = set()
        weeks: list[int] = []
        split_after_total = False  # "16 wk hands on. 8 psych 8 IM": the parts must add up to the weeks
        letter_counts: list[int] = []
        writer_counted: list[int] = []  # counts that name their writers ("2 letters from IM")
        promise_counted = False  # a letter still to come was added to the count already
        share: list[int] = []  # weeks named as the psychiatry share ("psych weeks is 6")
        letter_parts: list[int] = []  # counts by writer ("one IM, one psych")
        us_letters: list[int] = []  # counts named as US ones beside a total ("5 total. 2 US, 3 korea")
        totals: list[int] = []  # weeks said to be the total
        week_clauses: set[int] = set()
        psych_weeks: list[int] = []  # weeks said to be in psychiatry or CL
        im_weeks: list[int] = []  # weeks said to be in internal medicine
        fieldless_weeks: list[int] = []  # weeks with a unit and no field ("12 weeks")
        bounds: list[int] = []  # "under 4 weeks", "more than 16 weeks"
        stated: list[int] = []  # weeks said in place of an old count ("6 weeks not 4")
        extra: list[int] = []  # weeks added to the count already given ("4 more weeks")
        refused: tuple[str, Any] | None = None
        practice_seen = False  # a practice-exam score was passed over
        hedged: set[str] = set()  # scores read from a hedged clause ("around 220 i think")
        scored: set[tuple[int, int]] = set()  # where the scores read stand (no count of weeks then)
        used_by_phrase = {
            (h.clause, i)
            for h in hits
            if h.phrase.value is not None
            for i in range(h.start, h.end)
            # a digit in a phrase's gap is no part of it ("passed with 235 the second time")
            if clauses[h.clause][i].isdigit()
            and clauses[h.clause][i] in h.phrase.tokens
            and h.phrase.question not in ("letters_count", "usce", "research", "english")
        }
        # "5.. no 6": a clause of "no" and a number (position 1 of it) takes back the number that ended the
        # clause before; that "no" denies nothing
        replacing = {
            (ci, 1): (ci - 1, len(clauses[ci - 1]) - 1)
            for ci in range(1, len(clauses))
            if len(clauses[ci]) == 2  # not "238, no 248 was step 1"
            and clauses[ci][0] == "no"
            and clauses[ci][1].isdigit()
            and clauses[ci - 1][-1:]
            and clauses[ci - 1][-1].isdigit()
        }
        replacing.update(self._replaced_numbers(clauses))
        taken_back = set(replacing.values())
        # "214 not 241": the number after "not" is an earlier answer, so the other one corrects it.
        negated = {
            int(tokens[i])
            for ci, tokens in enumerate(clauses)
            for i in range(1, len(tokens))
            if tokens[i].isdigit()
            and len(tokens[i]) < 7
            and tokens[i - 1] in self.negators
            and (ci, i) not in replacing
        } | {
            int(tokens[i])  # "letters 0 is wrong, I have 2 now": the number called wrong is the old one
            for tokens in clauses
            for i in range(len(tokens) - 2)
            if tokens[i].isdigit()
            and len(tokens[i]) < 7
            and tokens[i + 1] in ("is", "was", "are")
            and tokens[i + 2] in ("wrong", "incorrect")
        }
        # "scratch the 218, its 228": the number taken back is the old one
        dropped = {
            (ci, i)
            for ci, tokens in enumerate(clauses)
            for i in range(1, len(tokens))
            if tokens[i].isdigit()
            and len(tokens[i]) < 7
            and set(tokens[max(0, i - 2) : i]) & _TAKE_BACK
            and tokens[i - 1] in (*_TAKE_BACK, "the", "that", "my")
        }
        negated |= {int(clauses[ci][i]) for ci, i in dropped}
        # "the plan says 6 weeks but its 10": what the plan or summary shows is the old value
        shown = {
            (ci, i)
            for ci, tokens in enumerate(clauses)
            for i in range(1, len(tokens))
            if tokens[i].isdigit()
            and tokens[i - 1] in ("says", "shows", "showing", "lists")
            and {"plan", "summary", "it", "bot", "profile"} & set(tokens[max(0, i - 4) : i - 1])
        }
        negated |= {int(clauses[ci][i]) for ci, i in shown if len(clauses[ci][i]) < 7}
        # asked once per message, not per number below
        weeks_asked = pending in ("usce_weeks", "usce_psych_weeks")
        about_weeks = weeks_asked or "wk" in everything
        letters_said = "letters" in everything
        denied_answers = [
            q for q, v in answers.items() if type(v) is int and v in negated and q in self.questions
        ]
        if {"usce_weeks", "usce_psych_weeks"} <= set(denied_answers) and "psych" in everything:
            # 8 weeks, all psych: "the psych weeks are 6 not 8" is the share
            denied_answers.remove("usce_weeks")
        corrected = next(iter(denied_answers), None)
        for ci, tokens in enumerate(clauses):
            for i, token in enumerate(tokens):
                skipped = (
                    (ci, i) in used_by_phrase
                    or (ci, i) in taken_back
                    or i in supposed[ci]
                    or (ci, i) in shown
                )
                if not token.isdigit() or len(token) > 6 or skipped:
                    continue
                value = int(token)
                if _in_range(tokens, i):
                    span = self._week_range(tokens, i, pending)
                    if span is not None:  # "like 10-12 wks": the range button both ends fall in
                        found.setdefault("usce_weeks", span)
                    continue  # "2 to 3 letters" or "9 to 16 weeks" is no one number
                after = tokens[i + 1 : i + 1 + NEAR]
                before = tokens[max(0, i - NEAR) : i]
                bounded = before[-2:] in (["less", "than"], ["fewer", "than"]) or before[-1:] in (
                    ["under"],
                    ["below"],
                )
                if (
                    bounded
                    and one_number
                    and pending in ("usce_weeks", "usce_psych_weeks")
                    and 1 < value <= 60
                ):
                    # "less than 3", "under 2 weeks": the range button below the bound, not the bound
                    below = (value * 4 if after[:1] == ["mo"] else value) - 1
                    span = self._week_range([str(below), "to", str(below), "wk"], 0, pending)
                    if span is not None:
                        found.setdefault(pending, span)
                    taken_back.add((ci, i))  # (nor is the bound a bare number)
                    continue
                ck_before = bool({"ck", "score", "scored"} & set(before[-2:]))
                if (ci, i) in replacing:
                    before = []  # the 6 of "5.. no 6" is said, not denied
                if before[-1:] and before[-1] in self.negators:  # "231 not 219", "-1": not a value
                    continue
                if before[-2:] in (["not", "even"], ["not", "single"]) or before[-3:] in (
                    ["not", "a", "single"],
                    ["not", "even", "a"],
                    ["even", "a", "single"],
                ):
                    continue  # "not a single one", "not even one": none, which the words say
                if (ci, i) in dropped:
                    continue  # "scratch the 218, my CK is 228": the number taken back
                lead = tokens[max(0, i - 6) : i]
                failed_with = "failed" in lead and not {"retake", "second", "again", "try", "step1"} & set(
                    lead
                )
                about_ck = "ck" in lead or pending in ("ck", "ck_retake")
                if (
                    100 <= value < PASS_BEFORE_JULY_2022
                    and failed_with
                    and about_ck
                    and "ck_retake" not in answers
                ):
                    found.setdefault("ck", "failed")  # "i failed it once with 208": the failing score
                    continue
                if value >= 100 and after[:1] in (["something"], ["ish"], ["odd"]):
                    continue  # "two ten something", "220ish": no score to store
                # "TOEFL 101", "also add TOEFL, I have 101": a TOEFL score goes up to 120, no Step 2 CK
                test_before = _ENGLISH_TESTS & set(before) or (
                    ci and i < 3 and clauses[ci - 1][-1] in _ENGLISH_TESTS
                )
                counted = after[:1] in (["wk"], ["mo"]) or "letters" in after[:2]
                if value <= 120 and test_before and not (ck_before or counted):
                    continue
                if self._practice_score(tokens, i):
                    practice_seen = True  # "NBME 231", "the 221 was a practice test": no CK result
                    continue
                if after[:2] in (["psych", "wk"], ["cl", "wk"]) and not (ck_before and value >= 100):
                    share.append(value)  # "i meant 5 psych weeks" (not "ck 238 psych wks 4")
                    continue
                # "8 total, 4 were psych", "of the 12 weeks only 2 were psych": the share, where weeks are told
                of_them = after[:2] in (["of", "them"], ["of", "those"], ["of", "these"])
                told = tokens[i + 3 :] if of_them else after
                told = told[1:] if of_them and told[:1] == ["wk"] else told  # "8 of those weeks were psych"
                linked = told[:1] in (["were"], ["was"], ["in"])
                told = told[1:] if linked else told  # "4 of them psych", "4 were psych"
                if (
                    (of_them or linked)
                    and told[:1] in (["psych"], ["cl"])
                    and about_weeks
                    and "letters" not in tokens
                    and value <= 260
                ):
                    share.append(value)
                    continue
                said_total = bool(_TOTAL & set(before[-2:]) or _TOTAL & set(tokens[i + 1 : i + 4]))
                # "the total was more like 10": only words of roughness between the total and its number
                # (not "psych total was about 6": that is the field's own)
                rough_total = any(
                    t in _TOTAL
                    and set(before[k + 1 :]) <= _ROUGH_LINKS
                    and before[k - 1 : k] not in (["psych"], ["im"])
                    for k, t in enumerate(before[:-1])
                )
                said_total = said_total or rough_total
                said_total = said_total and not {"so"} >= (_TOTAL & set(before[-2:] + tokens[i + 1 : i + 4]))
                if after[:1] in (["wk"], ["mo"]) and after[1:2] in (["ago"], ["back"]):
                    continue  # "took it 2 weeks ago": when, not how long
                if after[:1] in (["times"], ["time"], ["try"]):
                    continue  # "failed 2 times", "passed on 3 try": a count of attempts, not a score
                if after[:1] and after[0] in _A_LINE:
                    continue  # "that's scary about the 220 thing", "the 230 cutoff": a line, not the user's score
                if before[-1:] and before[-1] in _ENGLISH_TESTS and value < 100:
                    continue  # "IELTS 8 overall", "TOEFL 104": the test's score, no weeks or letters
                if after[:1] and after[0] in _COUNTED_THINGS:
                    continue  # "20 weeks across 3 hospitals": a count of places, not weeks or a score
                below = before[-1:] in _BELOW or before[-2:] in _BELOW
                above = before[-1:] in _ABOVE or before[-2:] in _ABOVE
                if after[:1] in (["wk"], ["mo"]) and (below or above):
                    # "under 4 weeks (exactly 3 weeks)": a bound, not a block; alone it is just past it,
                    # "no more than 4 weeks" is at most 4
                    weeks_said = value * 4 if after[0] == "mo" else value
                    at_most = above and any(t in self.negators for t in before[-4:-2])
                    bound = weeks_said if at_most else weeks_said + (-1 if below else 1)
                    bound_field = _field(tokens[i + 2 : i + 4])
                    if bound_field:  # "under 4 weeks psych and 8 weeks IM": a block
                        weeks.append(bound)
                        week_clauses.add(ci)
                        if bound_field == "psych":
                            psych_weeks.append(bound)
                    else:
                        bounds.append(bound)
                    continue
                if before[-2:] in (["the", "rest"], ["the", "other"]) and after[:1] in (
                    ["wk"],
                    ["mo"],
                    ["were"],
                ):
                    continue  # "the other 2 weeks were IM": a part of the weeks, no total
                if after[:2] in (["more", "wk"], ["more", "mo"]):
                    amount = value * 4 if after[1] == "mo" else value
                    if (_FUTURE | self.hedges | _MONTH_WORDS) & set(_with_previous(clauses, ci)):
                        pass  # "4 more wks psych in march", "hopefully 4 more weeks": not done yet
                    elif im_weeks or psych_weeks:
                        # "4 weeks IM and 2 more weeks psych": one more field's part of this message's total
                        weeks.append(amount)
                        if _field(tokens[i + 3 : i + 5]) == "psych":
                            psych_weeks.append(amount)
                    else:
                        extra.append(amount)  # "i forgot, 4 more weeks" on top of the weeks stored
                    continue
                if after[:1] in (["wk"], ["mo"]) or after[:2] == ["full", "wk"]:
                    if _FUTURE & set(_with_previous(clauses, ci)):  # "4wk IM externship booked for march"
                        continue
                    if before[-1:] in (["in"], ["within"]) and after[1:2] != ["of"] and _from_now(tokens):
                        continue  # "IM externship in 2 months": a time from now, no length
                    unit = "mo" if "mo" in after[:2] else "wk"
                    if said_total:  # "4 wks IM, 4 wks psych = 8 wks": the total, not a third block
                        totals.append(value * 4 if unit == "mo" else value)
                        continue
                    half = unit == "mo" and after[1:4] == ["and", "a", "half"]  # "1 month and a half": 6
                    weeks.append(value * 4 + 2 * half if unit == "mo" else value)
                    week_clauses.add(ci)
                    old_total = answers.get("usce_weeks")
                    if any(
                        t in self.negators and n == str(old_total) for t, n in pairwise(tokens[i + 2 : i + 6])
                    ):
                        stated.append(weeks[-1])  # "6 weeks usce not 4 (the 4 stored), i forgot the 2 wk ..."
                    field = _field(tokens[i + 2 : i + 4]) or _field(tokens[max(0, i - 1) : i])
                    field = field or _field(tokens[max(0, i - 2) : i] + tokens[i + 2 : i + 5])
                    if field == "psych":
                        psych_weeks.append(weeks[-1])
                    elif field == "im":
                        im_weeks.append(weeks[-1])
                    else:
                        fieldless_weeks.append(weeks[-1])
                    if "each" in tokens[i + 2 : i + 5]:
                        weeks.append(weeks[-1])
                        psych_weeks.append(weeks[-1])
                    continue
                bare_total = _TOTAL & set(before[-2:] + after[:1]) or rough_total
                if bare_total and (weeks or weeks_asked) and after[:1] != ["letters"]:
                    totals.append(value)  # "... then 3 weeks psych, so 11"; "12 total"
                    continue
                # "16 wk hands on. 8 psych 8 IM": the fields' shares of the weeks said before
                split = (
                    bool(weeks) and pending in ("usce", "usce_kind") and sum(t.isdigit() for t in tokens) >= 2
                )
                by_field = ci in week_clauses or weeks_asked or split
                field_after = after[1:2] if after[:1] in (["of"], ["in"]) else after[:1]  # "eight of IM"
                # "IM 4, psych 4", "IM 4 semanas y psych otras 4": the field before the number
                field_before = before[-2:-1] if before[-1:] == ["another"] else before[-1:]
                split_only = split and ci not in week_clauses and not weeks_asked
                # in "16 weeks. 8 IM 4 psych 4 observing" each part names its field after its number
                named_field = _field(field_after) or (None if split_only else _field(field_before))
                after_letters = _last_unit(clauses, ci, i) == "letters"  # "4 letters (2 IM, 2 psych)"
                if by_field and named_field and "letters" not in after[:3] and not after_letters:
                    split_after_total = split_after_total or split_only
                    weeks.append(value)
                    if named_field == "psych":
                        psych_weeks.append(value)
                    continue
                # "letters 2", "letters: now 3", "letters should be 2"
                named_before = (
                    before[-1:] == ["letters"]
                    or (before[-2:-1] == ["letters"] and before[-1] in _LINKING)
                    or (before[-3:-2] == ["letters"] and set(before[-2:]) <= _LINKING)
                )
                counts_letters = ("letters" in after[:3] or named_before) and value <= 20
                at_letters = pending == "letters_count" and not self._named_other(
                    ci, i, names, "letters_count"
                )
                named_us = bool(_US & set(after[:3]))  # "two from US doctors", "2 from the US"
                # "3 letters, two from US doctors": a US count in a message about letters counts them
                counts_letters = counts_letters or (
                    named_us and value <= 20 and (pending == "letters_count" or letters_said)
                )
                # "LORs: 2 from IM, 1 psych": after a count by writer, the next one by writer is a part too
                by_writer = bool(after[:1]) and (
                    bool(_field(after[:1]))
                    or after[0] == "medpsych"
                    or (after[0] == "from" and bool(_field(after[1:3])))
                )
                about_writers = bool(letter_parts) or pending == "letters_count" or letters_said
                counts_letters = counts_letters or (by_writer and about_writers and value <= 20)
                # a count alone in its clause takes the clause before it too ("others from iran (2)")
                context, at = (
                    (clauses[ci - 1] + tokens, len(clauses[ci - 1]) + i) if i == 0 and ci > 0 else (tokens, i)
                )
                if (
                    (counts_letters or at_letters)
                    and value <= 20
                    and not named_us
                    and self._from_home(context, at)
                ):
                    continue  # "three letters from my professors in India": no US letters counted
                if (counts_letters or at_letters) and after[:1] == ["of"] and after[1:2] in (["my"], ["the"]):
                    # "one of my LoRs is from there", "2 of my letters are psych": a part of letters not
                    # counted here, so no count
                    continue
                if (counts_letters or at_letters) and value <= 20 and before[-1:] == ["x"] and letter_counts:
                    continue  # "4 (IM x2, family med, psych)": a multiplier of a writer, not another count
                weeks_named = not counts_letters and {"wk", "mo"} & set(before[-2:])  # "weeks 8 not 4"
                # "the neuro one fell through", "that one": a letter pointed at, no count of letters
                pointed = (
                    value == 1 and {"the", "that", "this"} & set(before[-2:]) and after[:1] != ["letters"]
                )
                if (counts_letters or at_letters or letters_said) and pointed:
                    continue
                if (counts_letters or at_letters) and value <= 20 and not weeks_named:
                    if named_us:
                        us_letters.append(value)  # beside a total, the letters the question counts
                    if by_writer and not named_us:
                        letter_parts.append(value)  # "2 (1 IM, 1 psych)": a part of the count
                    elif after[:1] == ["more"] and (_STILL_WANTED | self.hedges) & set(tokens):
                        pass  # "i need 2 more letters", "i have 2, hoping to get 1 more": not in hand yet
                    elif _WANTING & set(before[-4:]) or (
                        before[-1:] == ["get"] and {"can", "to", "could"} & set(before[-3:-1])
                    ):
                        pass  # "none yet, still hunting for an obs so i can get one": wanted, not had
                    elif self.hedges & set(before) and {"write", "writes", "give", "gives"} & set(
                        before[-2:]
                    ):
                        pass  # "my PD said he might write one, and maybe the CL attending too": not yet had
                    elif letter_counts and (
                        after[:1] == ["more"]
                        or (before[-1:] in (["and"], ["plus"]) and _PROMISED & set(after[:5]))
                        or _PROMISED & set(before[-2:])  # "one in hand ... my psych attending promised one"
                    ):
                        # "2 in hand, 1 more promised", "2 na po, and 1 pa na promised"
                        letter_counts[-1] = min(letter_counts[-1] + value, 4)
                        promise_counted = True
                    elif after[:1] == ["more"] and type(answers.get("letters_count")) is int:
                        letter_counts.append(min(answers["letters_count"] + value, 4))  # "got 1 more letter"
                    else:
                        letter_counts.append(min(value, 4))
                        if after[:2] == ["letters", "from"] and _field(after[2:5]):
                            writer_counted.append(value)  # "two letters from IM attendings and one from ..."
                    continue
                unit_at = max((j for j, t in enumerate(before) if t in ("wk", "mo")), default=-1)
                # "weeks should be 12" names the weeks; "last week: 218" is a date, not a count of weeks
                named = (
                    unit_at >= 0
                    and set(before[unit_at + 1 :]) <= _LINKING
                    and before[unit_at - 1 : unit_at] not in (["last"], ["this"], ["next"], ["a"], ["per"])
                    and unit_at >= len(before) - 3
                    and value <= 260
                )
                if named and before[unit_at - 1 : unit_at] == ["psych"]:
                    share.append(value * 4 if before[unit_at] == "mo" else value)  # "psych weeks is 6"
                    continue
                if named:
                    # "weeks should be 12 not 8", "usce weeks: 12"
                    weeks.append(value * 4 if before[unit_at] == "mo" else value)
                    week_clauses.add(ci)
                    continue
                # "may 4 weeks" is "maybe": may is a month only before a year ("may 2 2025")
                before_year = bool(after) and after[0].isdigit() and len(after[0]) == 4
                month_before = (
                    bool(before) and before[-1][:3] in _MONTHS and (before[-1] != "may" or before_year)
                )
                if value <= 31 and (month_before or (bool(after) and after[0][:3] in _MONTHS)):
                    continue  # "jul 2 2025", "2 july": a day of a date
                if YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
                    carried = clauses[ci - 1] if ci > 0 else []  # "next season is when i apply (june 2028)"
                    timing = self._year(
                        value, [*carried, *tokens], today, bare=pending == "timing", at=len(carried) + i
                    )
                    if timing is not None:
                        found.setdefault("timing", timing)
                    elif pending == "timing" or _TIMING_WORDS & set(tokens):
                        readings = self._year_readings(value, today) if pending == "timing" else None
                        if readings is not None:  # a bare "2028": its Match, or the year they apply?
                            refused = refused or ("timing_year", (value, *readings))
                        elif (
                            pending in ("timing", None)
                            and (_TIMING_WORDS & set(tokens) or len(tokens) <= 3)  # not "TOEFL from 2025"
                            and value < self._opening(today)
                            and not (_DONE_WORDS | {"applied", "matched", "didnt", "unmatched"}) & set(tokens)
                        ):
                            # "this coming september 2025 cycle" in December 2026: that season is gone
                            refused = refused or ("timing_past", value)
                    continue
                carried = clauses[ci - 1][-2:] if i == 0 and ci > 0 else []  # "toefl, 105"
                if _ENGLISH_TESTS & set(before[-3:] + carried):
                    continue  # "toefl 110", "ielts 7": an English test score
                limit = {"letters_count": 20, "usce_weeks": 260, "usce_psych_weeks": 260}.get(corrected or "")
                kin = {corrected, *self.parents.get(corrected or "", ())}  # "usce total" names the weeks
                other_name = any(
                    n.clause == ci and abs(n.start - i) <= NEAR and n.phrase.question not in kin
                    for n in names
                )
                if limit and value <= limit and value not in negated and not other_name:
                    # "usce total is 16 not 12" with 12 weeks stored: 16 replaces the weeks
                    found.setdefault(
                        corrected or "", min(value, 4) if corrected == "letters_count" else value
                    )
                    continue
                # (the twin of "i failed it once with 208" above, for a score the standard's date could
                # make a pass, said right after the failure: no date question then)
                failing_said = bool(set(before[-2:-1]) & _FAILING) or before[-3:-1] in (
                    ["failed", "ck"],
                    ["fail", "ck"],
                )
                if before[-1:] in (["with"], ["at"]) and failing_said and value < PASS_FROM_JULY_2025:
                    continue  # "I failed CK with 212": the failed attempt's score, no retake's
                if _HOPED_SCORE.search(" ".join(before[-4:])):
                    continue  # "expecting something like 225", "hoping for 230": a score still to come
                # Scores are tied by the words of the whole message ("passed ck on 3rd try, 224").
                said_failed = self._ck_failure_before(clauses, ci, i)  # "ck i failed twice, third time 222"
                owner = self._score_owner(
                    ci,
                    i,
                    names,
                    pending,
                    answers,
                    {"ck": "failed", **facts} if said_failed else facts,
                    everything,
                    tokens,
                )
                if said_failed and owner == "ck_retake" and "ck" not in facts:
                    found.setdefault("ck", "failed")
                if (
                    owner == "ck_retake"
                    and value < PASS_BEFORE_JULY_2022
                    and facts.get("ck", answers.get("ck")) != "failed"
                ):
                    owner = "ck"  # a score under every passing standard is the failed attempt
                if owner is None and corrected in ("usce_weeks", "usce_psych_weeks", "letters_count"):
                    found.setdefault(corrected, min(value, 4) if corrected == "letters_count" else value)
                    continue
                owner = owner or corrected
                if (
                    owner == "ck"
                    and pending is None
                    and answers.get("ck") == "failed"
                    and "ck" not in facts
                    and value >= PASS_BEFORE_JULY_2022
                    and not _MISTAKE & set(everything)
                    and not self._denies_ck_failure(everything, pending)
                ):
                    owner = "ck_retake"  # "my CK result came: 236" after a failure: the retake's, it stays
                if owner is None:
                    continue
                if not SCORE_RANGE[0] <= value <= SCORE_RANGE[1]:
                    if owner == pending or any(n.phrase.question in ("ck", "ck_retake") for n in names):
                        refused = refused or ("not_a_score", value)
                    continue
                if any(t in self.negators for t in before[-1:]):  # "231 not 219": the negated one goes
                    continue
                earlier = found.get(owner)
                if type(earlier) is int and earlier != value:
                    if value not in negated and self._corrected_between(everything, earlier, value):
                        found[owner] = value  # "CK 219 no sorry 229": the later value stands
                        continue
                    if earlier < PASS_BEFORE_JULY_2025 and _AFTERWARDS & set(everything):
                        # "209 then 225 on the retake": the failing score was an attempt before it
                        if owner == "ck":
                            found["ck"] = "failed"
                        found["ck_retake"] = value
                        continue
                    turned = _TURNING & set(everything)  # not "but": "226 but my roommate scored 250"
                    if turned and answers.get(owner) in (earlier, value):
                        # "the plan assumes 226 but i got 236 actually": the one not stored is the new one
                        found[owner] = earlier if answers.get(owner) == value else value
                        continue
                    conflicting.add(owner)  # "225 or 230": ask again rather than pick one
                found.setdefault(owner, value)
                scored.add((ci, i))
                if self.hedges & set(tokens) or _ROUGHLY & set(before[-2:]):
                    hedged.add(owner)  # "ck around 220 i think": a score to confirm, not to store
        old_count = answers.get("letters_count")
        spoken = " ".join(everything)
        not_in_hand = (_STILL_WANTED | self.hedges) & set(everything)  # "i may possibly get one more"
        if (
            not letter_counts
            and type(old_count) is int
            and _ONE_MORE_LETTER.search(spoken)
            and not not_in_hand
        ):
            letter_counts = [min(old_count + 1, 4)]  # "i just got another letter"
        promised = not promise_counted and _ONE_PROMISED.search(spoken)
        if len(set(letter_counts)) == 1 and promised and not not_in_hand:
            # "one in hand, and my psych attending promised one", "2 now, another one coming in june"
            letter_counts = [min(letter_counts[0] + 1, 4)]
        about_letters = False  # "letters: two in hand, but a third is promised": the clauses after it too
        for ci, tokens in enumerate(clauses):  # "a second one is promised"
            about_letters = about_letters or "letters" in tokens
            if pending == "letters_count" or about_letters:
                letter_counts += [
                    _ORDINAL_COUNTS[t]
                    for k, t in enumerate(tokens)
                    if t in _ORDINAL_COUNTS
                    and k not in supposed[ci]  # "is 6 months enough to get a 3rd letter?" asks
                    and tokens[k + 1 : k + 2]
                    not in (["try"], ["time"], ["go"], ["take"], ["question"], ["thing"], ["point"], ["part"])
                ]  # not "passed step 1 on my second attempt"
        if len(letter_counts) == 2 and self._corrected_between(everything, *letter_counts):
            letter_counts = letter_counts[1:]  # "3 letters, no wait 2"
        if not letter_counts and letter_parts:
            letter_counts = [min(sum(letter_parts), 4)]  # "2 IM 2 psych"
        elif (
            letter_counts == writer_counted
            and len(letter_counts) == 1
            and letter_parts
            and "and" in everything
        ):
            # "two letters from internal medicine attendings and one from a CL psychiatrist": three
            letter_counts = [min(letter_counts[0] + sum(letter_parts), 4)]
        # (not "two US letters in hand and a third is promised, so three": the others are to come)
        if us_letters and len(letter_counts) > len(us_letters) and not _EXPECTED & set(everything):
            letter_counts = [min(sum(us_letters), 4)]  # "3 letters, two from US doctors one from brasil"
        if len(set(letter_counts)) == 1:
            found.setdefault("letters_count", letter_counts[0])
        elif letter_counts and _EXPECTED & set(everything):
            found.setdefault("letters_count", max(letter_counts))  # "2 so far, a third is promised"
        elif letter_counts:
            refused = refused or ("ambiguous", None)
        for owner in conflicting:
            del found[owner]
            refused = refused or ("ambiguous", None)
        bare = [
            int(t)
            for ci, c in enumerate(clauses)
            for i, t in enumerate(c)
            # "eight. and I tutored for 2 years": a number with a unit of its own is no bare count
            if t.isdigit()
            and (ci, i) not in taken_back | scored | dropped  # "ck 228" at the weeks question: no weeks
            and int(t) not in negated  # "ck is 214 not 241": the old score is no count of weeks either
            and c[i + 1 : i + 2] not in _OTHER_UNITS
        ]
        if len(weeks) >= 2 and _retracted_between(everything, weeks[0], weeks[1]):
            # "8 weeks, no wait it was 6 weeks" (and "the last 2 wks got cancelled" only explains it)
            weeks = weeks[1:2] if weeks[2:] and weeks[0] == sum(weeks[1:]) else weeks[1:]
        if pending == "usce_psych_weeks":
            # Asked for the psychiatry share: one number, in weeks or months, is that share.
            old_total = answers.get("usce_weeks")
            added = (
                bool(totals)
                and type(old_total) is int
                and weeks == [totals[-1] - old_total]
                and not psych_weeks
            )
            # ("8. wait total was 14 not 12, forgot my 2 wk elective": the 2 weeks explain the new total)
            unexplained = [] if added else weeks
            share = (
                psych_weeks
                or unexplained
                or [b for b in bare if b not in {*totals, *negated, *(weeks if added else ())}]
            )
            if len(share) == 2 and _retracted_between(everything, share[0], share[1]):
                share = share[1:]  # "3, no wait, it was 4"
            if share == [0] or (
                not share and everything in (["none"], ["nothing"], ["no", "psych"], ["zero"])
            ):
                found["usce"] = "im"  # "0, i said no psych": with no psychiatry weeks it is medicine only
            elif len(share) == 1:
                found["usce_psych_weeks"] = share[0]
            if totals:  # "actually it was 12 weeks total, 4 in psych"
                found["usce_weeks"] = totals[-1]
        elif share and not weeks:
            found["usce_psych_weeks"] = share[-1]
            if totals:  # "8 total, 4 were psych"
                found["usce_weeks"] = totals[-1]
        elif (
            share
            and weeks
            and not totals
            and (im_weeks == weeks or (len(weeks) == 1 and share[-1] < weeks[0]))
        ):
            # "4 weeks in IM and 4 in psych" adds up; "8 weeks, 4 of them psych" is the total and its share
            found["usce_weeks"] = sum(weeks) + share[-1] if im_weeks == weeks else weeks[0]
            found["usce_psych_weeks"] = share[-1]
        elif len(stated) == 1 and not totals:
            found["usce_weeks"] = stated[0]
        elif totals:
            found["usce_weeks"] = totals[-1]
            if psych_weeks and sum(psych_weeks) < totals[-1]:
                found["usce_psych_weeks"] = sum(psych_weeks)
        elif split_after_total and weeks[0] != sum(weeks[1:]):
            # "12 weeks. 6 IM 4 psych 2 FM": the total said; the share is asked
            found["usce_weeks"] = weeks[0]
        elif len(weeks) >= 3 and weeks[-1] == sum(weeks[:-1]):
            found["usce_weeks"] = weeks[-1]  # "4 wk IM + 4 wk psych. so like 8 wks?": the total last
            if psych_weeks and sum(psych_weeks) < weeks[-1]:
                found["usce_psych_weeks"] = sum(psych_weeks)
        elif len(weeks) >= 3 and weeks[0] == sum(weeks[1:]):
            found["usce_weeks"] = weeks[0]  # "twelve weeks, eight of IM and four psych": the total first
            if psych_weeks and sum(psych_weeks) < weeks[0]:
                found["usce_psych_weeks"] = sum(psych_weeks)
        elif (
            len(weeks) == 1
            and answers.get("usce") == "both"
            and pending is None
            and (psych_weeks or im_weeks)
        ):
            # with Both stored, one field's weeks are that field's share, not the total: "psych was 6 weeks
            # not 4" is the psychiatry share, "i already did 8 wks IM" leaves the 12 in total
            share_stored = answers.get("usce_psych_weeks")
            if psych_weeks:
                found["usce_psych_weeks"] = weeks[0]
            elif type(share_stored) is int and weeks[0] + share_stored != answers.get("usce_weeks"):
                found["usce_weeks"] = weeks[0] + share_stored
        elif (
            pending == "usce_weeks"
            and len(weeks) == 2
            and psych_weeks == weeks[1:]
            and fieldless_weeks == weeks[:1]
            and weeks[1] < weeks[0]
        ):
            # "12 weeks, psych 4" at the total: the weeks of no field are the total, the psych ones its share
            found["usce_weeks"], found["usce_psych_weeks"] = weeks
        elif (
            weeks == fieldless_weeks
            and len(weeks) == 2
            and weeks[0] == weeks[1]
            and not _SUMMING & set(everything)
            and {"mo", "wk"} <= set(everything)  # the same time in other units; "4 weeks, 4 weeks" are two
        ):
            found["usce_weeks"] = weeks[0]  # "2 months (8 weeks)", "6 meses, six months": said twice
        elif weeks:
            found["usce_weeks"] = sum(weeks)
            if psych_weeks and len(psych_weeks) < len(weeks):
                found["usce_psych_weeks"] = sum(psych_weeks)
        elif pending == "usce_weeks" and len(bare) == 1 and _stands_alone(clauses, bare[0]):
            found.setdefault("usce_weeks", bare[0])
        elif (
            pending == "usce_weeks"
            and len(clauses) > 1
            and len(clauses[0]) == 1
            and clauses[0][0].isdigit()
            and clauses[1][0] != "or"  # "8?? or 12 i forget" is no answer
            # "3. wait no 12", "8?? not sure": taken back or doubted
            and not (self.cues | self.negators | self.hedges) & {t for c in clauses[1:] for t in c}
        ):
            found.setdefault("usce_weeks", int(clauses[0][0]))  # "6. my research is done": a reply first
        if len(bounds) == 1 and "usce_weeks" not in found:
            found["usce_weeks"] = bounds[0]
        old_weeks = answers.get("usce_weeks")
        if extra and "usce_weeks" not in found and type(old_weeks) is int:
            found["usce_weeks"] = old_weeks + sum(extra)  # "i did 4 more weeks" on top of the 6 given
        total = found.get("usce_weeks", answers.get("usce_weeks"))
        halved = any(
            t == "half"
            and {"psych", "cl", "them", "it"} & set(c[max(0, k - 2) : k + 4])
            and c[k - 1 : k] not in (["than"], ["over"], ["under"])  # "less than half of them": no share
            for c in clauses
            for k, t in enumerate(c)
        )
        if (
            halved
            and "usce_psych_weeks" not in found
            and pending in ("usce_weeks", "usce_psych_weeks")
            and type(total) is int
            and total % 2 == 0
        ):
            found["usce_psych_weeks"] = total // 2  # "16 total, half of it psych", "half of them"
        for qid in ("usce_weeks", "usce_psych_weeks"):
            if qid in found and type(found[qid]) is int and not 1 <= found[qid] <= 260:
                del found[qid]
        if practice_seen and pending in ("ck", "ck_retake") and pending not in found:
            refused = refused or ("practice_score", None)
        return found, refused, hedged

    def _practice_score(self, tokens: list[str], i: int) -> bool:
        """Return whether the number at *i* is a practice-exam score: a practice exam named up to three
        words before it (no _PRACTICE_BREAK word between), or right after it ("245 on uwsa", "was a
        practice test")."""
        if (
            tokens[i + 1 : i + 2] in (["and"], ["to"], ["or"])
            and tokens[i + 2 : i + 3]
            and tokens[i + 2].isdigit()
        ):
            return self._practice_score(tokens, i + 2)  # "between 215 and 225 on my nbmes": one range
        rest = tokens[i + 1 :]
        while rest[:1] and rest[0] in _PRACTICE_LINK:
            rest = rest[1:]
        skipped = len(rest) < len(tokens) - i - 1
        if rest[:1] and rest[0] in _PRACTICE_ORDINALS and skipped and not self._practice_at(rest):
            rest = rest[1:]  # "245 on my second nbme", "240 on new nbme" (not "245 on free 120")
        for phrase in self.practice:
            n = len(phrase)
            for start in range(max(0, i - 3 - n), i):
                between = tokens[start + n : i]
                if tuple(tokens[start : start + n]) == phrase and not _PRACTICE_BREAK & set(between):
                    return True
            if tuple(rest[:n]) == phrase:
                return True
        return False

    def _replaced_numbers(self, clauses: list[list[str]]) -> dict[tuple[int, int], tuple[int, int]]:
        """Return where a number replaces the one before it across take-back words ("4 wks.. scratch that,
        10", "ck 221 sorry 231"): only a unit between the first number and the words, and nothing after
        the second but a unit ("8 weeks, actually 4 were psych" takes nothing back)."""
        flat = [(ci, i) for ci, c in enumerate(clauses) for i in range(len(c))]
        words = [clauses[ci][i] for ci, i in flat]
        found = {}
        for k, word in enumerate(words):
            ci, i = flat[k]
            if not word.isdigit() or (
                clauses[ci][i + 1 : i + 2] and clauses[ci][i + 1] not in _REPLACED_AFTER
            ):
                continue
            cue = next(
                (c for c in self.replacing_words if k >= len(c) and tuple(words[k - len(c) : k]) == c), None
            )
            if cue is None:
                continue
            j = k - len(cue) - 1
            first_unit = words[j] if j >= 0 and words[j] in _REPLACED_UNITS else None
            j -= first_unit is not None
            after = clauses[ci][i + 1 : i + 2]
            second_unit = after[0] if after and after[0] in _REPLACED_UNITS else None
            # the same kind of number ("ck 240, sorry 3 letters too" corrects nothing: a score, then letters)
            alike = j >= 0 and words[j].isdigit() and second_unit in (None, first_unit)
            if alike and (int(words[j]) >= 100) == (int(word) >= 100):
                found[flat[k]] = flat[j]
        return found

    def _practice_at(self, words: list[str]) -> bool:
        """Return whether *words* open with a practice exam's name ("free 120 ...")."""
        return any(tuple(words[: len(phrase)]) == phrase for phrase in self.practice)

    def _placed_home(self, tokens: list[str], end: int) -> bool:
        """Return whether a clause places the experience named up to *end* outside the US ("my home
        country work", "a medicine ward at Dhaka Medical"): a home place right after it, or the home
        country named, and no US place ("IM externship in Chicago after my internship in India" is US)."""
        if _US & set(tokens):
            return False
        # ("IM externship in Chicago after my internship in India": the internship is too far to place it)
        around = f" {' '.join(tokens[max(0, end - 6) : end + 4])} "
        if any(f" {w} " in around for w in self.home_experience):
            return True
        near = f" {' '.join(tokens[end : end + 4])} "
        return any(f" in {w} " in near or f" at {w} " in near for w in self.home_places)

    def _from_home(self, tokens: list[str], i: int) -> bool:
        """Return whether the letters counted at *i* are placed outside the US by the words after it
        ("2 from india") or right before it ("others from iran (2)"), unless they are called US letters
        ("2 us letters")."""
        if "us" in tokens[i + 1 : i + 3]:
            return False
        after = f" {' '.join(tokens[i + 1 : i + 15])} "
        before = f" {' '.join(tokens[max(0, i - 3) : i])} "
        return any(f" {w} " in after or f" from {w} " in before for w in self.home_letters)

    def _named_other(self, ci: int, i: int, names: list[Hit], qid: str) -> bool:
        return any(n.clause == ci and abs(n.start - i) <= NEAR and n.phrase.question != qid for n in names)

    def _ck_failure_before(self, clauses: list[list[str]], ci: int, i: int) -> bool:
        """Return whether the message says the CK was failed before this number ("ck i failed twice 😭
        third time 222"), with the CK named first and the failure not denied ("didnt fail")."""
        words = [t for c in clauses[:ci] for t in c] + clauses[ci][:i]
        if "ck" not in words:
            return False
        after = words[len(words) - words[::-1].index("ck") :]
        return any(w in _FAILING and not (k and after[k - 1] in self.negators) for k, w in enumerate(after))

    def _denies_ck_failure(self, tokens: list[str], pending: str | None) -> bool:
        """Return whether the message denies failing the CK ("i didnt fail ck", "never failed step 2")."""
        if "ck" not in tokens and pending not in ("ck", "ck_retake"):
            return False
        if _AGAIN & set(tokens):
            return False  # "i did not fail again, 231", "didnt fail this time": the retake passed
        denied = [
            any(t in self.negators for t in tokens[max(0, k - 2) : k])
            # "I tapped failed by mistake, I passed first time with 226": the failure was a wrong tap
            or (
                tokens[k - 1 : k] in (["tapped"], ["pressed"], ["clicked"], ["chose"])
                and "mistake" in tokens[k : k + 4]
            )
            for k, w in enumerate(tokens)
            if w in _FAILING
            # "i never failed CK!! it was step 1 i failed": a failure of Step 1 is no CK failure
            and not ("step1" in tokens[max(0, k - 3) : k] or tokens[k + 1 : k + 2] == ["step1"])
        ]
        return any(denied) and all(denied)  # "didnt fail step 1 but failed ck" still failed one

    def _score_owner(
        self,
        ci: int,
        i: int,
        names: list[Hit],
        pending: str | None,
        answers: dict[str, Any],
        facts: dict[str, Any],
        tokens: list[str],
        clause: list[str],
    ) -> str | None:
        """Return which score question a number belongs to: ck, ck_retake, or none."""
        near = [n for n in names if n.clause == ci and abs(n.start - i) <= NEAR + 1]
        # "248 but step 1 was rough": a name past a "but" is about something else.
        near = [n for n in near if not _CONTRAST & set(clause[min(i, n.start) : max(i, n.start)])]
        near_q = {n.phrase.question for n in near}
        if "step1" in near_q and "ck" not in near_q:
            return None  # an old Step 1 score says nothing the questionnaire asks
        ck_at = [n.start for n in near if n.phrase.question in ("ck", "ck_retake")]
        step3_at = [j for j, t in enumerate(clause) if t == "step3" and abs(j - i) <= NEAR + 1]
        if step3_at and not (ck_at and min(abs(j - i) for j in ck_at) < min(abs(j - i) for j in step3_at)):
            return None  # "ck 251 first try, step 3 also passed 230": the 230 is Step 3's
        if pending == "step1" and not any(
            n.phrase.question in ("ck", "ck_retake") and n.phrase.tokens not in _SCORE_WORDS for n in names
        ):
            # "passed on my first sitting with a 206", "when it was still scored, 221" at the Step 1
            # question: an old Step 1 score
            return None
        if self._denies_ck_failure(tokens, pending):
            return "ck"  # "wait i didnt fail ck, i got 231" at the retake question: the CK itself
        failed_ck = facts.get("ck", answers.get("ck")) == "failed"
        retake_words = {
            "retake",
            "retook",
            "since",
            "second",
            "third",
            "try",
            "again",
            "passed",
            "pass",
            "then",
        }
        if pending == "ck_retake" or (failed_ck and retake_words & set(tokens)):
            return "ck_retake"
        if "ck" in near_q or pending == "ck":
            return "ck"
        if self.cues & set(tokens) and type(answers.get("ck_retake")) is int:
            return "ck_retake"  # "oops i meant 231": a correction of the score already given
        if self.cues & set(tokens) and type(answers.get("ck")) is int:
            return "ck"
        counting = pending in self.questions and self.questions[pending].kind == "number"
        if not counting and any(t in ("score", "scored", "ck") for t in tokens):
            return "ck"
        return None

    def _year(
        self, year: int, tokens: list[str], today: date, bare: bool = False, at: int = -1
    ) -> str | None:
        """Map "the 2028 match" / "apply in 2027" / "sept 2027" (the year at *at* in *tokens*) to this,
        next or a later season."""
        opening = self._opening(today)
        # only a month right beside the year dates it ("took ck in march 2026, applying 2027" does not)
        beside = [tokens[j] for j in (at - 1, at + 1) if 0 <= j < len(tokens) and at >= 0]
        months = [m for m in map(_month, (t for t in beside if t != "may")) if m is not None]
        applying = _APPLY_WORDS & set(tokens)
        starting = {"start", "starting"} & set(tokens) and not applying  # not "start applying in sept"
        # the cue nearest the year says what it is: "apply in 2028 for the 2029 match" names both
        cues = sorted((abs(j - at), t in _APPLY_WORDS) for j, t in enumerate(tokens) if t in _YEAR_CUES)
        nearest_applies = cues[0][1] if cues and at >= 0 else bool(applying)
        match_year = bool({"match", "cycle"} & set(tokens)) and not (applying and nearest_applies)
        if starting or (match_year and not months):
            offset = year - (opening + 1)  # residency starts in July of the Match year
        elif months:  # "submit eras in september 2027" applies that season; "march 2028" is its Match
            offset = year - opening - (months[0] < self.season_open_month)
        elif "eras" in tokens and not (applying and nearest_applies):
            offset = year - (opening + 1)
        elif applying or "season" in tokens or (bare and year != opening + 1):
            offset = year - opening  # a bare year is when they apply, unless it could be either
        else:
            return None  # a bare "2028" is this season's Match or next season's applications
        if offset < 0:
            return None
        return _SEASONS[offset] if offset < 2 else "later"

    def _opening(self, today: date) -> int:
        """Return the year of the application season still to open (this coming season)."""
        return today.year if today.month < self.season_open_month else today.year + 1

    def _year_readings(self, year: int, today: date) -> tuple[str, str] | None:
        """Return the season a bare *year* means as its Match and as the year of applying, if both are
        still to come."""
        opening = self._opening(today)
        offsets = (year - (opening + 1), year - opening)
        if min(offsets) < 0:
            return None
        return tuple(_SEASONS[o] if o < 2 else "later" for o in offsets)  # type: ignore[return-value]

    def _settle(
        self,
        facts: dict[str, Any],
        answers: dict[str, Any],
        doubt: dict[str, Any],
        clauses: list[list[str]],
        pending: str | None,
    ) -> None:
        """Apply the rules that tie answers together (a CK below the pass mark is a failure)."""
        for qid in [q for q in doubt if facts.get(q) == doubt[q]]:
            del doubt[qid]  # "next season (june 2028)": the year makes the words clear
        for qid in ("ck", "ck_retake"):
            value = facts.get(qid)
            if type(value) is int and value < PASS_FROM_JULY_2025:
                facts.pop(qid)
                rose = rise_for(value)[0] if value >= PASS_BEFORE_JULY_2022 else None
                # the date beside the score, not one about Step 1 earlier in the message ("i failed first
                # time in 2023 and passed in 2024. my ck is 216")
                at = next((i for i, c in enumerate(clauses) if str(value) in c), None)
                # ("took ck in march 2023, got 215"; "second attempt was 2016, 216" asked about the CK: a
                # clause before that names the CK, or an attempt while the CK is asked, counts too)
                before = set(clauses[at - 1]) if at else set()
                sitting = pending in ("ck", "ck_retake") and bool(before & _SITTING) and "step1" not in before
                named = "ck" in before or sitting
                first = at - 1 if at and named else at
                dated = clauses if at is None or first is None else clauses[first : at + 2]
                taken = _taken_before(dated, rose) if rose else None
                if taken is None:
                    doubt[qid] = value  # asked: "a failure?" or "taken before the standard rose?"
                else:  # "215, march 2023": the date the message gives settles it
                    facts[qid] = doubt_rules.settle(qid, value, taken)[1]


# Words for sitting a test: a date in the clause before a score with one of these is when it was taken.
_SITTING = frozenset(
    {"try", "attempt", "retake", "resit", "took", "taken", "sat", "wrote", "gave", "exam", "test"}
)
# one letter still to come, said with "one" as a pronoun (a counted "1 more promised" is read as a count)
_ONE_PROMISED = re.compile(
    r"\b(promised|promise|promises|will write|writing|agreed to write|confirmed) (me )?(another )?(one|1)\b"
    r"|\banother( one)? (is |was )?(promised|coming|confirmed|pending|on the way)\b"
)
# words that open a clause about what the clause before named ("..., it's from the program director")
_BACK_REFERENCE = (["its"], ["it"], ["thats"], ["from"], ["which"], ["she"], ["he"])
# words that take back the number right after them ("scratch the 218", "ignore that 4")
_TAKE_BACK = {"scratch", "ignore", "forget", "remove", "delete", "erase", "drop", "disregard"}
# words after a number that make it a line drawn, not a result ("the 220 cutoff")
_A_LINE = {"thing", "cutoff", "cutoffs", "line", "rule", "threshold", "barrier", "filter", "filters"}
# "take academic off my goals", "cross the TOEFL out": a removal around what it removes
_TAKE_OFF = re.compile(
    r"\b(?:take|cross|strike)\s+((?:the\s+|my\s+)?[a-z0-9-]+(?:\s+[a-z0-9-]+)?)\s+(?:off|out)\b"
)
_ONE_MORE_LETTER = re.compile(r"\b(another|1 more|one more|new) (letters?|(one )?from)\b")
# "IM? no, psych": a value of at most three words asked, then "no" and what is meant instead
_ASKED_THEN_REFUSED = re.compile(r"^\s*(\S+(?:\s+\S+){0,2}?)\s*\?+\s*(?:no+|nope|nah)\b[\s,.!-]*(?=\S)", re.I)
_LEADING_YES_NO = re.compile(r"^\s*(?:no+|nope|nah|yes|yeah|yep|yup)\b[\s,.!]*(?=\S)", re.IGNORECASE)
# Units that make a number something other than weeks or letters ("for 2 years", "failed 2 times").
_OTHER_UNITS = [
    [u] for u in ("years", "year", "yr", "times", "days", "hours", "papers", "student", "students", "try")
]
# Words that hope for what is still to come ("third attempt in february inshallah")
# words right before a score that make it one hoped for, not one received ("expecting around 225")
_HOPED_SCORE = re.compile(
    r"(?:^| )(?:(?:expecting|expect|anticipating|predicting)(?: something)?(?: like| around| about| maybe)?"
    r"|(?:hoping|aiming|aim|wish|need|needed)(?: to (?:get|score|hit|reach|cross))?"
    r"(?: for| at least| around| about| a)?"
    r"|(?:want|wanted) to (?:get|score|hit|reach|cross)(?: at least| around| about| a)?"  # not "the score I wanted"
    r"|hope (?:for|to (?:get|score|hit|reach|cross))(?: at least| around| about| a)?"  # not "i hope 230 is enough"
    r"|(?:praying|pray) (?:for|to (?:get|score|hit|reach|cross))(?: at least| around| about| a)?"
    r"|(?:target|targeting|goal)(?: is| of| score| score is)?"
    r"|hopefully(?: i| i will| i ll)?(?: get| score| hit| cross| reach)?(?: at least| around| about| a)?)$"  # "hopefully 230+"
)
_HOPING = {"inshallah", "insha", "inshaallah", "hopefully", "next", "soon", "upcoming", "coming"}
_FUTURE = {
    "booked",
    "booking",
    "planned",
    "planning",
    "scheduled",
    "upcoming",
    "starting",
    "will",
    "hoping",
    "hope",
    "pending",
    "expect",
    "expecting",
    # "I'll sit OET before I apply" ("i'll" loses its apostrophe), "gonna take IELTS", "registered for OET"
    "gonna",
    "shall",
    "intend",
    "intending",
    # "just got accepted for a 4wk psych externship in january", "the externship is confirmed"
    "accepted",
    "confirmed",
    # "her IM observership starts next month inshallah"
    "starts",
    "begins",
    "commences",
}
# words before a feeling that take it back ("no worries", "not stressed", "dont worry", "not too worried")
_MUTE_FEELING = {
    "dont",
    "don",
    "never",
    "nothing",
    "without",
    "isnt",
    "arent",
    "wasnt",
    "nor",
}  # and the negators
_DEGREE = {"too", "so", "very", "that", "really", "much", "at"}
_MODAL_FUTURE = {"will", "gonna", "shall", "intend", "intending"}
# kinds of USCE that also name it: a kind only beside the field they were in
_KIND_BY_NAME = {
    ("externship",),
    ("externships",),
    ("sub", "i"),
    ("subi",),
    ("subinternship",),
    ("sub", "internship"),
    ("observership",),
    ("observerships",),
}
_TIMING_WORDS = {"apply", "applying", "application", "cycle", "season", "eras", "match"}
_DONE_WORDS = {"did", "done", "completed", "finished", "last", "ago", "was", "were", "had", "took"}
_RETAKE_WORDS = {"retake", "retaking", "retaken", "retook"}
# a time from now ("in 2 months", "within 3 weeks"), not a length ("4 weeks in IM", "in 2 months of IM")
_FROM_NOW = re.compile(r" (?:in|within) \d+ (?:wk|mo) (?!of )")
# a modal in a clause that describes the thing just named: "an externship that I will start in june"
_RELATIVE_MODAL = re.compile(
    r" (?:that|which) (?:(?:i|we|iam|im) )?(?:will|gonna|shall|intend|intending|am going to) "
)
# words that add one amount of weeks to another ("4 weeks and 4 weeks", "8 weeks then 8 more")
_SUMMING = {"and", "plus", "another", "more", "each", "then", "also", "other", "second", "both", "rotations"}
# words that say an answer given was a mistake (not "update", "also": those add to it)
_MISTAKE = {
    "mistake",
    "wrong",
    "meant",
    "mean",
    "oops",
    "sorry",
    "tapped",
    "pressed",
    "clicked",
    "misclicked",
}
_MISTAKE |= {"actually", "instead", "typo", "correction", "accidentally"}
_SCORE_WORDS = {("score",), ("scored",), ("scores",)}  # CK's names that any exam's score shares
_NONE_VALUES = {"none", 0, "not_yet", "not_taken"}  # "none of these" at a follow-up is not the parent's none
_YES_NO = {("yes",), ("no",), ("nope",), ("yeah",), ("yep",), ("nah",)}
_LINKING = {
    "wrong",  # "weeks are wrong, it is 16"
    "incorrect",
    "to",
    "its",
    "it",
    "is",
    "are",
    "was",
    "were",
    "should",
    "be",
    "now",
    "actually",
    "total",
    "about",
    "around",
    "like",
}
_ORDINAL_COUNTS = {"second": 2, "third": 3, "fourth": 4, "fifth": 4}
# words that put an English test in the future ("taking OET in march", "will sit IELTS")
_TEST_TO_COME = {
    "taking",
    "will",
    "planning",
    "booked",
    "scheduled",
    "registered",
    "preparing",
    "prepping",
    "studying",
    "sitting",
    "upcoming",
    "plan",
    "gonna",
    "going",
}
# words beside a green card that say it is not held yet, whatever else is said
_CARD_PENDING = {"pending", "applied", "interview", "processing", "waiting", "filed"}
# ... and words that say so unless a word of holding it is there too ("green card holder, citizen soon")
_CARD_FUTURE = {"will", "soon", "yet", "depends", "sure", "maybe", "hopefully", "expecting", "getting", "if"}
_CARD_FUTURE |= {"must", "need", "get", "hoping", "want", "apply", "applying"}
_HELD = {"have", "has", "had", "got", "holder", "hold", "holding", "am", "im", "iam", "received", "since"}
_HELD |= {"approved", "permanent", "resident", "already", "became", "married", "obtained", "arrived", "came"}
# words that place a letter on its way: a count said with one comes on top of the letters in hand
_PROMISED = {"promised", "confirmed", "confirm", "agreed", "coming", "pending"}
_EXPECTED = _PROMISED | {"expect", "expecting", "expected", "another", "will", "soon", "more"}
# words between a practice exam and a number that make the number the real result ("after 6 nbmes i got 231")
_PRACTICE_BREAK = {
    "ck",
    "step",
    "real",
    "got",
    "scored",
    "score",
    "and",
    "then",
    "exam",
    "finally",
    "actual",
    "i",
}
_STILL_WANTED = {
    "need",
    "needs",
    "looking",
    "trying",
    "want",
    "wants",
    "hoping",
    "hope",
    "searching",
    "seeking",
    "should",
}
# right before an answer word, the words that make it something wanted, not had ("i need more hands on")
_WANTING = _STILL_WANTED - {"trying", "searching", "seeking", "should"}
_TOO_MUCH = re.compile(
    r"\btoo (?:many|much|few|little|late|early|soon|low|high|long|short|bad|hard|weak|competitive|old)\b"
)
_ADDING = {"also", "too", "another", "plus", "add", "added", "additionally", "aswell", "forgot"}
# what may stand between a number and the words that replace it, or after the number that replaces it
_REPLACED_UNITS = {"wk", "mo", "letters", "weeks", "total"}
_REPLACED_AFTER = _REPLACED_UNITS | {"not", "only"}
# words between a number and the practice exam after it ("245 on uwsa", "the 221 was a practice test")
_PRACTICE_LINK = _LINKING | {"a", "my", "on", "in", "the", "from", "at", "only", "just"}
# after one of those: "245 on my second nbme" (not "my ck is 228 last nbme was 240": that one follows the score)
_PRACTICE_ORDINALS = {
    "first",
    "second",
    "third",
    "fourth",
    "last",
    "latest",
    "recent",
    "newest",
    "new",
    "old",
}
# Nouns a small number can count that no question asks about ("3 hospitals", "2 sites")
_COUNTED_THINGS = {
    "hospitals",
    "hospital",
    "sites",
    "places",
    "clinics",
    "cities",
    "states",
    "programs",
    "institutions",
    "centers",
    "centres",
    "universities",
    "countries",
    "kids",
    "children",
    "patients",
    "papers",
    "projects",
    "hours",
    "hour",
    "hrs",
    "hr",
    "nights",
    "minutes",
    "mins",
}
_TOTAL_WORDS = {"total", "totally", "altogether", "overall", "sum"}  # words that can only mean a total
_TOTAL = _TOTAL_WORDS | {"equals", "so"}
_CONTRAST = {"but", "though", "although", "while", "whereas", "however"}
_ENGLISH_TESTS = {"toefl", "ielts", "oet", "pte", "duolingo", "band", "ibt"}
_AFTER_A_COUNT = {
    "total",
    "overall",
    "or",
    "so",
    "approx",
    "about",
    "roughly",
    "ish",
    "in",
    "and",
    "altogether",
}


def _spans_a_name(hit: Hit, names: list[Hit]) -> bool:
    """Return True when a gapped phrase's gap holds a name of a question the phrase does not answer."""
    if None not in hit.phrase.tokens:
        return False
    return any(
        n.clause == hit.clause
        and hit.start < n.start
        and n.end < hit.end
        and n.phrase.question != hit.phrase.question
        for n in names
    )


def _names_a_number(name: Hit, clauses: list[list[str]]) -> bool:
    """Return True when a question's name is followed by its number ("psych weeks is 6")."""
    after = [t for t in clauses[name.clause][name.end : name.end + 4] if t not in _LINKING]
    return bool(after) and after[0].isdigit()


def _counted(hit: Hit, clauses: list[list[str]]) -> bool:
    """Return True when a number stands just before the phrase ("4 in psych", "8 wks IM")."""
    return any(t.isdigit() for t in clauses[hit.clause][max(0, hit.start - 2) : hit.start])


def _without_untaken(readings: dict[str, Any]) -> dict[str, Any]:
    """Return *readings* without a Step 2 CK or retake read as not taken / not yet passed."""
    return {
        k: v for k, v in readings.items() if k not in ("ck", "ck_retake") or v not in ("not_taken", "not_yet")
    }


def _every_option(question: Question) -> list[Any]:
    """Return the options "all of them" ticks: every one but the exclusive kind ("none of these")."""
    return [o.value for o in question.options if o.value not in question.exclusive]


def _some_writers(facts: dict[str, Any], hits: list[Hit], clauses: list[list[str]]) -> bool:
    """Return True when the writers named account for fewer letters than the count the message gives."""
    count, writers = facts.get("letters_count"), facts.get("letters_from")
    if type(count) is not int or not isinstance(writers, list):
        return False
    named = sorted(
        (h for h in hits if h.phrase.question == "letters_from" and h.phrase.value in writers),
        key=lambda h: (h.clause, h.start),
    )
    letters, previous = 0, None
    for hit in named:
        if previous is not None and hit.overlaps(previous):
            continue  # "psych attending" and "psych": one writer
        tokens = clauses[hit.clause]
        since = previous.end if previous is not None and previous.clause == hit.clause else 0
        # the count just before a writer is that writer's letters ("one of them from a CL attending",
        # "2 from IM"); a writer with none before it ("IM and psych") may have written any number
        share = next(
            (
                int(t) if t.isdigit() else 1
                for t in reversed(tokens[since : hit.start])
                if t.isdigit() or t in _ONE_LETTER
            ),
            None,
        )
        if share is None and _WROTE_ONE.match(" ".join(tokens[hit.end : hit.end + 5])):
            share = 1  # "the psych attending wrote me a letter, so i have 2": one of the two
        if share is None:
            return False
        letters += share
        previous = hit
    return bool(named) and letters < count


def _before_unit(hit: Hit, clauses: list[list[str]]) -> bool:
    """Return True when a number phrase is followed by weeks or months ("6 wks")."""
    last = hit.phrase.tokens[-1]
    return bool(last and last.isdigit()) and clauses[hit.clause][hit.end : hit.end + 1] in (["wk"], ["mo"])


# Small talk that is itself a question, so it is recognised in a message that asks.
_ASKING_TALK = {"bot_identity", "creator", "how_are_you", "why_asked"}
_ROUGHLY = {"around", "about", "approx", "approximately", "roughly", "like", "maybe", "prob", "probably"}
_FAILING = {"failed", "fail", "fails", "failing", "flunked"}
_AFTERWARDS = {"then", "retake", "retook", "retaking", "later", "after", "second", "again", "now"}
_REQUEST = re.compile(
    r"^(?:\w+ )?(?:can|could|may) (?:we|i|u|you)\b|^(?:pls|please|plz|i want to|i need to|let me)\b"
)
_US = {"us", "usa", "american", "america"}
_PURPOSE = {("so", "that"), ("in", "order"), ("to", "do"), ("to", "get"), ("to", "complete")}
# words after "both" that make it a determiner ("both are internal medicine", "both my letters")
_BOTH_OF = {"are", "were", "my", "the", "letters", "attendings", "writers", "from", "letter"}
_STUDY_WORDS = {"qi", "project", "research", "study", "paper", "poster", "audit", "publication", "screening"}
_SCORED = {"ck", "ck_retake"}  # the CK and its retake: a story of attempts, as Step 1 is
_REST_WERE_IM = re.compile(r" (?:were|was|are|is) (?:in |all |on )?(?:im|medicine|internal) ")
_ALL_BUT = re.compile(r" all (?:of them |of it |the weeks )?(?:but|except|minus|apart from|save) (\d+) ")
_ROUGH_LINKS = {
    "was",
    "is",
    "more",
    "like",
    "about",
    "around",
    "roughly",
    "actually",
    "really",
    "closer",
    "to",
    "now",
}
# words between a denial and what it denies that only say "an ordinary one" ("not a regular psych attending")
_PLAIN = {
    "regular",
    "real",
    "proper",
    "actual",
    "typical",
    "normal",
    "pure",
    "usual",
    "standard",
    "traditional",
}
_SEASONS = ("this_season", "next_season")
# Kind words that only name a block of experience: with a kind given, they do not change it
_ONLY_A_BLOCK = frozenset({("rotation",), ("rotations",), ("elective",), ("electives",)})
# ... unless the message sets them against observing ("the usce was electives not observerships")
_OBSERVING_WORDS = frozenset(
    {"observership", "observerships", "observing", "obs", "observation", "shadowing"}
)
_APPLY_WORDS = frozenset({"apply", "applying", "application", "submit"})
_YEAR_CUES = _APPLY_WORDS | {"match", "cycle", "eras"}  # words that say whether a year is a Match or applying
_INTERJECTIONS = {"wait", "oh", "ohh", "oops", "ah", "ahh", "sorry", "hmm", "umm", "um", "uh", "ay"}
_SHORT_DOMAIN = {"ck", "ps", "qi", "im", "s1", "s2", "lor", "lors", "pd", "pds", "obs", "eras", "nrmp"}
# Words before a week count that make it a bound: below ones first
_BELOW = (["under"], ["less", "than"], ["below"], ["fewer", "than"])
_ABOVE = (["over"], ["more", "than"], ["above"])
_AGAIN = {"again", "this", "retake", "retook", "second", "third"}
# Who else may be quoted ("my friend says 214 is fail now"): what they say is not the user's answer
_OTHERS = {
    "friend",
    "friends",
    "people",
    "someone",
    "somebody",
    "they",
    "he",
    "she",
    "senior",
    "seniors",
    "cousin",
    "reddit",
    "forum",
    "everyone",
    "others",
    "colleague",
    "colleagues",
    "mom",
    "dad",
    "family",
    "mentor",
    "mentors",
    "advisor",
    "adviser",
    "professor",
    "teacher",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "classmate",
    "classmates",
    "batchmate",
    "batchmates",
}
_LEADING_OR = re.compile(r"^or\s+(?=(?:is|are|do|does|will|would|can|could)\b)")
_LEADING_AND = re.compile(r"^(?:(?:and|but|so|also|ok|okay|plus|abeg|biko)\s+)+")  # "abeg what if ..."
# openers that leave a question a question ("abeg what if i dont match", "ok so how many letters she needs");
# not a bare "so" ("so what i have is 2 letters from IM" answers)
_POLITE_LEAD = re.compile(r"^(?:abeg|biko|ok so|okay so)\s+")
_MOVE_REQUEST = re.compile(r"^(?:\w+ )?(?:can|could|would|may) (?:we|i|u|you)\b|^(?:pls|please|plz|kindly)\b")
_ONLY = {"only", "just", "solely", "purely"}
_ANSWERED = {
    "said",
    "put",
    "wrote",
    "typed",
    "tapped",
    "clicked",
    "chose",
    "selected",
    "picked",
    "answered",
    "pressed",
    "marked",
    "ticked",
    "hit",
}
_WROTE_ONE = re.compile(
    r"(?:attending |doctor |dr )?(?:wrote|gave|has written|written)(?: me)? (?:a|one) (?:letters?|lors?)\b"
)
_ONE_LETTER = {"another", "second", "third", "fourth"}  # "a second one from psych" is one letter
# (read after normalising: "especially" has become "specialty" by then)
_INTENSIFIERS = {
    "mostly",
    "specialty",
    "particularly",
    "mainly",
    "esp",
    "primarily",
    "more",
    "most",
    "love",
}
_NO_PROBLEM = {"problem", "worries", "prob", "issue"}
_CHANGE_VERBS = {
    "change",
    "changed",
    "changing",
    "make",
    "switch",
    "update",
    "correct",
    "set",
    "put",
    "fix",
    "edit",
}
_FILLERS = {"the", "a", "an", "it", "my", "that", "this", "please", "pls", "kindly"}
# Words that say a stored value is being replaced, not merely mentioned ("214 is fail now since pass is 218")
_ENTERED = {"typed"}  # "i typed 244 but its 224": the value typed is the old one ("entered the us" is no cue)
_TURNING = {
    "actually",
    "typo",
    "mistake",
    "meant",
    "wrong",
    "oops",
    "sorry",
    "correction",
    "instead",
    *_ENTERED,
}
_KINDLY = re.compile(
    r"\b(?:kindly|would like to|id like to|wish to|prefer to|would it be possible|is it possible|take me|show me)\b"
)
# "one of my letters is from psych", "the other letter is from IM": about one of several, so added
_ADDING_PHRASES = ("one of", "1 of", "other letters", "other one", "second letters", "third letters")
_GENERIC_NAMES = {
    "from",
    "into",
    "by",
    "wanna",
    "want",
    "future",
    "plan",
    "proof",
    "evidence",
    "since",
    "again",
    "status",
    "become",
    "dream",
    "interest",
    "interested",
    "passion",
    "written",
    "wrote",
    "writing",
    "aim",
    "goal",
    "goals",
    "career",
    "the",
    "and",
    "for",
    "time",
    "try",
    "next",
    "third",
    "second",
}
_UNDONE = [
    ["passed"],
    ["yet"],
    ["done"],
    ["taken"],
    ["given"],
    ["finished"],
    ["completed"],
    ["started"],
    ["written"],
    ["confirmed"],
    ["sure"],
    ["happening"],
    ["certain"],
]
_TRAILING_NO = {"also", "too", "no", "not", "nope", "neither", "either", "yet", "none", "zero", "0", "nil"}
_TRAILING_DENIALS = {"no", "not", "nope", "neither", "none", "zero", "0", "nil"}  # "psych none yet"
_PLAIN_WORDS = {("other",), ("both",), ("none",), ("all",), ("either",), ("neither",), ("nothing",)}
# everyday words an unnamed list item may not be ("like several of my friends have done", "i will return to
# it later"): they answer only the question asked or named
_PLAIN_WORDS |= {
    ("several",),
    ("many",),
    ("some",),
    ("done",),
    ("finished",),
    ("later",),
    ("soon",),
    ("now",),
}
# Words a clear yes may carry besides yes words: politeness and the action restated ("yes delete it all")
_POLITE_WORDS = {
    "i",
    "am",
    "confirm",
    "sure",
    "want",
    "to",
    "questionnaire",
    "please",
    "pls",
    "plz",
    "sir",
    "maam",
    "madam",
    "doc",
    "thanks",
    "thank",
    "you",
    "u",
    "now",
    "man",
    "bro",
    "delete",
    "erase",
    "it",
    "all",
    "everything",
    "go",
    "ahead",
    "start",
    "over",
    "again",
    "restart",
    "reset",
    "that",
    "the",
    "my",
    "data",
    "answers",
    "fine",
}
_QUESTION_WORDS = {"what", "whats", "how", "why", "where", "which", "when", "who"}
# "if" that only hedges what follows: "if i remember right my ck was 231", "if it matters, 231"
_IF_ASIDES = {
    ("i", "remember"),
    ("i", "recall"),
    ("it", "matters"),
    ("that", "matters"),
    ("it", "matter"),
    ("that", "matter"),
    ("iam", "not"),
    ("im", "not"),
    ("i", "am"),
    ("u", "need"),
    ("you", "need"),
    ("anyone", "asks"),
    ("i", "remembered"),
}
# whose story is not the user's ("my sister did OET"); a spouse or a child may be the applicant
_SOMEONE_ELSE = {"sister", "brother", "friend", "friends", "cousin", "colleague", "classmate", "batchmate"}
_SOMEONE_ELSE |= {"roommate", "coworker"}
_FIRST_PERSON = {"i", "iam", "we", "me"}
# words of a clause that only agrees or thanks ("yes those are correct", "thank you so much")
_COURTESY = {
    "yes",
    "yeah",
    "yep",
    "ok",
    "okay",
    "those",
    "these",
    "they",
    "are",
    "is",
    "all",
    "everything",
    "its",
}
_COURTESY |= {
    "correct",
    "right",
    "fine",
    "good",
    "great",
    "perfect",
    "looks",
    "thank",
    "thanks",
    "you",
    "u",
    "so",
}
_COURTESY |= {"much", "very", "alright", "sir", "maam", "now", "and"}
_SELF = {"i", "iam", "we", "me", "ill", "ive", "myself"}  # the user speaking of themself again
_ALIKE = {"too", "also", "same", "either", "both"}
_FAMILY = {
    "wife",
    "husband",
    "spouse",
    "dad",
    "father",
    "mom",
    "mother",
    "uncle",
    "aunt",
    "fiance",
    "fiancee",
}
_REPORTING = {"says", "say", "said", "saying", "heard", "claims", "claimed", "told", "thinks", "think"}
_SUPPOSING = {
    "if",
    "suppose",
    "supposing",
    "assuming",
    "incase",
    "hypothetically",
    "unless",
    "backup",
    "fallback",
}


_TURNS = _CONTRAST | {"actually", "wait", "except", "apart"}


def _none_then_but(
    owned: list[tuple[str, Hit]], clauses: list[list[str]], owners: dict[Any, dict[str, Any]]
) -> list[tuple[str, Hit]]:
    """Drop a "none" that a later answer turns round ("no research but a QI project ongoing", "none,
    wait actually i did an audit"): the words after the turn are what the user has."""
    flat = [(ci, i) for ci, tokens in enumerate(clauses) for i in range(len(tokens))]
    where = {p: n for n, p in enumerate(flat)}
    words = [clauses[ci][i] for ci, i in flat]
    dropped = set()
    for owner, hit in owned:
        if owners[hit.phrase.tokens][owner] not in _NONE_VALUES:
            continue
        start = where[(hit.clause, hit.end - 1)] if hit.end > hit.start else where[(hit.clause, hit.start)]
        for other_owner, other in owned:
            if other_owner != owner or owners[other.phrase.tokens][other_owner] in _NONE_VALUES:
                continue
            if _FUTURE & set(_with_previous(clauses, other.clause)):
                continue  # "none yet, but a 4wk IM externship booked for march": still none
            later = where[(other.clause, other.start)]
            if later > start and _TURNS & set(words[start:later]):
                dropped.add(id(hit))
    return [(o, h) for o, h in owned if id(h) not in dropped]


# Words that put a year on something other than the test taken: applying, or a retake still to come
_APPLYING = {
    "apply",
    "applying",
    "application",
    "applications",
    "match",
    "season",
    "cycle",
    "eras",
    "planning",
    "plan",
    "retake",
    "retaking",
    "resit",
    "again",
    "next",
    "will",
    "booked",
    "scheduled",
}
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {m[:3]: i for i, m in enumerate(_MONTH_NAMES, 1)}
_MONTH_WORDS = {*_MONTH_NAMES, *(m[:3] for m in _MONTH_NAMES), "sept"} - {"may"}


def _month(word: str) -> int | None:
    """Return the month a word names ("sept", "march", "dec"), or None ("decimal" names none)."""
    number = _MONTHS.get(word[:3])
    if number is None or not (len(word) == 3 or word == "sept" or word == _MONTH_NAMES[number - 1]):
        return None
    return number


def _taken_before(clauses: list[list[str]], day: date) -> bool | None:
    """Return whether the test date a message gives ("215, march 2023", "took it sept 2025") is before
    *day*, when the Step 2 CK passing score rose; None when it gives none, or dates disagree.

    A year about applying ("applying in 2027", "the 2027 match") or only supposed ("if thats before
    july 2025") is no test date."""
    found: set[bool] = set()
    for tokens in clauses:
        supposed = _supposed(tokens)
        for i, word in enumerate(tokens):
            year = int(word) if word.isdigit() and len(word) == 4 else None
            if word == "20" and tokens[i + 1 : i + 2] and len(tokens[i + 1]) == 2 and tokens[i + 1].isdigit():
                year = 2000 + int(tokens[i + 1])  # "twenty twenty three"
            if year is None or not 2015 <= year <= 2030 or i in supposed:
                continue
            near = range(max(0, i - 3), i + 2)
            if any(k < len(tokens) and tokens[k] in _APPLYING and not _retake_taken(tokens, k) for k in near):
                continue
            before = tokens[max(0, i - 2) : i]
            if tokens[max(0, i - 3) : i - 1][-1:] in (["or"], ["to"], ["and"]):
                before = tokens[max(0, i - 4) : i]  # "june or july 2025", "jun-jul 2025": both months
            # "may" is a month only right before the year ("may 2025"), not in "i may apply in 2027"
            months = [
                _MONTHS[w[:3]]
                for k, w in enumerate(before)
                if w[:3] in _MONTHS and (w != "may" or k == len(before) - 1)
            ]
            if year != day.year:
                found.add(year < day.year)
            for month in months if year == day.year else ():
                found.add(month < day.month)  # two months either side of July: no answer
    return found.pop() if len(found) == 1 else None


def _retake_taken(tokens: list[str], k: int) -> bool:
    """Return whether tokens[k] is a retake sat ("got 212 on the retake in march 2026"), not one planned
    ("retaking in 2026")."""
    return tokens[k] in ("retake", "resit") and tokens[k - 1 : k] in (["the"], ["my"], ["that"], ["this"])


def _supposed(tokens: list[str]) -> set[int]:
    """Return the positions of a clause's words that only suppose ("if i pass with 220"), up to a "but"
    ("6 or 7 if u count the ones from home but US only two")."""
    positions: set[int] = set()
    # "the paper I was thinking of is my wife's", "that one is hers": someone else's, all of the clause
    people = _FAMILY | _SOMEONE_ELSE
    if any(
        t in ("is", "was", "are", "were")
        and (
            (
                tokens[k + 1 : k + 2] == ["my"]
                and tokens[k + 2 : k + 3] != []
                and tokens[k + 2][:-1] in people
                and tokens[k + 3 : k + 4] in ([], ["not"], ["too"], ["actually"])  # not "is my uncles friend"
            )
            or tokens[k + 1 : k + 2] in (["hers"], ["his"])
        )
        for k, t in enumerate(tokens)
    ):
        return set(range(len(tokens)))
    supposing = False
    telling = False  # about someone else
    for i, token in enumerate(tokens):
        aside = token == "if" and tuple(tokens[i + 1 : i + 3]) in _IF_ASIDES  # "if i remember right"
        # "my friend says 214 is fail now since pass is 218": what others say is not the user's answer
        # (not "i should say", "id say 6 weeks", "my score report says 231")
        reported = token in _REPORTING and bool(_OTHERS & set(tokens[max(0, i - 3) : i]))
        # "she says to tell you her CK is 224" (a parent typing): the applicant's word, passed on
        reported = reported and tokens[i + 1 : i + 3] not in (["to", "tell"], ["to", "say"], ["me", "to"])
        # ... and "She says her CK is 231, not 226": the one typed for, speaking of herself
        reported = reported and not (
            tokens[i - 1 : i] in (["she"], ["he"]) and tokens[i + 1 : i + 2] in (["her"], ["his"])
        )
        # "my sister did OET last year, im thinking to do the same": another person's story, up to
        # where the user speaks of themself again
        if token == "my" or (token in _FIRST_PERSON and telling):
            ended = telling
            telling = token == "my" and tokens[i + 1 : i + 2] != [] and tokens[i + 1] in _SOMEONE_ELSE
            # "my wife is on H1B and im on H4": a spouse or parent is someone else's story when the user
            # goes on to speak of themself; alone ("my wife needs a J1") it is typed for the applicant
            telling = telling or (
                token == "my"
                and tokens[i + 1 : i + 2] != []
                and tokens[i + 1] in _FAMILY
                and bool(_SELF & set(tokens[i + 2 :]))
                and not _ALIKE & set(tokens[i + 2 :])  # "my wife needs a J1 and i need one too"
            )
            supposing = supposing and not (ended and not telling)
        reported = reported or telling
        # a supposition runs to a turn: "but", or "so" ("my friend said H1B is impossible so i guess J1")
        supposing = (supposing or (token in _SUPPOSING and not aside) or reported) and token not in _CONTRAST
        # ("if H1B needs step 3 then make it J1" asks for the change; "if i get usce then this season" supposes)
        then_asks = token == "then" and tokens[i + 1 : i + 2] != [] and tokens[i + 1] in _CHANGE_VERBS
        supposing = supposing and not ((token == "so" or then_asks) and i > 0)
        if supposing:
            positions.add(i)
    return positions


def _with_previous(clauses: list[list[str]], index: int) -> list[str]:
    """Return a clause with the one before it ("none but starting in june, a 4 wk psych externship")."""
    return [*(clauses[index - 1] if index > 0 else []), *clauses[index]]


def _stands_alone(clauses: list[list[str]], number: int) -> bool:
    """Return True when a bare number is not counting something else ("2 rotations")."""
    for tokens in clauses:
        for i, token in enumerate(tokens):
            if token == str(number):
                following = tokens[i + 1 : i + 2]
                return not following or following[0] in _AFTER_A_COUNT or not following[0].isalpha()
    return True


def _range_or_purpose(hit: Hit, clauses: list[list[str]], owners: dict[str, Any]) -> bool:
    """Return whether a letters hit is one end of a range ("2 or 3 letters") or what the letters are for,
    not who wrote them ("3 letters for med psych"); *owners* are the questions its words can answer."""
    tokens = clauses[hit.clause]
    before, after = tokens[max(0, hit.start - 2) : hit.start], tokens[hit.end : hit.end + 2]
    if hit.phrase.question == "letters_count":
        far_end = len(before) == 2 and before[0].isdigit() and before[1] in ("or", "to")
        near_end = len(after) == 2 and after[0] in ("or", "to") and after[1].isdigit()
        return far_end or near_end
    said_before = tokens[max(0, hit.start - 4) : hit.start - 1]
    return (
        "letters_from" in owners
        and before[-1:] == ["for"]
        and bool({"letters", "lor", "lors"} & set(said_before))
    )


def _in_range(tokens: list[str], i: int) -> bool:
    """Return True when the number at *i* is one end of "A to B" or "A or B"."""
    joined = (i + 2 < len(tokens) and tokens[i + 1] in ("to", "or") and tokens[i + 2].isdigit()) or (
        i >= 2 and tokens[i - 1] in ("to", "or") and tokens[i - 2].isdigit()
    )
    return bool(joined)


def _last_unit(clauses: list[list[str]], ci: int, i: int) -> str | None:
    """Return the last unit ("wk", "mo" or "letters") said before token *i* of clause *ci*: in that clause,
    else in the clauses before it, across clauses that hold only counts and fields."""
    own = next((t for t in reversed(clauses[ci][:i]) if t in ("wk", "mo", "letters")), None)
    if own is not None:
        return own
    # clauses before that hold only counts by field ("2 IM") continue the last one that named a unit:
    # "4 letters (2 IM, 2 psych)" counts letters, "got 2 letters from them. IM 6, psych 4" weeks
    for tokens in reversed(clauses[:ci]):
        units = [k for k, t in enumerate(tokens) if t in ("wk", "mo", "letters")]
        rest = tokens[units[-1] + 1 :] if units else tokens
        if not all(t.isdigit() or _field([t]) for t in rest):
            return None
        if units:
            return tokens[units[-1]]
    return None


def _field(window: list[str]) -> str | None:
    """Return "psych" or "im" when the words around a week count name one field only."""
    fields = {"psych" if t in ("psych", "cl") else "im" for t in window if t in ("psych", "cl", "im")}
    return next(iter(fields)) if len(fields) == 1 else None


def _distance(name: Hit, value: Hit) -> int:
    if name.end <= value.start:
        return value.start - name.end
    if value.end <= name.start:
        return name.start - value.end
    return 0


def _short(tokens: list[str]) -> bool:
    return len(tokens) <= 6


def _asks_from(tokens: list[str]) -> int:
    """Return where an asking clause starts to ask: 0, or where a question inside it begins ("i have
    j1 is that ok")."""
    if _opens_asking(" ".join(tokens[:4])):  # "and is 6 months enough time ..."
        return 0
    match = _ASKING_INSIDE.search(" ".join(tokens))
    return " ".join(tokens)[: match.start()].count(" ") if match else 0


# Letters whose mark is no combining accent, so NFKD keeps them (Polish, Nordic, Croatian, Turkish).
_STROKED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})


# Words that make what follows the subject of a study, a rotation or a case, not a career goal
_TOPIC_OF = {
    "about",
    "on",
    "regarding",
    "review",
    "study",
    "project",
    "paper",
    "case",
    "cases",
    "poster",
    "research",
    "rotation",
    "elective",
    "observership",
    "externship",
    "saw",
    "treated",
    "managed",
    "patients",
}


def _another_visa(tokens: list[str]) -> bool:
    """Return whether a clause names a visa no residency is trained on (tourist B2, student F-1,
    dependent H-4 / J-2)."""
    said = set(tokens)
    pairs = set(pairwise(tokens))
    return bool({"tourist", "visitor", "student", "dependent", "schengen"} & said) or bool(
        pairs & {("b", "1"), ("b", "2"), ("f", "1"), ("h", "4"), ("j", "2"), ("b1", "b2")}
    )


def _the_other_part(hit: Hit, clauses: list[list[str]]) -> bool:
    """Return whether an "other" hit is "the other 4 (weeks)": the rest of a count, not another specialty."""
    tokens = clauses[hit.clause]
    return (
        hit.phrase.tokens == ("other",)
        and tokens[hit.start - 1 : hit.start] == ["the"]
        and bool(tokens[hit.end : hit.end + 1])
        and tokens[hit.end].isdigit()
    )


def _from_now(tokens: list[str]) -> bool:
    """Return whether a clause says "in 2 months" as a time from now, not of something done ("did it in 3
    months", "completed an IM externship in 2 months last year")."""
    return bool(_FROM_NOW.search(f" {' '.join(tokens)} ")) and not _DONE_WORDS & set(tokens)


def _without_take_back(tokens: list[str]) -> list[str]:
    """Return *tokens* without the take-back words that take back one thing ("scratch the 218", "scratch
    that, my ck is 228"); "forget it" and "scratch it all" stay moves."""
    numbered = any(t.isdigit() for t in tokens)  # a "that" or "it" taken back beside a new value
    return [
        t
        for i, t in enumerate(tokens)
        if not (
            t in _TAKE_BACK
            and (
                tokens[i + 1 : i + 2] in (["the"], ["my"])
                or (numbered and tokens[i + 1 : i + 2] in (["that"], ["this"], ["it"]))
            )
            and tokens[i + 1 : i + 3] not in (["it", "all"], ["the", "whole"], ["the", "entire"])
        )
    ]


def _a_date(hit: Hit, clauses: list[list[str]]) -> bool:
    """Return whether a week or month word dates something ("next week", "last month", "this week")
    rather than counting weeks of experience."""
    return hit.phrase.tokens in (("wk",), ("mo",)) and clauses[hit.clause][hit.start - 1 : hit.start] in (
        ["next"],
        ["last"],
        ["this"],
        ["every"],
        ["per"],
        ["each"],
    )


def _most_weeks(total: Any) -> float:
    """Return the most weeks a stored total allows: the number, a button range's top, or no bound."""
    if type(total) is int:
        return total
    top = str(total).partition("-")[2] if total is not None else ""
    return int(top) if top.isdigit() else float("inf")


def _polite_afraid(before: list[str], after: list[str]) -> bool:
    """Return whether "afraid" is the polite "I am afraid" that closes a no ("I'm afraid not"), not fear."""
    opener = before[-2:] == ["i", "am"] or before[-1:] in (["im"], ["iam"])
    return opener and (not after or after[0] in (".", ",", "!", "?", ";", "not", "so"))


def _without_accents(text: str) -> str:
    """Return *text* with its accents dropped ("psiquiatría" -> "psiquiatria", "aún" -> "aun", "działa"
    -> "dziala")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.translate(_STROKED)


def _opens_asking(text: str) -> bool:
    """Return whether a clause opens with a question, past a leading "and" / "so" ("and is 6 months")."""
    opening = _LEADING_AND.sub("", text)
    return bool(_ASKING_START.match(opening) or _QUESTION_START.match(opening))


def _outermost(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the (phrase, meaning) pairs not inside a longer phrase found ("good morning" is no "good")."""
    return [(p, m) for p, m in found if not any(p != q and f" {p} " in f" {q} " for q, _ in found)]


def _targeted(hit: Hit, clauses: list[list[str]]) -> bool:
    """Return whether a value is what the message asks an answer to become ("change it to H-1B"); not
    "should be done by then", which is a plan."""
    tokens = clauses[hit.clause]
    before = [t for t in tokens[max(0, hit.start - 6) : hit.start] if t not in _FILLERS]
    return before[-1:] in (["to"], ["into"]) and bool(_CHANGE_VERBS & set(before[:-1]))


def _question_at(tokens: list[str]) -> bool:
    """Return whether a clause has question words ("is 3 wks enough"), not only a "?"."""
    joined = " ".join(tokens)
    return _opens_asking(joined) or bool(_ASKING_INSIDE.search(joined))


def _leads_with_question(text: str) -> bool:
    """Return True when the message opens with a question, or is one clause ending in "?"."""
    parts = [p.strip() for p in _SEPARATOR.split(" ".join(text.lower().split())) if p.strip()]
    if not parts:
        return False
    if _CHANGE_REQUEST.match(parts[0]) and "?" not in text:
        return False  # "please correct the visa: it must be the J-1" asks for a change, not a question
    # ("ok so how many letters she needs", "abeg what if": past a polite opener, not a bare "so")
    return bool(_QUESTION_START.match(_POLITE_LEAD.sub("", parts[0]))) or (len(parts) == 1 and "?" in text)


def _part_asks(part: str, separator: str) -> bool:
    """Return whether one part of a message, split at *separator*, asks something."""
    lowered = part.lower()
    # "... a pass right? or does it show as fail": an "or" that opens a clause leads into the question
    opening = _LEADING_OR.sub("", lowered.strip())
    return "?" in separator or bool(_ASKING_START.match(opening) or _ASKING_INSIDE.search(lowered))


def _looks_like_question(text: str) -> bool:
    """Return True when the message, or one of its clauses, asks something."""
    clean = " ".join(text.lower().split())
    if "?" in clean:
        return True
    clean = _without_accents(clean)
    return any(
        (
            _QUESTION_START.match(_POLITE_LEAD.sub("", part.strip()))
            and not _CHANGE_REQUEST.match(part.strip())
        )
        or _ASKING_INSIDE.search(part)
        for part in _SEPARATOR.split(clean)
        if part.strip()
    )
