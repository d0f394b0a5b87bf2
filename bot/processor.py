"""Run one user's updates in order, one at a time, while different users are served concurrently.

Fairness: an update first waits for its own queue (its user's, or its group's), holding nothing shared;
only when it is next in line does it take one of the shared slots. A flood from one user or one group
therefore occupies one slot at most, and everyone else's updates go past it.
"""

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore would be taken before our per-queue wait; set it out of the way and bound
# concurrency with our own, taken after the wait.
UNBOUNDED = 1_000_000


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """An update processor with one FIFO queue per user (per chat for groups) and shared slots."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(UNBOUNDED)
        self.slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, list[Any]] = {}  # queue key -> [lock, holders and waiters]

    @staticmethod
    def _key(update: object) -> int:
        if isinstance(update, Update):
            chat = update.effective_chat
            if chat is not None and chat.type != ChatType.PRIVATE:
                return chat.id  # a group's updates share the group's rate limit, so one queue
            if update.effective_user is not None:
                return update.effective_user.id
            if chat is not None:
                return chat.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await *coroutine* once the update is first in its queue and a shared slot is free."""
        key = self._key(update)
        entry = self._locks.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0], self.slots:
                await coroutine
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
