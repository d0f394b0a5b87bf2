"""Logging set-up: the token is masked everywhere, and libraries that log message contents stay quiet."""

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "***"
# Loggers that print request URLs (the token is in the path) or whole updates and API parameters
# (what users typed) at DEBUG or INFO; they stay at WARNING / INFO whatever LOG_LEVEL says.
QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "transitions": logging.WARNING}
NO_DEBUG = ("telegram",)


def secret_pattern(secrets: Iterable[str | None]) -> re.Pattern[str] | None:
    """Return a pattern matching each secret as written, URL-encoded, in any letter case."""
    variants: set[str] = set()
    for secret in secrets:
        if secret:
            variants |= {secret, quote(secret, safe=""), quote(secret)}
    if not variants:
        return None
    # Any case: python-telegram-bot rewrites some error descriptions in lower case.
    return re.compile("|".join(map(re.escape, sorted(variants, key=len, reverse=True))), re.IGNORECASE)


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Return *text* with every one of *secrets* masked."""
    pattern = secret_pattern(secrets)
    return pattern.sub(MASK, text) if pattern else text


class SecretMask(logging.Filter):
    """Replace each secret in a record's message, arguments and traceback with ***."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]
        self.pattern = secret_pattern(self.secrets)

    def redact(self, text: str) -> str:
        """Return *text* with every secret masked."""
        return self.pattern.sub(MASK, text) if self.pattern else text

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the record once, masked, so no handler or formatter sees the secret."""
        if self.pattern is None:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, secrets: Iterable[str | None]) -> SecretMask:
    """Set up the root logger at *level* with the secret mask on every handler; return the mask."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    mask = SecretMask(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(mask)
    for name, floor in QUIET.items():
        logging.getLogger(name).setLevel(floor)
    root_level = logging.getLogger().getEffectiveLevel()
    for name in NO_DEBUG:
        # python-telegram-bot logs every update and every API call's parameters at DEBUG.
        logging.getLogger(name).setLevel(max(root_level, logging.INFO))
    return mask
