"""Score the free-text FAQ matcher against eval/faq_eval.yaml.

Run from the repository root:

    .venv/bin/python eval/evaluate.py [--split heldout|tune|all] [--failures]

Metrics (in-scope = items whose label is an FAQ id; off-topic = label "none"):

- top-1: share of in-scope questions whose first returned id (``Match.ids[0]``) is the label.
  A "none" verdict counts as a miss.
- top-3: share of in-scope questions whose label is among the returned ids, or among the
  three best-scored ids of the matcher's full ranking (``FaqMatcher.scores``), even if the
  verdict was "none".
- off-topic rejection: share of off-topic questions that get status "none".
- confidently wrong: share of in-scope questions that get status "answer" with a wrong id.
- answered: share of in-scope questions that get status "answer" (right or wrong).
- off-topic answered: share of off-topic questions that get status "answer".
- latency: median and 95th percentile of one ``match()`` call in milliseconds, timed with
  ``time.perf_counter`` after one warm-up pass (each question timed ``REPEATS`` times).

``--failures`` lists the questions that missed; it is refused for the held-out split, which
must only ever be scored, never read question by question.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from content.loader import load_library  # noqa: E402
from content.search import FaqMatcher  # noqa: E402

EVAL_FILE = ROOT / "eval" / "faq_eval.yaml"
SPLITS = ("heldout", "tune", "all")
REPEATS = 5


def load_items(split: str) -> list[dict[str, str]]:
    """Return the eval items of *split* ("heldout", "tune" or "all")."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    items = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    return [i for i in items if split == "all" or i["split"] == split]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def evaluate(split: str = "heldout", *, timing: bool = True) -> dict[str, Any]:
    """Score the matcher on *split*; return the metrics (shares in 0..1, latency in ms).

    Per-question failures are only included (key ``failures``) for the tune split.
    """
    items = load_items(split)
    library = load_library()
    known = {s.id for s in library.faqs}
    unknown = {i["label"] for i in items} - known - {"none"}
    if unknown:
        raise ValueError(f"eval labels without an FAQ: {sorted(unknown)}")

    started = time.perf_counter()
    matcher = FaqMatcher(library.faqs)
    build_ms = (time.perf_counter() - started) * 1000

    in_scope = [i for i in items if i["label"] != "none"]
    off_topic = [i for i in items if i["label"] == "none"]
    top1 = top3 = wrong = answered = rejected = off_answered = 0
    failures: list[dict[str, Any]] = []
    for item in items:
        match = matcher.match(item["q"])
        ranked = [snippet_id for snippet_id, _ in matcher.scores(item["q"])[:3]]
        label = item["label"]
        if label == "none":
            rejected += match.status == "none"
            off_answered += match.status == "answer"
            ok = match.status == "none"
        else:
            first = match.ids[0] if match.status != "none" and match.ids else None
            top1 += first == label
            top3 += label in match.ids or label in ranked
            answered += match.status == "answer"
            wrong += match.status == "answer" and first != label
            ok = first == label
        if not ok:
            failures.append(
                {
                    "q": item["q"],
                    "label": label,
                    "status": match.status,
                    "ids": match.ids,
                    "ranked": ranked,
                    "scores": match.scores,
                }
            )

    timings: list[float] = []
    if timing:
        for item in items:  # warm-up
            matcher.match(item["q"])
        for _ in range(REPEATS):
            for item in items:
                t0 = time.perf_counter()
                matcher.match(item["q"])
                timings.append((time.perf_counter() - t0) * 1000)

    n_in, n_off = len(in_scope), len(off_topic)
    result: dict[str, Any] = {
        "split": split,
        "n_in_scope": n_in,
        "n_off_topic": n_off,
        "top1": top1 / n_in if n_in else 0.0,
        "top3": top3 / n_in if n_in else 0.0,
        "rejection": rejected / n_off if n_off else 0.0,
        "confidently_wrong": wrong / n_in if n_in else 0.0,
        "answered": answered / n_in if n_in else 0.0,
        "off_topic_answered": off_answered / n_off if n_off else 0.0,
        "p50_ms": statistics.median(timings) if timings else 0.0,
        "p95_ms": _percentile(timings, 95) if timings else 0.0,
        "build_ms": build_ms,
    }
    if split == "tune":
        result["failures"] = failures
    return result


def format_table(result: dict[str, Any]) -> str:
    """Return *result* as a small text table."""
    rows = [
        ("split", result["split"]),
        ("in-scope questions", str(result["n_in_scope"])),
        ("off-topic questions", str(result["n_off_topic"])),
        ("top-1 accuracy", f"{result['top1']:.1%}"),
        ("top-3 accuracy", f"{result['top3']:.1%}"),
        ("off-topic rejection", f"{result['rejection']:.1%}"),
        ("confidently wrong", f"{result['confidently_wrong']:.1%}"),
        ("answered confidently (in-scope)", f"{result['answered']:.1%}"),
        ("answered confidently (off-topic)", f"{result['off_topic_answered']:.1%}"),
        ("latency median", f"{result['p50_ms']:.3f} ms"),
        ("latency p95", f"{result['p95_ms']:.3f} ms"),
        ("index build", f"{result['build_ms']:.1f} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{'metric':<{width}}  value", f"{'-' * width}  -----"]
    lines += [f"{name:<{width}}  {value}" for name, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the metrics table for the chosen split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="heldout")
    parser.add_argument("--failures", action="store_true", help="list missed questions (tune split only)")
    args = parser.parse_args(argv)
    if args.failures and args.split != "tune":
        parser.error("--failures is only allowed with --split tune")
    result = evaluate(args.split)
    print(format_table(result))
    if args.failures:
        print()
        for f in result["failures"]:
            print(f"[{f['label']}] {f['status']} {list(f['ids'])} ranked={f['ranked']}")
            print(f"    {f['q'][:160]!r}  scores={[round(s, 2) for s in f['scores']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
