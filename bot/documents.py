"""The plan as a PDF document (fpdf2): every part in full, from the same sections the chat shows."""

import functools
import json
import re
from datetime import date

from fpdf import FPDF

from bot.text import to_plain
from content.model import Library
from dialogs.plan import full_plan
from dialogs.sections import Block, Section
from dialogs.views import answers_lines

# The PDF core fonts speak Latin-1; fold the typography our content uses into it.
_FOLD = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "•": "-", "…": "...", "\u00a0": " "}
)
_EMOJI = re.compile(r"[^\x00-\xff]")


def _latin1(text: str) -> str:
    return _EMOJI.sub("", to_plain(text).translate(_FOLD)).strip()


@functools.lru_cache(maxsize=64)
def _cached_pdf(library: Library, answers_json: str, today: date, open_month: int) -> bytes:
    return plan_pdf(library, json.loads(answers_json), today, open_month)


def cached_plan_pdf(library: Library, answers: dict, today: date, open_month: int) -> bytes:
    """Return the plan PDF, reusing the one made for the same answers today (repeat downloads)."""
    return _cached_pdf(library, json.dumps(answers, sort_keys=True), today, open_month)


def plan_pdf(library: Library, answers: dict, today: date, open_month: int, compress: bool = True) -> bytes:
    """Return the PDF bytes of the profile, the plan parts, the timeline and the sources."""
    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title("Med-Psych Advisor - your plan")
    pdf.set_author("Med-Psych Advisor")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "Your med-psych application plan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, f"Made by Med-Psych Advisor on {today.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _section(pdf, Section("Your answers", (Block("\n".join(answers_lines(library, answers))),)))
    # The PDF is where the whole plan lives: every part in full, the background and the sources.
    for section in full_plan(library, answers, today, open_month):
        _section(pdf, section)
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str) -> list[str]:
    """Break *text* into lines that fit the page, greedily by words.

    fpdf2's own multi_cell re-measures the whole line for every character it adds, which made a
    plan take ~200 ms; measuring each word once keeps it to a few milliseconds.
    """
    width = pdf.w - pdf.l_margin - pdf.r_margin - 1
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    for source_line in text.split("\n"):
        current, used = "", 0.0
        for word in source_line.split():
            size = pdf.get_string_width(word)
            if current and used + space + size > width:
                lines.append(current)
                current, used = "", 0.0
            current, used = (f"{current} {word}", used + space + size) if current else (word, size)
        lines.append(current)
    return lines


def _lines(pdf: FPDF, text: str, height: float) -> None:
    for line in _wrap(pdf, _latin1(text)):
        pdf.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")


def _section(pdf: FPDF, section: Section) -> None:
    if section.title:
        pdf.set_font("Helvetica", "B", 13)
        _lines(pdf, section.title, 7)
        pdf.ln(1)
    for block in section.blocks:
        if block.heading:  # a dated step or a timeline phase: its own bold line
            pdf.set_font("Helvetica", "B", 10.5)
            _lines(pdf, block.heading + block.aside, 5.5)
        pdf.set_font("Helvetica", "", 10.5)
        for paragraph in block.text.split("\n\n"):
            if _latin1(paragraph):
                _lines(pdf, paragraph, 5.5)
                pdf.ln(2)
        if block.heading and not block.text:
            pdf.ln(2)
    pdf.ln(2)
