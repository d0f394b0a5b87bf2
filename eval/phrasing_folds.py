"""Cross-validate the FAQ matcher over its own phrasings: wording it was not built from, without the test split.

Each FAQ phrasing (most of them dev-split questions written blind) falls in one of five folds by a hash
of its text. For each fold the matcher is rebuilt without that fold's phrasings and asked to match them;
the verdicts are tallied like `eval/understand.py` tallies questions (answer right / wrong, a choice
with the right topic in it, declined), and the raw ranking's top-1 and top-2 are reported beside them.

    .venv/bin/python eval/phrasing_folds.py
"""

import dataclasses
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from content.loader import load_library  # noqa: E402
from content.search import FaqMatcher  # noqa: E402

FOLDS = 5


def fold_of(phrasing: str) -> int:
    """Return the fold of a phrasing, fixed by a hash of its words (so "... imgs" and "... IMGs?" share
    one fold and never test each other)."""
    words = " ".join(re.findall(r"[a-z0-9]+", phrasing.lower()))
    return hashlib.sha256(words.encode()).digest()[0] % FOLDS


def cross_validate() -> tuple[dict[str, float], int]:
    """Return the verdict and ranking shares (in %) over every held-out phrasing, and their count."""
    faqs = list(load_library().faqs)
    tally: Counter[str] = Counter()
    for k in range(FOLDS):
        kept = [
            dataclasses.replace(s, questions=tuple(q for q in s.questions if fold_of(q) != k)) for s in faqs
        ]
        matcher = FaqMatcher(kept)
        for snippet in faqs:
            for phrasing in (q for q in snippet.questions if fold_of(q) == k):
                tally["n"] += 1
                ranked = [i for i, _ in matcher.scores(phrasing)]
                tally["top1"] += ranked[:1] == [snippet.id]
                tally["top2"] += snippet.id in ranked[:2]
                match = matcher.match(phrasing)
                if match.status == "answer":
                    tally["right" if match.ids[0] == snippet.id else "wrong"] += 1
                elif match.status == "choose":
                    tally["choice"] += 1
                    tally["choice_right"] += snippet.id in match.ids
                else:
                    tally["declined"] += 1
    n = tally.pop("n")
    return {key: 100 * value / n for key, value in tally.items()}, n


def main() -> int:
    found, n = cross_validate()
    shares = {
        key: found.get(key, 0.0)
        for key in ("right", "wrong", "choice", "choice_right", "declined", "top1", "top2")
    }
    print(
        f"{n} phrasings, {FOLDS} folds: right {shares['right']:.1f}%  wrong {shares['wrong']:.1f}%  "
        f"choice {shares['choice']:.1f}% (right among it {shares['choice_right']:.1f}%)  "
        f"declined {shares['declined']:.1f}%;  ranking top-1 {shares['top1']:.1f}%  top-2 {shares['top2']:.1f}%"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
