"""The benchmark still runs: `bench/benchmark.py --quick` produces every figure (not the targets)."""

import math
import time

from bench import benchmark

FIGURES = [
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
    started = time.monotonic()
    profile = tmp_path / "PROFILE.md"
    figures = benchmark.main(["--quick", "--profile", str(profile)])
    elapsed = time.monotonic() - started
    for name in FIGURES:
        value = figures[name]
        assert isinstance(value, float | int) and math.isfinite(value) and value > 0, (name, value)
    assert figures["errors_logged"] == 0, "the bot logged errors: the benchmark measured failures"
    assert "Top 25 functions by cumulative time" in profile.read_text(encoding="utf-8")
    printed = capsys.readouterr().out
    for label in (
        "Advisor / echo throughput",
        "Advisor latency p99",
        "Start-up to first reply",
        "Cost ratio",
    ):
        assert label in printed
    assert elapsed < 20, f"the quick benchmark took {elapsed:.1f} s"
