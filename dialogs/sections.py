"""The plan as data: titled sections of blocks, which the chat and the PDF each render.

A block is an optional heading (a dated step, a timeline phase, a list's title) over light-Markdown text.
The chat turns blocks into a Reply's Markdown (Telegram HTML and the terminal render that); the PDF
lays out the same records itself, so nothing is flattened to Markdown and parsed back.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace


class Shrink(enum.Enum):
    """What a block keeps when its chat message must get shorter (the PDF always has it all)."""

    KEEP = "keep"  # shown whole, or left out whole when nothing else gives way
    HEADING = "heading"  # a dated step keeps its one-line heading
    DROP = "drop"  # an undated note goes first


@dataclass(frozen=True)
class Block:
    """One paragraph of the plan: a bold heading with an aside after it, then the text."""

    text: str = ""
    heading: str = ""  # shown bold, e.g. "Take Step 3" or "Jun 2027 to Sep 2027"
    aside: str = ""  # light Markdown right after the heading, e.g. " (Dec 2026 to Jun 2027)"
    shrink: Shrink = Shrink.KEEP

    def shortened(self) -> "Block | None":
        """Return the block as a short message shows it, or None when it goes."""
        if self.shrink is Shrink.DROP:
            return None
        if self.shrink is Shrink.HEADING:
            return replace(self, text="")
        return self


@dataclass(frozen=True)
class Section:
    """One part of the plan: a title ("" for none) and its blocks, most important first."""

    title: str
    blocks: tuple[Block, ...]


def block_markdown(block: Block) -> str:
    """Return *block* as the light Markdown a Reply carries."""
    heading = f"**{block.heading}**{block.aside}" if block.heading else ""
    return "\n".join(filter(None, (heading, block.text)))


def blocks_markdown(blocks: Iterable[Block]) -> str:
    """Return *blocks* as light Markdown, one paragraph each."""
    return "\n\n".join(block_markdown(b) for b in blocks)
