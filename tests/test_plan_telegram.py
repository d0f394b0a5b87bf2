"""The plan through the real Telegram stack: one screen first, each part behind its button."""

import re

from tests.test_telegram import USER, answer_everything

TAGS = re.compile(r"<[^>]+>")


def visible(html_text: str) -> str:
    return TAGS.sub("", html_text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


async def test_plan_opens_with_one_screen_and_each_part_behind_a_button(bot):
    await answer_everything(bot)
    first = await bot.tap(USER, "Show my plan")
    assert len(first) == 1, "one message, not one per part"
    assert len(visible(first[0])) <= 900
    assert "Your CK of 225" in first[0] and "<b>Your next three steps</b>" in first[0]
    labels = [b["text"] for row in bot.api.last_keyboard(USER) for b in row]
    assert labels[:6] == [
        "Programs",
        "Actions",
        "Personal statement",
        "Red flags",
        "Timeline",
        "Ask a question",
    ]
    for label in labels[:5]:
        texts = await bot.tap(USER, label)
        assert len(texts) == 1 and texts[0].startswith(f"<b>{label}"), label
        assert len(visible(texts[0])) <= 1500, label
        assert bot.api.button(USER, "👍"), "a part can be rated"
    asked = await bot.tap(USER, "Ask a question")
    assert "in your own words" in asked[0]
    faq = next(b for row in bot.api.last_keyboard(USER) for b in row if b["callback_data"].startswith("faq:"))
    answer = await bot.press(USER, faq["callback_data"])
    assert answer[0].startswith("<b>")
