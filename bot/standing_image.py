"""Draw a user's Step 2 CK on the article's score bands as a PNG (Pillow)."""

import functools
import io
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

from dialogs.profile import CK_BANDS, CK_RISK_BAND, ck_band

LOW, HIGH = 200, 280  # the scores the bar spans
COLOURS = {
    CK_RISK_BAND: (214, 69, 65),
    "low": (235, 137, 52),
    "borderline": (242, 201, 76),
    "strong": (111, 176, 84),
    "outstanding": (46, 125, 90),
}
WIDTH, HEIGHT = 900, 320
LEFT, RIGHT, BAR_TOP, BAR_BOTTOM = 40, 860, 130, 190


class Band(NamedTuple):
    """One of the profile's CK bands as the picture draws it."""

    name: str
    lowest: int
    highest: int  # the highest score shown
    label: str
    colour: tuple[int, int, int]


def bands() -> list[Band]:
    """Return the profile's CK bands (dialogs/profile.py) as drawn, lowest first."""
    floors = [(LOW, CK_RISK_BAND), *reversed(CK_BANDS)]
    drawn = []
    for index, (lowest, name) in enumerate(floors):
        highest = floors[index + 1][0] - 1 if index + 1 < len(floors) else HIGH
        if index == 0:
            span = f"under {highest + 1}"
        else:
            span = f"{lowest}+" if highest == HIGH else f"{lowest}-{highest}"
        drawn.append(Band(name, lowest, highest, f"{span}\n{name.replace('_', ' ')}", COLOURS[name]))
    return drawn


def _x(score: int) -> int:
    clamped = max(LOW, min(HIGH, score))
    return round(LEFT + (clamped - LOW) / (HIGH - LOW) * (RIGHT - LEFT))


@functools.lru_cache(maxsize=512)  # a few hundred possible scores; drawing costs ~1 ms each
def standing_png(ck: int | str, retake: int | str | None = None) -> bytes:
    """Return a PNG with the bands and a marker at the user's score (or at a failure)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=28)
    font = ImageFont.load_default(size=17)
    draw.text((LEFT, 24), "Your Step 2 CK on the score bands", fill=(30, 30, 30), font=title_font)
    drawn = bands()
    for band in drawn:
        x0, x1 = _x(band.lowest), _x(band.highest + 1) if band.highest < HIGH else RIGHT
        draw.rectangle([x0, BAR_TOP, x1, BAR_BOTTOM], fill=band.colour)
        draw.multiline_text((x0 + 4, BAR_BOTTOM + 10), band.label, fill=(40, 40, 40), font=font, spacing=4)
    if ck == "failed":  # the profile puts any failure in a band, whatever the later score: mark its middle
        band = next(b for b in drawn if b.name == ck_band({"ck": ck, "ck_retake": retake}))
        x = _x((band.lowest + band.highest + 1) // 2)
        later = f" (passed later: {retake})" if isinstance(retake, int) else ""
        caption = f"A failed attempt counts as {band.name.replace('_', ' ')}{later}"
    else:
        x, caption = _x(int(ck)), f"You: {ck}"
    draw.polygon([(x - 12, BAR_TOP - 26), (x + 12, BAR_TOP - 26), (x, BAR_TOP - 4)], fill=(20, 20, 20))
    draw.line([x, BAR_TOP - 4, x, BAR_BOTTOM], fill=(20, 20, 20), width=4)
    text_x = max(LEFT, min(x - 60, RIGHT - 380))
    draw.text((text_x, BAR_TOP - 58), caption, fill=(20, 20, 20), font=font)
    draw.text(
        (LEFT, HEIGHT - 40),
        "General guide from published advice; programs' filters differ.",
        fill=(90, 90, 90),
        font=font,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
