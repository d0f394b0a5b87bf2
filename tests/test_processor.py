"""The update processor: one queue per user (per group), shared slots taken only when first in line."""

import asyncio

from telegram import Update

from bot.processor import PerUserUpdateProcessor


def update(update_id: int, user_id: int, chat_id: int | None = None, chat_type: str = "private") -> Update:
    chat = {"id": chat_id or user_id, "type": chat_type}
    message = {
        "message_id": update_id,
        "date": 0,
        "chat": chat,
        "from": {"id": user_id, "is_bot": False, "first_name": "U"},
    }
    return Update.de_json({"update_id": update_id, "message": message}, None)


async def run(processor: PerUserUpdateProcessor, updates: list[Update], done: list[int], pause: float = 0.02):
    async def work(item: Update) -> None:
        await asyncio.sleep(pause)
        done.append(item.update_id)

    await asyncio.gather(*(processor.process_update(u, work(u)) for u in updates))


async def test_waiting_behind_ones_own_queue_holds_no_shared_slot():
    processor = PerUserUpdateProcessor(1)
    done: list[int] = []
    flood = [update(i, 1) for i in range(1, 6)]
    await asyncio.wait_for(run(processor, [*flood, update(99, 2)], done), 5)
    assert done.index(99) <= 1, f"the other user's update waited behind the flood: {done}"
    assert [i for i in done if i != 99] == [1, 2, 3, 4, 5], "one user's updates keep their order"


async def test_a_groups_updates_share_one_queue_whoever_sends_them():
    processor = PerUserUpdateProcessor(4)
    done: list[int] = []
    group = [update(i, 100 + i, chat_id=-500, chat_type="supergroup") for i in range(1, 5)]
    await asyncio.wait_for(run(processor, [*group, update(99, 2)], done), 5)
    assert [i for i in done if i != 99] == [1, 2, 3, 4]
    assert done.index(99) <= 1, "a private chat is not held up by a group's queue"
