"""The benchmark still runs: `python -m bench --quick` produces every figure (not the targets)."""

import math
from pathlib import Path

from bench import suite
from bench.targets import TARGETS

FIGURES = [
    "prod_echo_updates_per_s",
    "prod_advisor_updates_per_s",
    "prod_messages_per_update",
    "prod_echo_cpu_ms",
    "prod_advisor_cpu_ms",
    "capacity",
    "cpu_ratio",
    "echo_updates_per_s",
    "advisor_updates_per_s",
    "throughput_ratio",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "faq_p50_ms",
    "faq_p95_ms",
    "rss_mb",
    "rss_small_mb",
    "rss_large_mb",
    "rss_small_fresh_mb",
    "rss_large_fresh_mb",
    "two_call_ceiling",
    "ratio_without_harness",
    "startup_first_call_s",
    "startup_s",
    "cost_small_us",
    "cost_large_us",
    "scale_ratio",
]


def test_quick_benchmark_reports_every_figure(tmp_path, capsys):
    profile = tmp_path / "PROFILE.md"
    figures = suite.main(["--quick", "--profile", str(profile)])
    for name in FIGURES:
        value = figures[name]
        assert isinstance(value, float | int) and math.isfinite(value) and value > 0, (name, value)
    assert figures["errors_logged"] == 0, "the bot logged errors: the benchmark measured failures"
    assert "Top 25 functions by cumulative time" in profile.read_text(encoding="utf-8")
    printed = capsys.readouterr().out
    for label in (
        "In-process: advisor / echo throughput",
        "Advisor latency p99",
        "Start-up to first reply",
        "Cost ratio",
        "Capacity, advisor / echo updates/s",
        "kind of user action",
    ):
        assert label in printed


def test_every_target_is_a_reported_figure():
    assert {t.figure for t in TARGETS} <= {
        *FIGURES,
        "p99_ms",
        "faq_p95_ms",
        "rss_large_fresh_mb",
        "startup_s",
    }


def test_readme_benchmark_table_states_every_target():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in readme.splitlines() if line.startswith("| ")}
    for target in TARGETS:
        assert target.label in rows, f"README's benchmark table has no row {target.label!r}"
        assert rows[target.label].rstrip().endswith(f"| {target.text} |"), (rows[target.label], target.text)
