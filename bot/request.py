"""The HTTP layer toward the Bot API: python-telegram-bot's HTTPX request, retried only when safe.

A request is repeated only when it provably never reached the Bot API: httpx's transport retries a
refused or timed-out *connection* (``retries``), and the AIORateLimiter retries a 429 after its
retry_after. A read timeout, a dropped connection or a 5xx may come after Telegram delivered the
message, so those are not repeated: a duplicate question is worse than a missing one, which the user
gets back by tapping again.
"""

import httpx
from telegram.request import HTTPXRequest

CONNECT_RETRIES = 3  # httpx backs off 0.5 s, 1 s, 2 s between connection attempts
POOL_SIZE = 80  # above the 64 concurrent updates, so a request rarely waits for a connection


def bot_api_request(connection_pool_size: int = POOL_SIZE, **kwargs) -> HTTPXRequest:
    """Return PTB's HTTPXRequest with connection-only retries (*kwargs*: PTB's timeouts)."""
    # A transport replaces the one PTB would build, so it carries the pool size itself.
    transport = httpx.AsyncHTTPTransport(
        retries=CONNECT_RETRIES, limits=httpx.Limits(max_connections=connection_pool_size)
    )
    return HTTPXRequest(
        connection_pool_size=connection_pool_size, httpx_kwargs={"transport": transport}, **kwargs
    )
