"""Configuration, read once from the environment."""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple

SECRET_FIELDS = ("bot_token", "webhook_secret")


@dataclass(frozen=True)
class Settings:
    """Every setting the bot reads; see the README's configuration table."""

    bot_token: str | None = None  # None: terminal chat
    api_base_url: str = "https://api.telegram.org/bot"
    db_path: Path = Path("data/advisor.db")
    log_level: str = "INFO"
    season_open_month: int = 6
    operator_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None  # public HTTPS URL Telegram posts to; None: polling
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_path: str = "/telegram"
    webhook_secret: str | None = None
    health_path: str = "/healthz"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Settings":
        """Build settings from environment variables, with defaults for anything unset or empty."""
        return cls(**{v.field: v.parse(env[name]) for name, v in ENVIRONMENT.items() if env.get(name)})

    def __repr__(self) -> str:
        # Never show the token, even in a debug log or a traceback.
        shown = ", ".join(
            f"{f.name}={'***' if f.name in SECRET_FIELDS and getattr(self, f.name) else getattr(self, f.name)!r}"
            for f in fields(self)
        )
        return f"Settings({shown})"


def _ids(text: str) -> frozenset[int]:
    return frozenset(int(x) for x in text.replace(",", " ").split())


class Variable(NamedTuple):
    """One environment variable: the Settings field it sets, what it means, and how its text is read."""

    field: str
    meaning: str
    parse: Callable[[str], Any] = str


ENVIRONMENT = {
    # variable -> how it sets a Settings field; from_env reads this and the README table is checked against it.
    "TELEGRAM_BOT_TOKEN": Variable("bot_token", "Bot token from @BotFather. Unset: terminal chat."),
    "TELEGRAM_API_BASE_URL": Variable(
        "api_base_url", "Bot API base URL (self-hosted Bot API server, tests)."
    ),
    "ADVISOR_DB_PATH": Variable("db_path", "SQLite file for sessions and logs.", Path),
    "LOG_LEVEL": Variable("log_level", "Python log level.", str.upper),
    "ADVISOR_SEASON_OPEN_MONTH": Variable(
        "season_open_month", "Month (1-12) the application season opens.", int
    ),
    "ADVISOR_OPERATOR_IDS": Variable("operator_ids", "Telegram user ids allowed to use /stats.", _ids),
    "ADVISOR_WEBHOOK_URL": Variable("webhook_url", "Public HTTPS URL for webhook mode; unset: polling."),
    "ADVISOR_WEBHOOK_LISTEN": Variable("webhook_listen", "Address the webhook server binds."),
    "ADVISOR_WEBHOOK_PORT": Variable("webhook_port", "Port the webhook server binds.", int),
    "ADVISOR_WEBHOOK_PATH": Variable("webhook_path", "Path Telegram posts updates to."),
    "ADVISOR_WEBHOOK_SECRET": Variable(
        "webhook_secret", "Secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token."
    ),
    "ADVISOR_HEALTH_PATH": Variable("health_path", "Health endpoint path for the process manager."),
}
