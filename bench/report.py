"""What the benchmark prints: the production run's table by kind of action, and the summary table."""

import os
import subprocess
from pathlib import Path
from typing import Any

from bench.production import Figures
from bench.targets import TARGET_FOR

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    """Return what a read-only git command prints (no index refresh, so it never takes a lock)."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    return subprocess.run(
        ["git", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=10
    ).stdout


def tree_state() -> str:
    """Return the commit and whether the working tree has changes (read-only git, no index refresh)."""
    try:
        head = _git("rev-parse", "--short", "HEAD").strip()
        dirty = _git("status", "--porcelain", "--untracked-files=no").splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"{head or 'unknown'}" + (f" + uncommitted changes in {len(dirty)} files" if dirty else "")


def production_table(advisor: list[Figures], echo: list[Figures]) -> list[str]:
    """Return the production run's table (Markdown): per kind of action, then overall, runs pooled."""
    kinds: dict[str, list[int]] = {}
    for run in advisor:
        for kind, count in run.kinds.items():
            pooled = kinds.setdefault(kind, [0, 0])
            pooled[0] += count
            pooled[1] += run.messages_by_kind[kind]
    total = sum(count for count, _ in kinds.values()) or 1
    lines = ["| kind of user action | share | messages per update |", "|---|---:|---:|"]
    for kind, (count, messages) in sorted(kinds.items(), key=lambda item: -item[1][0]):
        lines.append(f"| {kind} | {100 * count / total:.1f}% | {messages / count:.2f} |")
    lines += ["", "| bot | updates/s | messages per update | CPU per update |", "|---|---:|---:|---:|"]
    for name, runs in (("bare PTB echo bot with AIORateLimiter", echo), ("the advisor, production", advisor)):
        rate = _median([r.per_second for r in runs])
        per = _median([r.messages_per_update for r in runs])
        cpu = _median([r.cpu_ms for r in runs])
        lines.append(f"| {name} | {rate:.1f} | {per:.2f} | {cpu:.2f} ms |")
    return lines


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def summary_table(figures: dict[str, Any], sizes: tuple[str, str]) -> list[str]:
    """Return the summary as a text table: each figure, its target from bench/targets.py and the verdict."""
    small, large = sizes
    rows = [
        ("Production: echo updates/s", f"{figures['prod_echo_updates_per_s']:.1f}", None),
        ("Production: advisor updates/s", f"{figures['prod_advisor_updates_per_s']:.1f}", None),
        ("Production: advisor messages per update", f"{figures['prod_messages_per_update']:.2f}", None),
        ("Production: echo CPU per update", f"{figures['prod_echo_cpu_ms']:.2f} ms", None),
        ("Production: advisor CPU per update", f"{figures['prod_advisor_cpu_ms']:.2f} ms", None),
        ("Capacity, advisor / echo updates/s", f"{figures['capacity']:.2f}", "capacity"),
        ("CPU per update, advisor / echo", f"{figures['cpu_ratio']:.2f}x", "cpu_ratio"),
        ("In-process: advisor / echo throughput", f"{100 * figures['throughput_ratio']:.0f}%", None),
        ("In-process: two-call Bot API floor", f"{100 * figures['two_call_ceiling']:.0f}%", None),
        ("Advisor latency p50", f"{figures['p50_ms']:.2f} ms", None),
        ("Advisor latency p95", f"{figures['p95_ms']:.2f} ms", None),
        ("Advisor latency p99", f"{figures['p99_ms']:.2f} ms", "p99_ms"),
        ("Advisor CPU time p99", f"{figures['cpu_p99_ms']:.2f} ms", None),
        ("  same, without plan views/PDFs", f"{figures['cpu_p99_light_ms']:.2f} ms", None),
        ("FAQ matching p50", f"{figures['faq_p50_ms']:.3f} ms", None),
        ("FAQ matching p95", f"{figures['faq_p95_ms']:.3f} ms", "faq_p95_ms"),
        ("RSS, benchmark process after main runs", f"{figures['rss_mb']:.0f} MB", None),
        (f"RSS, benchmark process, {small}+{large} open", f"{figures['rss_large_mb']:.0f} MB", None),
        (f"RSS, fresh process, {small} users stored", f"{figures['rss_small_fresh_mb']:.0f} MB", None),
        (
            f"RSS, fresh process, {large} users stored",
            f"{figures['rss_large_fresh_mb']:.0f} MB",
            "rss_large_fresh_mb",
        ),
        ("Start-up to first reply", f"{figures['startup_s']:.2f} s", "startup_s"),
        ("Start-up to first Bot API call", f"{figures['startup_first_call_s']:.2f} s", None),
        (f"Per-update cost, {small} users", f"{figures['cost_small_us']:.0f} µs", None),
        (f"Per-update cost, {large} users", f"{figures['cost_large_us']:.0f} µs", None),
        (f"Cost ratio {large} / {small}", f"{figures['scale_ratio']:.2f}x", "scale_ratio"),
    ]
    header = ("Figure", "Value", "Target", "Result")
    cells = []
    for label, value, key in rows:
        target = TARGET_FOR.get(key) if key else None
        verdict = ("PASS" if target.met(figures) else "MISS") if target else ""
        cells.append((label, value, target.text if target else "-", verdict))
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(4)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [line]
    for index, row in enumerate([header, *cells]):
        out.append("|".join(f" {cell:<{widths[i]}} " for i, cell in enumerate(row)))
        if index == 0:
            out.append(line)
    out.append(line)
    return out
