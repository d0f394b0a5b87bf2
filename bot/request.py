"""The HTTP layer toward the Bot API: python-telegram-bot's HTTPX request, retrying transient failures."""

import asyncio
import logging
from typing import Any

from telegram.error import NetworkError
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)

BACKOFF = (0.2, 0.6, 1.5)  # seconds before the 2nd, 3rd and 4th attempt


class RetryingRequest(HTTPXRequest):
    """Retry connection failures, timeouts, dropped connections and 5xx answers a few times.

    429s are not handled here: python-telegram-bot turns them into RetryAfter above this layer, where
    the AIORateLimiter waits the requested time and retries.
    """

    def __init__(self, *args: Any, backoff: tuple[float, ...] = BACKOFF, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backoff = backoff

    async def do_request(
        self, url: str, method: str, request_data=None, **timeouts: Any
    ) -> tuple[int, bytes]:
        """Send one request, retrying transient failures; never logs the URL (it holds the token)."""
        api_method = url.rsplit("/", 1)[-1]
        for attempt, pause in enumerate((*self.backoff, None)):
            try:
                status, body = await super().do_request(url, method, request_data, **timeouts)
            except NetworkError as error:
                if pause is None:
                    raise
                logger.warning(
                    "Bot API %s failed (%s); retry %d", api_method, type(error).__name__, attempt + 1
                )
                await asyncio.sleep(pause)
                continue
            if status >= 500 and pause is not None:
                logger.warning("Bot API %s answered %d; retry %d", api_method, status, attempt + 1)
                await asyncio.sleep(pause)
                continue
            return status, body
        raise AssertionError("unreachable")
