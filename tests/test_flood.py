"""A flood from one user and from one group does not delay anyone else.

Production's per-chat pacer is on (a burst of 12, then one message a second per chat), so the flooding
user's and the group's replies take minutes to drain; other users must be answered in the time their
own replies need. The short form runs in the default suite; the long form floods ten times harder:

    ADVISOR_LONG_TESTS=1 python3 dev.py test tests/test_flood.py -s
"""

import asyncio
import os
import statistics
import time

from bot.pacing import ChatPacer
from tests.conftest import start_bot, stop_bot

LONG = os.environ.get("ADVISOR_LONG_TESTS") == "1"
FLOOD = 1000 if LONG else 100  # messages from one user (one "forward" of many messages)
GROUP = 300 if LONG else 100  # /start in one group, each from a different member
OTHERS = 100 if LONG else 10  # users who write while the flood is queued
BOUND = 3.0  # seconds; others need ~10 ms each, the flood needs minutes: generous on a loaded 2-core box
FLOODER, GROUP_BASE, OTHER_BASE = 7000, 710_000, 720_000


async def first_reply(api, user: int, timeout: float = 60.0) -> float:
    """Send /start as *user*; return the seconds until the bot's first reply was delivered."""
    started = time.monotonic()
    api.send_text(user, "/start")
    while not api.texts(user):
        if time.monotonic() - started > timeout:
            return float("inf")
        await asyncio.sleep(0.005)
    return time.monotonic() - started


async def test_flood_from_one_user_and_one_group_does_not_delay_other_users(fake_api, tmp_path, engine):
    pacer = ChatPacer()
    running = await start_bot(fake_api, tmp_path / "flood.db", engine, rate_limiter=False, pacer=pacer)
    try:
        await running.say(FLOODER, "/start")
        for i in range(FLOOD):
            fake_api.send_text(FLOODER, f"message {i} of a long forward")
        for i in range(GROUP):
            fake_api.send_text(GROUP_BASE + i, "/start", chat_type="supergroup")
        await asyncio.sleep(0.5)  # the flood is fetched and queued before anyone else writes
        latencies = []
        for batch in range(0, OTHERS, 10):
            latencies += await asyncio.gather(
                *(first_reply(fake_api, OTHER_BASE + i) for i in range(batch, min(batch + 10, OTHERS)))
            )
        flooded = len(fake_api.texts(FLOODER))
        print(
            f"\nflood: {FLOOD} messages from one user, {GROUP} in one group; {OTHERS} other users answered"
            f" in p50 {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms;"
            f" the flooder had {flooded} replies by then"
        )
        assert max(latencies) < BOUND, f"other users waited up to {max(latencies):.1f} s behind the flood"
        assert flooded < FLOOD, "the flood was still draining: the measurement overlapped it"
    finally:
        # Let the flood drain at once instead of at one message a second, so the test ends quickly.
        pacer.burst, pacer.per_second = 1_000_000, 1_000_000.0
        await stop_bot(running)
