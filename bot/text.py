"""Turn the content's light Markdown into Telegram HTML or plain terminal text, and split long texts."""

import functools
import html
import re

LIMIT = 4096
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])_(?!_)(.+?)(?<!_)_(?![\w])", re.DOTALL)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@functools.lru_cache(maxsize=2048)  # prompts and snippets repeat across users
def to_html(markdown: str) -> str:
    """Return Telegram HTML for *markdown*; every other character is escaped."""
    text = html.escape(markdown, quote=False)
    # The text is escaped already; inside the attribute only the quote still needs escaping.
    text = _LINK.sub(lambda m: f'<a href="{m.group(2).replace(chr(34), "&quot;")}">{m.group(1)}</a>', text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    return re.sub(r"(?m)^- ", "• ", text)


def to_plain(markdown: str) -> str:
    """Return *markdown* as plain text for a terminal."""
    text = _LINK.sub(r"\1 (\2)", markdown)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    return re.sub(r"(?m)^- ", "• ", text)


def _hard_split(block: str, limit: int) -> list[str]:
    """Split one oversized paragraph on lines, then words, then characters, by rendered length."""
    # Escaping grows a character at most five-fold ("&" -> "&amp;"), so this many always fit.
    safe = limit // 5
    pieces: list[str] = []
    current = ""
    for unit in re.split(r"(\n|\s+)", block):
        if len(to_html(unit)) > limit:
            if current.strip():
                pieces.append(current)
            current = ""
            pieces.extend(unit[i : i + safe] for i in range(0, len(unit), safe))
            continue
        if len(to_html(current + unit)) > limit:
            pieces.append(current)
            current = unit.lstrip()
        else:
            current += unit
    if current.strip():
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def split_message(markdown: str, limit: int = LIMIT) -> list[str]:
    """Split *markdown* into parts whose rendered HTML fits *limit*, on paragraph boundaries."""
    # Rendering at most grows a text five-fold ("&" -> "&amp;"), so short texts need no measuring.
    if len(markdown) * 5 <= limit or len(to_html(markdown)) <= limit:
        return [markdown]
    parts: list[str] = []
    current = ""
    for block in markdown.split("\n\n"):
        candidate = f"{current}\n\n{block}" if current else block
        if len(to_html(candidate)) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if len(to_html(block)) <= limit:
            current = block
        else:
            parts.extend(_hard_split(block, limit))
            current = ""
    if current:
        parts.append(current)
    return parts
