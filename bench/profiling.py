"""The profile of the in-process run, written to bench/PROFILE.md (its hand-written analysis kept)."""

import cProfile
import pstats
from collections import Counter
from pathlib import Path

from bench.runner import Run

ROOT = Path(__file__).resolve().parent.parent
PROFILE_PATH = Path(__file__).resolve().parent / "PROFILE.md"
ANALYSIS_START = "<!-- analysis:start -->"
ANALYSIS_END = "<!-- analysis:end -->"

ENTRY_POINTS = [
    ("Application.process_update (everything)", "telegram/ext/_application.py", "process_update"),
    ("AdvisorHandler.on_update", "bot/handlers.py", "on_update"),
    ("translate.incoming", "bot/translate.py", "incoming"),
    ("Store.load_with_last_update", "bot/store.py", "load_with_last_update"),
    ("Store.load", "bot/store.py", "load"),
    ("Engine.handle", "dialogs/engine.py", "handle"),
    ("  Engine._repair", "dialogs/engine.py", "_repair"),
    ("  machine.move (transitions)", "dialogs/machine.py", "move"),
    ("    Machine.add_model", "transitions/core.py", "add_model"),
    ("    Machine.remove_model", "transitions/core.py", "remove_model"),
    ("    Event.trigger (the move itself)", "transitions/core.py", "trigger"),
    ("  FaqMatcher.match", "content/search.py", "match"),
    ("  build_plan", "dialogs/plan.py", "build_plan"),
    ("  views.question_reply", "dialogs/views.py", "question_reply"),
    ("  views.summary_reply", "dialogs/views.py", "summary_reply"),
    ("  Session.evolve (dataclasses.replace)", "dialogs/session.py", "evolve"),
    ("Store.save", "bot/store.py", "save"),
    ("  Session.to_record", "dialogs/session.py", "to_record"),
    ("Store.log_unanswered", "bot/store.py", "log_unanswered"),
    ("AdvisorHandler._send_files (picture, PDF)", "bot/handlers.py", "_send_files"),
    ("  standing_png (Pillow)", "bot/standing_image.py", "standing_png"),
    ("  plan_pdf (fpdf2)", "bot/documents.py", "plan_pdf"),
    ("  ExtBot.send_photo", "telegram/ext/_extbot.py", "send_photo"),
    ("  ExtBot.send_document", "telegram/ext/_extbot.py", "send_document"),
    ("AdvisorHandler._send", "bot/handlers.py", "_send"),
    ("  text.split_message", "bot/text.py", "split_message"),
    ("  text.to_html", "bot/text.py", "to_html"),
    ("  handlers.keyboard", "bot/handlers.py", "keyboard"),
    ("ExtBot.send_message", "telegram/ext/_extbot.py", "send_message"),
    ("ExtBot.edit_message_text", "telegram/ext/_extbot.py", "edit_message_text"),
    ("ExtBot.answer_callback_query", "telegram/ext/_extbot.py", "answer_callback_query"),
    ("  RequestParameter/RequestData (encode)", "telegram/request/_requestdata.py", "parameters"),
    ("  HTTPXRequest.do_request", "telegram/request/_httpxrequest.py", "do_request"),
    ("    httpx AsyncClient.send", "httpx/_client.py", "send"),
    ("      fake Bot API (harness, not the bot)", "tests/fakeapi.py", "_answer"),
    ("  Message.de_json (parse Bot API replies)", "telegram/_message.py", "de_json"),
    ("logging Logger.info", "logging/__init__.py", "info"),
    ("json.dumps", "json/__init__.py", "dumps"),
    ("json.loads", "json/__init__.py", "loads"),
]


def _layer(filename: str, name: str) -> str | None:
    """Return the layer a function belongs to, or None to charge its self time to its callers."""
    path = filename.replace("\\", "/")
    if path == "~":  # C built-ins
        if "sqlite3" in name:
            return "sqlite3 (C: execute/fetch/commit)"
        if "json" in name:
            return "json"
        return None
    if "/site-packages/" in path:
        package = path.split("/site-packages/", 1)[1].split("/", 1)[0]
        return {
            "telegram": "python-telegram-bot",
            "httpx": "httpx/httpcore",
            "httpcore": "httpx/httpcore",
            "anyio": "httpx/httpcore",
            "sniffio": "httpx/httpcore",
            "h11": "httpx/httpcore",
            "transitions": "transitions (state machine)",
            "sqlite_utils": "sqlite-utils",
            "PIL": "Pillow (standing picture)",
            "fpdf": "fpdf2 (plan PDF)",
            "fontTools": "fpdf2 (plan PDF)",
            "apscheduler": "APScheduler",
            "aiolimiter": "AIORateLimiter",
        }.get(package, f"site-packages: {package}")
    root = str(ROOT).replace("\\", "/") + "/"
    if path.startswith(root):
        rel = path[len(root) :]
        if rel.startswith(("bench/", "tests/")):
            return "benchmark harness (fake Bot API)"
        if rel == "content/search.py":
            return "FAQ matching (content/search.py)"
        if rel == "bot/text.py":
            return "text rendering (bot/text.py)"
        if rel == "bot/standing_image.py":
            return "Pillow (standing picture)"
        if rel == "bot/documents.py":
            return "fpdf2 (plan PDF)"
        if rel == "bot/store.py":
            return "our store (bot/store.py)"
        if rel.startswith("bot/"):
            return "our adapters (bot/)"
        if rel == "dialogs/machine.py":
            return "transitions (state machine)"
        if rel.startswith("dialogs/"):
            return "our engine (dialogs/)"
        if rel.startswith("content/"):
            return "our content model (content/)"
        return "ours, other"
    for marker, layer in (
        ("/json/", "json"),
        ("/logging/", "logging"),
        ("/asyncio/", "asyncio"),
        ("/sqlite3/", "sqlite3 (C: execute/fetch/commit)"),
        ("/dataclasses.py", "dataclasses (asdict/replace)"),
    ):
        if marker in path:
            return layer
    return None  # other standard library (urllib, re, copy, enum, ...): charged to whoever called it


def _layer_shares(raw: dict) -> Counter[str]:
    """Return self time per layer; time of built-ins and generic stdlib goes to the calling layer."""
    memo: dict[tuple, dict[str, float]] = {}

    def owners(key: tuple, depth: int = 0) -> dict[str, float]:
        if key in memo:
            return memo[key]
        layer = _layer(key[0], key[2])
        if layer is not None:
            memo[key] = {layer: 1.0}
            return memo[key]
        memo[key] = {"stdlib, unattributed": 1.0}  # breaks cycles
        callers = raw.get(key, (0, 0, 0, 0, {}))[4]
        weights = {caller: edge[3] or edge[1] for caller, edge in callers.items()}
        total = sum(weights.values())
        if depth > 30 or not total:
            return memo[key]
        mix: Counter[str] = Counter()
        for caller, weight in weights.items():
            for owner, share in owners(caller, depth + 1).items():
                mix[owner] += share * weight / total
        memo[key] = dict(mix)
        return memo[key]

    layers: Counter[str] = Counter()
    for key, (_, _, tt, _, _) in raw.items():
        for owner, share in owners(key).items():
            layers[owner] += tt * share
    return layers


def _short(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    path = filename.replace("\\", "/")
    for prefix in (str(ROOT).replace("\\", "/") + "/", "site-packages/", "lib/python3"):
        if prefix in path:
            path = path.split(prefix, 1)[1]
            break
    return f"{path}:{line}({name})"


def _layer_table(raw: dict, updates: int) -> list[str]:
    total = sum(tt for (_, _, tt, _, _) in raw.values()) or 1e-9
    lines = [
        "| layer (self time; C built-ins and generic stdlib charged to the caller) | ms | µs/update | % |",
        "|---|---:|---:|---:|",
    ]
    for layer, seconds in _layer_shares(raw).most_common():
        lines.append(
            f"| {layer} | {seconds * 1e3:.1f} | {seconds / updates * 1e6:.1f} | {100 * seconds / total:.1f} |"
        )
    return lines


def profile_report(
    profiler: cProfile.Profile, run: Run, target: Path, head: str, echo: tuple[cProfile.Profile, Run]
) -> dict[str, float]:
    """Write the profile tables to *target*, keeping its hand-written analysis; return layer shares."""
    stats = pstats.Stats(profiler)
    raw: dict = stats.stats  # type: ignore[attr-defined]
    updates = len(run.cpu)
    total = sum(tt for (_, _, tt, _, _) in raw.values()) or 1e-9
    layers = _layer_shares(raw)
    per_update = total / updates * 1e6
    echo_raw: dict = pstats.Stats(echo[0]).stats  # type: ignore[attr-defined]
    echo_updates = len(echo[1].cpu)
    echo_total = sum(tt for (_, _, tt, _, _) in echo_raw.values()) or 1e-9
    api_calls = {k: v for k, v in run.calls.items() if k not in ("getMe", "setMyCommands")}
    per_call = ", ".join(f"{k} {v / updates:.2f}" for k, v in sorted(api_calls.items(), key=lambda i: -i[1]))
    echo_calls = sum(v for k, v in echo[1].calls.items() if k != "getMe") / echo_updates

    def table(sort_index: int) -> list[str]:
        rows = sorted(raw.items(), key=lambda item: -item[1][sort_index])[:25]
        lines = [
            "| ncalls | tottime ms | cumtime ms | cum µs/update | function |",
            "|---:|---:|---:|---:|---|",
        ]
        for key, (cc, nc, tt, ct, _) in rows:
            calls = f"{nc}/{cc}" if nc != cc else str(nc)
            lines.append(
                f"| {calls} | {tt * 1e3:.1f} | {ct * 1e3:.1f} | {ct / updates * 1e6:.1f} | `{_short(key)}` |"
            )
        return lines

    entry_lines = [
        "| entry point | calls | cum ms | µs/update | % of profiled |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, suffix, name in ENTRY_POINTS:
        found = [(v[1], v[3]) for k, v in raw.items() if k[2] == name and k[0].endswith(suffix)]
        if not found:
            continue
        calls = sum(c for c, _ in found)
        cum = max(ct for _, ct in found)
        entry_lines.append(
            f"| {label} | {calls} | {cum * 1e3:.1f} | {cum / updates * 1e6:.1f} | {100 * cum / total:.1f} |"
        )
    layer_lines = _layer_table(raw, updates)
    mix = ", ".join(f"{k} {v}" for k, v in run.kinds.most_common())
    analysis = f"{ANALYSIS_START}\n## Analysis\n\n(not written yet)\n{ANALYSIS_END}"
    if target.exists():
        old = target.read_text(encoding="utf-8")
        if ANALYSIS_START in old and ANALYSIS_END in old:
            start = old.index(ANALYSIS_START)
            analysis = old[start : old.index(ANALYSIS_END) + len(ANALYSIS_END)]
    text = "\n".join(
        [
            "# Profile of the advisor's update handling",
            "",
            head,
            "",
            f"Profiled time: {total * 1e3:.0f} ms over {updates} updates = **{per_update:.0f} µs/update** "
            "under cProfile (cProfile roughly doubles the cost of call-heavy Python code; compare shares,"
            " not absolute times). Only `await application.process_update(update)` is profiled, so the"
            " simulated users and `Update.de_json` are excluded; the in-process fake Bot API is included"
            " and shown as the harness layer.",
            "",
            analysis,
            "",
            "## Cost by layer",
            "",
            f"Workload: {updates} updates from {run.users} users: {mix}.",
            "",
            f"Bot API calls per update: advisor {sum(api_calls.values()) / updates:.2f} ({per_call});"
            f" echo {echo_calls:.2f}.",
            "",
            *layer_lines,
            "",
            f"### The echo bot under the same profiler: {echo_total / echo_updates * 1e6:.0f} µs/update",
            "",
            *_layer_table(echo_raw, echo_updates),
            "",
            "## Cumulative time of entry points (nested rows overlap)",
            "",
            *entry_lines,
            "",
            "## Top 25 functions by cumulative time",
            "",
            *table(3),
            "",
            "## Top 25 functions by total (self) time",
            "",
            *table(2),
            "",
        ]
    )
    target.write_text(text, encoding="utf-8")
    return {layer: seconds / total for layer, seconds in layers.items()}
