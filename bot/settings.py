"""Configuration, read once from the environment."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

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
        """Build settings from environment variables, with defaults for anything unset."""
        operators = env.get("ADVISOR_OPERATOR_IDS", "")
        return cls(
            bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or cls.api_base_url,
            db_path=Path(env.get("ADVISOR_DB_PATH") or cls.db_path),
            log_level=(env.get("LOG_LEVEL") or cls.log_level).upper(),
            season_open_month=int(env.get("ADVISOR_SEASON_OPEN_MONTH") or cls.season_open_month),
            operator_ids=frozenset(int(x) for x in operators.replace(",", " ").split()),
            webhook_url=env.get("ADVISOR_WEBHOOK_URL") or None,
            webhook_listen=env.get("ADVISOR_WEBHOOK_LISTEN") or cls.webhook_listen,
            webhook_port=int(env.get("ADVISOR_WEBHOOK_PORT") or cls.webhook_port),
            webhook_path=env.get("ADVISOR_WEBHOOK_PATH") or cls.webhook_path,
            webhook_secret=env.get("ADVISOR_WEBHOOK_SECRET") or None,
            health_path=env.get("ADVISOR_HEALTH_PATH") or cls.health_path,
        )

    def __repr__(self) -> str:
        # Never show the token, even in a debug log or a traceback.
        shown = ", ".join(
            f"{f.name}={'***' if f.name in SECRET_FIELDS and getattr(self, f.name) else getattr(self, f.name)!r}"
            for f in fields(self)
        )
        return f"Settings({shown})"


ENVIRONMENT = {
    # variable -> (Settings field, meaning); the README table is checked against this.
    "TELEGRAM_BOT_TOKEN": ("bot_token", "Bot token from @BotFather. Unset: terminal chat."),
    "TELEGRAM_API_BASE_URL": ("api_base_url", "Bot API base URL (self-hosted Bot API server, tests)."),
    "ADVISOR_DB_PATH": ("db_path", "SQLite file for sessions and logs."),
    "LOG_LEVEL": ("log_level", "Python log level."),
    "ADVISOR_SEASON_OPEN_MONTH": ("season_open_month", "Month (1-12) the application season opens."),
    "ADVISOR_OPERATOR_IDS": ("operator_ids", "Telegram user ids allowed to use /stats."),
    "ADVISOR_WEBHOOK_URL": ("webhook_url", "Public HTTPS URL for webhook mode; unset: polling."),
    "ADVISOR_WEBHOOK_LISTEN": ("webhook_listen", "Address the webhook server binds."),
    "ADVISOR_WEBHOOK_PORT": ("webhook_port", "Port the webhook server binds."),
    "ADVISOR_WEBHOOK_PATH": ("webhook_path", "Path Telegram posts updates to."),
    "ADVISOR_WEBHOOK_SECRET": (
        "webhook_secret",
        "Secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token.",
    ),
    "ADVISOR_HEALTH_PATH": ("health_path", "Health endpoint path for the process manager."),
}
