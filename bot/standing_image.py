"""Draw a user's Step 2 CK on the article's score bands as a PNG (Pillow)."""

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from dialogs.profile import CK_BANDS, CK_RISK_BAND

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


def bands() -> list[tuple[int, int, str, tuple[int, int, int]]]:
    """Return (lowest, highest score shown, label, colour) for each of the profile's bands, lowest first."""
    floors = [(LOW, CK_RISK_BAND), *reversed(CK_BANDS)]
    drawn = []
    for index, (lowest, band) in enumerate(floors):
        highest = floors[index + 1][0] - 1 if index + 1 < len(floors) else HIGH
        if index == 0:
            span = f"under {highest + 1}"
        else:
            span = f"{lowest}+" if highest == HIGH else f"{lowest}-{highest}"
        drawn.append((lowest, highest, f"{span}\n{band.replace('_', ' ')}", COLOURS[band]))
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
    for low, high, label, colour in bands():
        x0, x1 = _x(low), _x(high + 1) if high < HIGH else RIGHT
        draw.rectangle([x0, BAR_TOP, x1, BAR_BOTTOM], fill=colour)
        draw.multiline_text((x0 + 4, BAR_BOTTOM + 10), label, fill=(40, 40, 40), font=font, spacing=4)
    if ck == "failed":
        score, caption = (
            LOW,
            "A failed attempt counts as high risk"
            + (f" (passed later: {retake})" if isinstance(retake, int) else ""),
        )
    else:
        score, caption = int(ck), f"You: {ck}"
    x = _x(score) if ck != "failed" else _x(210)
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
