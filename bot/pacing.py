"""Per-chat pacing: a burst of messages goes out at once, a sustained stream at Telegram's pace.

Telegram asks bots to keep to about one message a second in one chat, with short bursts tolerated.
The AIORateLimiter paces the whole bot and group chats; this adds a token bucket per private chat.
"""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

BURST = 12  # a whole plan (intro, five parts, questions, sources) goes out without waiting
PER_SECOND = 1.0
TRACKED = 10_000  # chats remembered; the least recently used are forgotten (bounded memory)


class ChatPacer:
    """A token bucket for each recently active chat."""

    def __init__(
        self,
        burst: int = BURST,
        per_second: float = PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.burst, self.per_second = burst, per_second
        self.clock, self.sleep = clock, sleep
        self.buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()  # chat -> (tokens, at)

    async def wait(self, chat_id: int) -> float:
        """Wait until *chat_id* may receive one more message; return the seconds waited."""
        now = self.clock()
        tokens, at = self.buckets.pop(chat_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.per_second)
        delay = 0.0
        if tokens < 1.0:
            delay = (1.0 - tokens) / self.per_second
            await self.sleep(delay)
            tokens, now = 1.0, now + delay
        self.buckets[chat_id] = (tokens - 1.0, now)
        while len(self.buckets) > TRACKED:
            self.buckets.popitem(last=False)
        return delay
