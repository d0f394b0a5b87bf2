"""Match a free-text question to FAQ snippets: BM25 over titles, alternative questions and bodies."""

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from content.model import Snippet

_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with", "from", "by", "as", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "i", "me", "my", "we", "our", "you", "your", "it", "its", "this", "that", "these", "those", "there", "here", "so", "than", "then", "too", "very", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "have", "has", "had", "not", "no", "yes", "just", "about", "into", "over", "also", "any", "some", "what", "which", "who", "whom", "how", "when", "where", "why", "pls", "please", "plz", "hi", "hey"]
)
# Abbreviations and spellings applicants use, folded to one form before matching.
SYNONYMS = {
    "ck": "ck",
    "step2": "ck",
    "s2": "ck",
    "s2ck": "ck",
    "lor": "letter",
    "lors": "letter",
    "loc": "letter",
    "letters": "letter",
    "recommendation": "letter",
    "usce": "usce",
    "rotation": "usce",
    "rotations": "usce",
    "observership": "usce",
    "externship": "usce",
    "ps": "statement",
    "j1": "visa",
    "h1b": "visa",
    "visas": "visa",
    "pd": "director",
    "pds": "director",
    "im": "medicine",
    "psych": "psychiatry",
    "qi": "research",
}


def tokens(text: str) -> list[str]:
    """Return normalised search tokens of *text*."""
    folded = unicodedata.normalize("NFKC", text).lower()
    out = []
    for word in _WORD.findall(folded):
        word = SYNONYMS.get(word, word)
        if word in STOPWORDS:
            continue
        if len(word) > 4 and word.endswith("s"):
            word = word[:-1]
        out.append(word)
    return out


@dataclass(frozen=True)
class Match:
    """The matcher's verdict: answer one snippet, offer a choice, or admit it does not know."""

    status: str  # answer | choose | none
    ids: tuple[str, ...] = ()
    scores: tuple[float, ...] = ()


class FaqMatcher:
    """BM25 index over FAQ snippets."""

    def __init__(self, faqs: list[Snippet], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = [s.id for s in faqs]
        self.docs = [tokens(" ".join([s.title, *s.questions, *s.keywords, s.body])) for s in faqs]
        self.k1, self.b = k1, b
        self.avgdl = sum(map(len, self.docs)) / max(len(self.docs), 1)
        df = Counter(t for doc in self.docs for t in set(doc))
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.tf = [Counter(doc) for doc in self.docs]

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Return (id, score) pairs for *text*, best first."""
        query = tokens(text[:2000])
        results = []
        for snippet_id, tf, doc in zip(self.ids, self.tf, self.docs, strict=True):
            score = 0.0
            for term in query:
                if term in tf:
                    f = tf[term]
                    score += (
                        self.idf[term]
                        * f
                        * (self.k1 + 1)
                        / (f + self.k1 * (1 - self.b + self.b * len(doc) / self.avgdl))
                    )
            if score > 0:
                results.append((snippet_id, score))
        results.sort(key=lambda r: -r[1])
        return results

    def match(self, text: str) -> Match:
        """Return the verdict for *text*."""
        ranked = self.scores(text)
        if not ranked or ranked[0][1] < 4.0:
            return Match("none")
        top = ranked[:3]
        if len(top) > 1 and top[1][1] > 0.8 * top[0][1]:
            return Match("choose", tuple(i for i, _ in top), tuple(s for _, s in top))
        return Match("answer", (top[0][0],), (top[0][1],))
