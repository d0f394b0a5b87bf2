"""Throughput, latency, memory and start-up benchmark of the advisor against a bare PTB echo bot.

    python3 dev.py bench                          # full run (a few minutes)
    .venv/bin/python -m bench --quick             # smoke run (seconds)
    .venv/bin/python -m bench --production-only   # only the production run, three times

Two runs: the production run (bench/production.py: each bot its own process, rate limiter and pacing
on, polling a fake Bot API over loopback) decides capacity and CPU per update; the in-process run
(bench/runner.py: `process_update` one update at a time, no network) gives latency, scale and the
profile (bench/PROFILE.md). Start-up and the memory of a fresh process come from real `python -m bot`
processes (bench/startup.py). Targets live in bench/targets.py.
"""

import argparse
import asyncio
import cProfile
import gc
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench.production import production_run
from bench.profiling import PROFILE_PATH, profile_report
from bench.report import production_table, summary_table, tree_state
from bench.runner import (
    ECHO_USERS,
    Run,
    advisor_bot,
    advisor_run,
    drive,
    echo_bot,
    echo_run,
    percentile,
    production_logging,
)
from bench.startup import probe, rss_probe, startup_seconds
from bench.workload import QUESTIONS, StoredUsers, session_templates
from bot.store import Store
from content.loader import load_library
from dialogs.engine import Engine


@dataclass
class Options:
    """Sizes of one benchmark run."""

    updates: int
    warmup: int
    reps: int
    faq_rounds: int
    sizes: tuple[int, int]
    startups: int
    profile: Path | None
    probe_updates: int
    prod_users: int
    prod_reps: int
    prod_warmup: float
    prod_seconds: float
    production_only: bool = False
    probe: tuple[Path, int] | None = None  # internal: measure RSS of a fresh process serving this database


def parse_options(argv: list[str] | None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--updates", type=int, help="updates per run (default 3000, quick 100)")
    parser.add_argument("--profile", type=Path, help=f"where to write the profile (default {PROFILE_PATH})")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--production-only", action="store_true", help="only the production run (3 times)")
    parser.add_argument("--seconds", type=float, help="measured seconds per production run (default 30)")
    parser.add_argument("--rss-probe", nargs=2, metavar=("DB", "USERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quick = args.quick
    updates = args.updates or (100 if quick else 3000)
    profile = None if args.no_profile else args.profile or (None if quick else PROFILE_PATH)
    return Options(
        updates=updates,
        warmup=max(50, updates // 8),
        reps=3,
        faq_rounds=5 if quick else 200,
        sizes=(200, 2_000) if quick else (1_000, 100_000),
        startups=1 if quick else 3,
        profile=profile,
        probe_updates=(args.updates or 1000) if args.rss_probe else (50 if quick else 1000),
        # Enough users that both bots sit at the rate limiter, few enough that queues stay short.
        prod_users=20 if quick else 60,
        prod_reps=1 if quick else 3,
        prod_warmup=1.0 if quick else 5.0,
        prod_seconds=args.seconds or (2.0 if quick else 30.0),
        production_only=args.production_only,
        probe=(Path(args.rss_probe[0]), int(args.rss_probe[1])) if args.rss_probe else None,
    )


def measure_production(options: Options, workdir: Path, say) -> dict[str, Any]:
    """Run the production configuration *reps* times; return the median figures and the two ratios."""
    engine = Engine(load_library())
    say(
        f"Production run: `python -m bot` (AIORateLimiter, per-chat pacing, INFO logging, SQLite file) and"
        f" a bare PTB echo bot with AIORateLimiter, each polling its own fake Bot API on 127.0.0.1;"
        f" {options.prod_users} users each, {options.prod_warmup:.0f} s warm-up, {options.prod_seconds:.0f} s"
        f" measured, {options.prod_reps} runs"
    )
    advisor_runs, echo_runs, errors = [], [], []
    for rep in range(options.prod_reps):
        advisor, echo, logged = production_run(
            engine,
            workdir / f"production-{rep}",
            options.prod_users,
            options.prod_warmup,
            options.prod_seconds,
            rep + 1,
        )
        advisor_runs.append(advisor)
        echo_runs.append(echo)
        errors += logged
        say(
            f"  run {rep + 1}: echo {echo.per_second:.1f} updates/s, {echo.cpu_ms:.2f} ms CPU/update; advisor"
            f" {advisor.per_second:.1f} updates/s, {advisor.messages_per_update:.2f} messages/update,"
            f" {advisor.cpu_ms:.2f} ms CPU/update; capacity {advisor.per_second / echo.per_second:.2f},"
            f" CPU ratio {advisor.cpu_ms / echo.cpu_ms:.2f}"
        )
    for line in production_table(advisor_runs, echo_runs):
        say("  " + line)
    for line in errors[:5]:
        say(f"  logged by the advisor: {line[:150]}")
    pairs = list(zip(advisor_runs, echo_runs, strict=True))
    figures = {
        "prod_echo_updates_per_s": statistics.median(e.per_second for e in echo_runs),
        "prod_advisor_updates_per_s": statistics.median(a.per_second for a in advisor_runs),
        "prod_messages_per_update": statistics.median(a.messages_per_update for a in advisor_runs),
        "prod_echo_cpu_ms": statistics.median(e.cpu_ms for e in echo_runs),
        "prod_advisor_cpu_ms": statistics.median(a.cpu_ms for a in advisor_runs),
        "capacity": statistics.median(a.per_second / e.per_second for a, e in pairs),
        "cpu_ratio": statistics.median(a.cpu_ms / e.cpu_ms for a, e in pairs),
        "prod_errors_logged": len(errors),
    }
    say(
        f"  median of {options.prod_reps}: capacity {figures['capacity']:.2f} (target >= 0.8), CPU ratio"
        f" {figures['cpu_ratio']:.2f} (target <= 1.5)"
    )
    return figures


def _size_label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


async def _measure(options: Options, workdir: Path, say) -> dict[str, Any]:
    engine = Engine(load_library())
    figures: dict[str, Any] = {}
    counter = iter(range(10**6))

    def fresh_db() -> Path:
        return workdir / f"advisor-{next(counter)}.db"

    # 1-2. echo vs advisor: a warm-up, then repetitions in which the two alternate update by update.
    say(f"Warm-up: echo and advisor, {options.warmup} updates each")
    await echo_run(options.warmup)
    await advisor_run(engine, fresh_db(), options.warmup)
    echo_runs: list[Run] = []
    advisor_runs: list[Run] = []
    twice_runs: list[Run] = []
    for rep in range(options.reps):
        gc.collect()
        async with (
            echo_bot(options.updates) as echo,
            advisor_bot(engine, fresh_db(), options.updates) as adv,
            echo_bot(options.updates, replies=2) as twice,
        ):
            first, second, third = await drive([echo, adv, twice])
        echo_runs.append(first)
        advisor_runs.append(second)
        twice_runs.append(third)
        say(
            f"  repetition {rep + 1}: echo {first.per_second:,.0f} updates/s, advisor {second.per_second:,.0f}"
            f" updates/s (CPU time); wall clock {first.wall_per_second:,.0f} and {second.wall_per_second:,.0f}"
        )
    echo_rate = statistics.median(r.per_second for r in echo_runs)
    advisor_rate = statistics.median(r.per_second for r in advisor_runs)
    latencies = [x for r in advisor_runs for x in r.wall]
    sample = advisor_runs[-1]
    figures.update(
        echo_updates_per_s=echo_rate,
        advisor_updates_per_s=advisor_rate,
        throughput_ratio=statistics.median(
            a.per_second / e.per_second for a, e in zip(advisor_runs, echo_runs, strict=True)
        ),
        p50_ms=percentile(latencies, 50) * 1e3,
        p95_ms=percentile(latencies, 95) * 1e3,
        p99_ms=percentile(latencies, 99) * 1e3,
        max_ms=max(latencies) * 1e3,
        rss_mb=max(r.rss_mb for r in advisor_runs),
    )
    echo_cpu = sum(sum(r.cpu) for r in echo_runs)
    advisor_cpu = sum(sum(r.cpu) for r in advisor_runs)
    say("")
    say(
        f"Echo bot (reference): {echo_rate:,.0f} updates/s = {1e6 / echo_rate:.0f} µs/update (median of "
        f"{options.reps} x {options.updates} updates from {ECHO_USERS} users); fake Bot API share "
        f"{100 * sum(r.api_cpu for r in echo_runs) / echo_cpu:.0f}%"
    )
    say(
        f"Advisor: {advisor_rate:,.0f} updates/s = {1e6 / advisor_rate:.0f} µs/update (median of {options.reps});"
        f" ratio advisor/echo {figures['throughput_ratio']:.2f}"
    )
    twice_rate = statistics.median(r.per_second for r in twice_runs)
    figures["two_call_ceiling"] = statistics.median(
        t.per_second / e.per_second for t, e in zip(twice_runs, echo_runs, strict=True)
    )
    harness = sum(r.api_cpu for r in advisor_runs) / advisor_cpu
    echo_harness = sum(r.api_cpu for r in echo_runs) / echo_cpu
    figures["ratio_without_harness"] = (1 - echo_harness) / (1 - harness) * figures["throughput_ratio"]
    say(
        f"  Bot API floor: an echo bot that replies twice does {twice_rate:,.0f} updates/s = "
        f"{1e6 / twice_rate:.0f} µs/update, i.e. {100 * figures['two_call_ceiling']:.0f}% of echo: the best"
        " ratio any bot making two Bot API calls per update can reach through PTB+httpx"
    )
    say(f"  ratio with the fake Bot API's own time taken out of both: {figures['ratio_without_harness']:.2f}")
    say(
        f"  latency per process_update (wall): p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms,"
        f" p99 {figures['p99_ms']:.2f} ms, max {figures['max_ms']:.2f} ms ({len(latencies)} updates)"
    )
    cpu_all = [x for r in advisor_runs for x in r.cpu]
    heavy = ("/plan", "button: show plan", "button: plan PDF")
    cpu_light = [x for r in advisor_runs for k, v in r.cpu_by_kind.items() if k not in heavy for x in v]
    figures["cpu_p99_ms"] = percentile(cpu_all, 99) * 1e3
    figures["cpu_p99_light_ms"] = percentile(cpu_light, 99) * 1e3
    say(
        f"  CPU time per process_update (immune to other processes): p50 {percentile(cpu_all, 50) * 1e3:.2f} ms,"
        f" p95 {percentile(cpu_all, 95) * 1e3:.2f} ms, p99 {figures['cpu_p99_ms']:.2f} ms; without the plan"
        f" views and PDFs ({len(cpu_all) - len(cpu_light)} of {len(cpu_all)}): p99"
        f" {figures['cpu_p99_light_ms']:.2f} ms"
    )
    calls_per_update = sum(v for k, v in sample.calls.items() if k not in ("getMe", "setMyCommands")) / len(
        sample.cpu
    )
    say(
        f"  users: {sample.users}; Bot API calls per update {calls_per_update:.2f} (echo 1.00); fake Bot API"
        f" share {100 * sum(r.api_cpu for r in advisor_runs) / advisor_cpu:.0f}%; Update.de_json (not"
        f" included) {sample.de_json / len(sample.cpu) * 1e6:.0f} µs/update (echo"
        f" {echo_runs[-1].de_json / len(echo_runs[-1].cpu) * 1e6:.0f})"
    )
    by_kind: dict[str, list[float]] = defaultdict(list)
    calls_by_kind: Counter[str] = Counter()
    for run in advisor_runs:
        calls_by_kind.update(run.calls_by_kind)
        for kind, values in run.by_kind.items():
            by_kind[kind].extend(values)
    busy = sum(sum(v) for v in by_kind.values())
    say(f"  by kind of update ({options.reps} repetitions pooled, wall clock), most costly first:")
    say(
        f"    {'kind':<26} {'count':>6} {'share':>6} {'mean ms':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}"
        f" {'API calls':>9}"
    )
    for kind, values in sorted(by_kind.items(), key=lambda item: -sum(item[1])):
        say(
            f"    {kind:<26} {len(values):>6} {100 * sum(values) / busy:>5.1f}% {statistics.fmean(values) * 1e3:>8.2f}"
            f" {percentile(values, 50) * 1e3:>7.2f} {percentile(values, 99) * 1e3:>7.2f} {max(values) * 1e3:>7.2f}"
            f" {calls_by_kind[kind] / len(values):>9.2f}"
        )
    say("  Bot API calls: " + ", ".join(f"{k} {v}" for k, v in sample.calls.most_common()))
    say(f"  process RSS: {figures['rss_mb']:.0f} MB")

    # FAQ matching alone.
    timings = []
    clock = time.perf_counter
    for _ in range(options.faq_rounds):
        for question in QUESTIONS:
            started = clock()
            engine.matcher.verdict(question)  # not the remembered verdict: the work itself
            timings.append(clock() - started)
    figures.update(faq_p50_ms=percentile(timings, 50) * 1e3, faq_p95_ms=percentile(timings, 95) * 1e3)
    say(
        f"FAQ matching ({len(timings)} calls over {len(QUESTIONS)} questions): "
        f"p50 {figures['faq_p50_ms'] * 1e3:.0f} µs, p95 {figures['faq_p95_ms'] * 1e3:.0f} µs"
    )

    # 3. Scale: users already stored. Both sizes are filled first, then their runs alternate, so a drift
    # of the machine's speed during the benchmark does not favour either size.
    templates = session_templates(engine)
    scales: list[tuple[StoredUsers, Path, list[Run]]] = []
    for size in options.sizes:
        stored = StoredUsers(size, templates)
        template_db = workdir / f"stored-{size}.db"
        started = time.perf_counter()
        store = Store(template_db)
        stored.populate(store)
        store.close()
        fill = time.perf_counter() - started
        say(
            f"Scale: {size:,} users stored in {fill:.1f} s "
            f"({template_db.stat().st_size / 2**20:.0f} MB file, executemany in one transaction)"
        )
        scales.append((stored, template_db, []))
    for rep in range(options.reps):
        (small, small_db, small_runs), (large, large_db, large_runs) = scales
        paths = [fresh_db(), fresh_db()]
        shutil.copyfile(small_db, paths[0])
        shutil.copyfile(large_db, paths[1])
        gc.collect()
        async with (
            advisor_bot(engine, paths[0], options.updates, stored=small, stored_share=0.3) as one,
            advisor_bot(engine, paths[1], options.updates, stored=large, stored_share=0.3) as two,
        ):
            first, second = await drive([one, two])
        small_runs.append(first)
        large_runs.append(second)
        say(
            f"  repetition {rep + 1}: {1e6 / first.per_second:.0f} µs/update with {small.size:,} stored, "
            f"{1e6 / second.per_second:.0f} µs/update with {large.size:,}"
        )
    for (stored, template_db, _), name in zip(scales, ("small", "large"), strict=True):
        db = fresh_db()
        shutil.copyfile(template_db, db)
        figures[f"rss_{name}_fresh_mb"] = rss_probe(db, stored.size, options.probe_updates)
    for (stored, _, runs), name in zip(scales, ("small", "large"), strict=True):
        rate = statistics.median(r.per_second for r in runs)
        figures[f"cost_{name}_us"] = 1e6 / rate
        figures[f"rss_{name}_mb"] = max(r.rss_mb for r in runs)
        figures[f"users_{name}"] = stored.size
        say(
            f"  {stored.size:,} users stored: {1e6 / rate:.0f} µs/update ({rate:,.0f} updates/s, median of "
            f"{options.reps}); users {runs[-1].users}, of them stored {runs[-1].stored_users}; RSS of a fresh"
            f" `advisor` process after {options.probe_updates} updates on this database:"
            f" {figures[f'rss_{name}_fresh_mb']:.0f} MB"
        )
    say(
        f"  RSS of this process with both databases open after the paired runs: {figures['rss_large_mb']:.0f} MB"
    )
    figures["scale_ratio"] = statistics.median(
        few.per_second / many.per_second for few, many in zip(scales[0][2], scales[1][2], strict=True)
    )
    say(
        f"  per-update cost ratio {_size_label(options.sizes[1])}/{_size_label(options.sizes[0])}: "
        f"{figures['scale_ratio']:.2f}"
    )

    # 5. Profile.
    if options.profile is not None:
        profiled = max(100, options.updates // 2)  # enough for the shares; keeps the run short
        profiler = cProfile.Profile()
        advisor = await advisor_run(engine, fresh_db(), profiled, profiler=profiler)
        echo_profiler = cProfile.Profile()
        echo_sample = await echo_run(profiled, profiler=echo_profiler)
        head = (
            f"Generated by `python -m bench` on {date.today().isoformat()}: one advisor run of "
            f"{profiled} updates on a fresh database, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs; code: {tree_state()}."
        )
        shares = profile_report(profiler, advisor, options.profile, head, echo=(echo_profiler, echo_sample))
        say(f"Profile written to {options.profile}; self time by layer:")
        for layer, share in sorted(shares.items(), key=lambda item: -item[1])[:12]:
            say(f"  {100 * share:5.1f}%  {layer}")
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print every figure and the summary table; return the figures."""
    process_started = time.perf_counter()
    options = parse_options(argv)
    if options.probe is not None:
        with production_logging():
            rss = asyncio.run(probe(*options.probe, options.probe_updates))
        print("RSS_PROBE " + json.dumps({"rss_mb": rss}), flush=True)
        return {"rss_mb": rss}

    def say(text: str) -> None:
        print(text, flush=True)

    say(
        f"Med-Psych Advisor benchmark: {options.updates} updates per run, {options.reps} repetitions, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; code {tree_state()}"
    )
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        workdir = Path(tmp)
        figures = measure_production(options, workdir, say)
        if options.production_only:
            return figures
        say(
            "In-process run: sequential `await application.process_update(update)`, the Bot API answered in"
            " this process (tests.fakeapi through an httpx transport); the advisor built by"
            " bot.app.build_application with rate_limiter=False, everything else as production, including"
            " INFO logging (to /dev/null)."
        )
        with production_logging() as problems:
            figures.update(asyncio.run(_measure(options, workdir, say)))
        kinds = Counter(f"{r.levelname} {r.name}: {r.getMessage()[:90]}" for r in problems.records)
        figures["problems_logged"] = len(problems.records)
        figures["errors_logged"] = figures["prod_errors_logged"] + sum(
            r.levelno >= logging.ERROR for r in problems.records
        )
        say(f"Warnings/errors logged during the runs: {len(problems.records)}")
        for text, count in kinds.most_common(8):
            say(f"  {count} x {text}")
        say(f"Start-up: `python -m bot` with a /start queued, {options.startups} launch(es)")
        launches = [startup_seconds(workdir, attempt) for attempt in range(options.startups)]
        figures["startup_s"] = statistics.median(reply for _, reply in launches)
        figures["startup_first_call_s"] = statistics.median(call for call, _ in launches)
        say("  to first reply: " + ", ".join(f"{reply:.2f} s" for _, reply in launches))
        say(
            "  to the first Bot API call (getMe: imports, content, engine, store, application built): "
            + ", ".join(f"{call:.2f} s" for call, _ in launches)
        )
    say("")
    for line in summary_table(figures, (_size_label(options.sizes[0]), _size_label(options.sizes[1]))):
        say(line)
    say(f"Total benchmark time: {time.perf_counter() - process_started:.0f} s")
    return figures


if __name__ == "__main__":
    main()
