"""Per-chat pacing, with time controlled by the test (no sleeping)."""

from bot.pacing import ChatPacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_burst_goes_out_at_once_then_one_message_a_second():
    time = FakeTime()
    pacer = ChatPacer(burst=3, per_second=1.0, clock=time.clock, sleep=time.sleep)
    delays = [await pacer.wait(7) for _ in range(5)]
    assert delays == [0.0, 0.0, 0.0, 1.0, 1.0]


async def test_chats_are_paced_independently_and_buckets_refill():
    time = FakeTime()
    pacer = ChatPacer(burst=2, per_second=1.0, clock=time.clock, sleep=time.sleep)
    assert [await pacer.wait(1) for _ in range(2)] == [0.0, 0.0]
    assert await pacer.wait(2) == 0.0, "another chat has its own bucket"
    time.now += 5
    assert [await pacer.wait(1) for _ in range(2)] == [0.0, 0.0], "the bucket refilled"
