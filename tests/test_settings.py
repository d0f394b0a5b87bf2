"""Settings come only from the environment, and the README documents every one of them."""

import re
from dataclasses import fields
from pathlib import Path

from bot.settings import ENVIRONMENT, Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_table_lists_every_setting():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, re.MULTILINE))
    assert documented == set(ENVIRONMENT)
    assert {v.field for v in ENVIRONMENT.values()} == {f.name for f in fields(Settings)}


def test_readme_starts_with_exactly_two_commands():
    block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["python3 dev.py run", "python3 dev.py test"]
    assert "python3 dev.py test" in (Path(__file__).resolve().parent.parent / ".ci/run").read_text()


def test_defaults_and_parsing():
    settings = Settings.from_env({})
    assert settings.bot_token is None and settings.api_base_url == "https://api.telegram.org/bot"
    custom = Settings.from_env(
        {"TELEGRAM_BOT_TOKEN": "1:x", "ADVISOR_OPERATOR_IDS": "5, 6", "LOG_LEVEL": "debug"}
    )
    assert custom.operator_ids == frozenset({5, 6}) and custom.log_level == "DEBUG"


def test_token_never_shows_in_repr():
    assert "SECRET" not in repr(Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:SECRET"}))
