"""The operators' /stats text."""

from typing import Any

from bot.text import LIMIT


def stats_text(stats: dict[str, Any]) -> str:
    """Return the usage figures as a message (light Markdown; question texts are escaped on render)."""
    lines = [
        "**Usage**",
        f"- Users who started: {stats['users_started']}",
        f"- Completed the questionnaire: {stats['completed']}",
        f"- Active in the last 7 days: {stats['active_7_days']}",
        "",
        "**Questions without a confident answer** (top 20)",
    ]
    lines += [f"- {count} × {' '.join(text.split())[:120]}" for text, count in stats["unanswered"]] or [
        "- none"
    ]
    lines += ["", "**Ratings** (helpful / not helpful)"]
    lines += [f"- {item}: {up} / {down}" for item, up, down in stats["ratings"]] or ["- none yet"]
    return "\n".join(lines)[:LIMIT]
