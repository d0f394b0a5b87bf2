"""Rendering for Telegram: everything escaped, nothing over 4096 characters, splits on paragraphs."""

from bot.text import LIMIT, split_message, to_html, to_plain


def test_html_special_characters_are_escaped():
    assert to_html("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert to_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_light_markdown_becomes_tags():
    assert to_html("**bold** and _it_") == "<b>bold</b> and <i>it</i>"
    assert to_html("- item") == "• item"
    assert (
        to_html('[site](https://x.org/?a=1&b="2")')
        == '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">site</a>'
    )


def test_snake_case_is_not_italic():
    assert to_html("not_taken and step_1") == "not_taken and step_1"


def test_long_text_splits_on_paragraphs_under_the_limit():
    paragraphs = [f"Paragraph {i} " + "word " * 150 for i in range(12)]
    parts = split_message("\n\n".join(paragraphs))
    assert len(parts) > 1
    assert all(len(to_html(p)) <= LIMIT for p in parts)
    assert all(p.startswith("Paragraph") for p in parts)


def test_one_huge_paragraph_still_splits():
    parts = split_message("<&>" * 5000)
    assert all(len(to_html(p)) <= LIMIT for p in parts)
    assert "".join(parts) == "<&>" * 5000


def test_plain_rendering_drops_markers():
    assert to_plain("**Hi** _there_") == "Hi there"
