"""Print the plan for the issue's reference profiles: first message in full, then each part's length.

.venv/bin/python -m tools.show_plans       # add -v to print every part in full, --pdf for the PDF's sections
"""

import sys
from datetime import date

from bot.text import to_plain
from content.loader import load_library
from dialogs.plan import PARTS, build_plan, full_plan, part_reply
from dialogs.sections import blocks_markdown

TODAY = date(2026, 11, 24)
BASE = {
    "visa": "j1",
    "step1": "pass_first",
    "ck": 240,
    "usce": "both",
    "usce_kind": "hands_on",
    "usce_weeks": 12,
    "usce_psych_weeks": 6,
    "letters_count": 3,
    "letters_from": ["im", "psych"],
    "research": "completed",
    "goals": ["cl"],
    "english": ["test"],
    "timing": "next_season",
}
SAMPLE = {
    **BASE,
    "step1": "pass_after_fail",
    "ck": 225,
    "usce": "none",
    "letters_count": 0,
    "research": "none",
    "goals": ["smi", "cl"],
    "english": ["none"],
}
for key in ("usce_weeks", "usce_psych_weeks", "letters_from"):
    SAMPLE.pop(key)
PROFILES = {
    "guide's sample (J-1, Step 1 passed after a failure, CK 225, no USCE, next season)": SAMPLE,
    "H-1B with CK 238": {**BASE, "visa": "h1b", "ck": 238},
    "green card with CK 219": {**BASE, "visa": "none", "ck": 219},
    "CK 262 clean": {**BASE, "ck": 262},
    "Step 1 failed and not passed": {**BASE, "step1": "failed", "ck": 250},
    "CK failed then passed 221": {**BASE, "ck": "failed", "ck_retake": 221},
    "applying this season with nothing done": {
        **SAMPLE,
        "step1": "pass_first",
        "ck": 232,
        "timing": "this_season",
    },
    "16 weeks of IM with 4 IM letters": {
        **BASE,
        "usce": "im",
        "usce_kind": "hands_on",
        "usce_weeks": 16,
        "letters_count": 4,
        "letters_from": ["im"],
    },
}
PROFILES["16 weeks of IM with 4 IM letters"].pop("usce_psych_weeks")


def main() -> None:
    """Print every reference profile's plan."""
    library = load_library()
    for name, answers in PROFILES.items():
        first = build_plan(library, answers, TODAY, 6)[0]
        print(f"\n=== {name}\nanswers: {answers}\n--- first message ({len(first.text)} chars)\n{first.text}")
        print("buttons:", " | ".join(c.label for row in first.choices for c in row))
        for part in PARTS:
            if part != "ask" and not any(c.data == f"part:{part}" for row in first.choices for c in row):
                continue
            reply = part_reply(library, answers, part, TODAY, 6)
            print(f"  part {PARTS[part][1]}: {len(reply.text)} chars")
            if "-v" in sys.argv:
                print("    " + reply.text.replace("\n", "\n    "))
        if "--pdf" in sys.argv:  # the same sections the PDF lays out, as the terminal shows text
            for section in full_plan(library, answers, TODAY, 6):
                print(f"--- pdf: {section.title}\n{to_plain(blocks_markdown(section.blocks))}")


if __name__ == "__main__":
    main()
