"""The operators' /stats text."""

import html
from typing import Any

from bot.text import LIMIT


def stats_html(stats: dict[str, Any]) -> str:
    """Return the usage figures as Telegram HTML; what users typed is escaped, so it shows as typed."""
    lines = [
        "<b>Usage</b>",
        f"• Users who started: {stats['users_started']}",
        f"• Completed the questionnaire: {stats['completed']}",
        f"• Active in the last 7 days: {stats['active_7_days']}",
        "",
        "<b>Questions without a confident answer</b> (top 20)",
    ]
    # Cut before escaping, so an entity such as &amp; is never cut in half.
    lines += [
        f"• {count} × {html.escape(' '.join(text.split())[:120], quote=False)}"
        for text, count in stats["unanswered"]
    ] or ["• none"]
    lines += ["", "<b>Ratings</b> (helpful / not helpful)"]
    lines += [f"• {html.escape(item)}: {up} / {down}" for item, up, down in stats["ratings"]] or [
        "• none yet"
    ]
    text = "\n".join(lines)
    if len(text) > LIMIT:  # drop whole lines, never half a tag or entity
        while len(text) > LIMIT:
            text = text.rsplit("\n", 1)[0]
    return text
