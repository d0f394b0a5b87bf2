"""Chaos: the bot process SIGKILLed again and again while users tap away and the Bot API misbehaves.

The short form runs in the default suite (a few kills per mode). The long form, with its figures printed:

    ADVISOR_LONG_TESTS=1 python3 dev.py test tests/test_chaos.py -s

See tests/chaos.py for what is injected and how each figure is measured.
"""

import os

import pytest

from tests.chaos import ChaosApi, run_chaos

LONG = os.environ.get("ADVISOR_LONG_TESTS") == "1"
# The long form keeps the offered load (users / think time + bursts) under Telegram's ~30 messages a
# second, so it measures crashes, not overload.
USERS = 30 if LONG else 12
THINK = (0.5, 2.5) if LONG else (0.0, 0.2)  # seconds a user reads before the next action
KILLS = 70 if LONG else 5
BURST = 10 if LONG else 30  # updates arriving just before each kill
BIG_BURST = 300 if LONG else 30  # ... and before three kills in twenty
GRACE = 180 if LONG else 60  # seconds users get to finish once the chaos stops
FAULTS = 0.03 if LONG else 0.08  # share of reply calls that fail; the short form packs more into less


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_nothing_is_lost_and_nobody_is_stranded_across_kills(tmp_path, mode):
    figures = run_chaos(
        tmp_path,
        mode,
        users=USERS,
        kills=KILLS,
        burst=BURST,
        big_burst=BIG_BURST,
        grace=GRACE,
        think=THINK,
        fault_rate=FAULTS,
    )
    print("\n" + figures.line())
    assert figures.kills >= 1 and figures.taps > 0 and figures.faults > 0, "the chaos really happened"
    assert not figures.problems, "\n".join(figures.problems[:20])
    assert figures.taps_lost == 0
    assert figures.answers_lost == 0
    assert figures.stranded == 0
    assert figures.duplicates == 0
    assert figures.updates_lost == 0
    assert not figures.token_in_logs
    assert figures.longest_wait_after_restart < 15, "a user waited long once the bot was back"


def test_duplicates_are_counted_per_update_not_per_repeated_tap():
    api = ChaosApi(seed=1, rate=0.0)
    try:
        q2, apology = ("Question 2", "kb"), ("Sorry", "null")
        api.events = {
            1: [("in", 1), ("out", q2), ("out", q2)],  # one tap, the question twice: a duplicate
            2: [("in", 1), ("in", 2), ("out", q2), ("out", q2)],  # a tap repeated after silence: not one
            3: [("in", 1), ("out", q2), ("out", apology), ("in", 2), ("out", q2)],  # asked again: not one
        }
        assert [d.split(":")[0] for d in api.duplicates()] == ["chat 1"]
    finally:
        api.server.server_close()
