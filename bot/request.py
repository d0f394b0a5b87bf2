"""The HTTP layer toward the Bot API: python-telegram-bot's HTTPX request, retried only when safe.

A request is repeated only when it provably never reached the Bot API: httpx's transport retries a
refused or timed-out *connection* (``retries``), and the AIORateLimiter retries a 429 after its
retry_after. A read timeout, a dropped connection or a 5xx may come after Telegram delivered the
message, so those are not repeated: a duplicate question is worse than a missing one, which the user
gets back by tapping again.
"""

import importlib.util
import json
import sys
from typing import Any

import httpx
from telegram.request import HTTPXRequest

CONNECT_RETRIES = 3  # httpx backs off 0.5 s, 1 s, 2 s between connection attempts
POOL_SIZE = 80  # above the 64 concurrent updates, so a request rarely waits for a connection
# Idle connections kept open. httpcore walks every pooled connection (twice, quadratically for the idle
# ones) on each request and response; sends are paced to ~30 a second, so a few connections carry them.
KEEPALIVE = 8


class UpdatesRequest(HTTPXRequest):
    """The getUpdates request, keeping each fetched update's JSON as Telegram sent it (for the inbox).

    The inbox then stores that text instead of serialising PTB's Update objects back (bench/PROFILE.md).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.raw: dict[int, str] = {}  # update_id -> JSON, of the latest getUpdates answer only

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        """Parse as PTB does, and keep the updates' own JSON."""
        data = super().parse_json_payload(payload)
        result = data.get("result")
        if isinstance(result, list):
            self.raw = {
                u["update_id"]: json.dumps(u, separators=(",", ":"))  # ASCII: a lone surrogate stays escaped
                for u in result
                if isinstance(u, dict) and "update_id" in u
            }
        return data


def skip_missing_sniffio() -> None:
    """Make httpcore's `import sniffio` fail at once when sniffio is not installed.

    httpcore tries that import on every lock it takes (several per request); without sniffio each
    attempt searches the whole sys.path again, about a tenth of the bot's CPU time per update
    (bench/PROFILE.md). A None entry in sys.modules is Python's own "known missing" marker.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def bot_api_request(
    connection_pool_size: int = POOL_SIZE, kind: type[HTTPXRequest] = HTTPXRequest, **kwargs
) -> HTTPXRequest:
    """Return PTB's HTTPXRequest (or *kind*) with connection-only retries (*kwargs*: PTB's timeouts)."""
    skip_missing_sniffio()
    # A transport replaces the one PTB would build, so it carries the pool size itself.
    transport = httpx.AsyncHTTPTransport(
        retries=CONNECT_RETRIES,
        limits=httpx.Limits(
            max_connections=connection_pool_size,
            max_keepalive_connections=min(KEEPALIVE, connection_pool_size),
        ),
    )
    return kind(connection_pool_size=connection_pool_size, httpx_kwargs={"transport": transport}, **kwargs)
