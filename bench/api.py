"""The tests' fake Bot API, plus what each chat was last shown and how many messages went out."""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from tests.fakeapi import FakeBotApi

# The calls AIORateLimiter counts against Telegram's ~30 messages a second: those naming a chat.
MESSAGES = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")


@dataclass
class Screen:
    """The newest message with buttons in one chat, as the user sees it."""

    message_id: int
    text: str
    markup: dict[str, Any]
    buttons: list[tuple[str, str]]  # (label, callback_data)


class ScreenBotApi(FakeBotApi):
    """FakeBotApi that also keeps each chat's current screen, its older buttons and message counts.

    The simulated users read the screen to choose their next tap, as a person reads the chat.
    """

    def __init__(self, port: int | None = 0) -> None:
        super().__init__(port)
        self.counts: Counter[str] = Counter()  # calls per method
        self.total_calls = 0
        self.screens: dict[int, Screen] = {}
        self.old_buttons: dict[int, list[tuple[int, str]]] = defaultdict(list)  # earlier (message, data)
        self.last_seen: dict[int, float] = {}  # chat -> monotonic time of the last call about it
        self.last_message: dict[int, float] = {}  # chat -> monotonic time of the last message or edit
        self.cpu_seconds = 0.0  # this thread's CPU time spent answering (in-process: not the bot's)
        self.kind_of: dict[int, str] = {}  # chat -> the kind of the user's latest action (production run)
        self.by_kind: Counter[str] = Counter()  # messages per kind, counted while `counting` is set
        self.counting = False

    def _answer(self, method: str, params: dict[str, Any]):
        started = time.thread_time()
        answer = super()._answer(method, params)
        self.cpu_seconds += time.thread_time() - started
        return answer

    def _succeed(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, payload = super()._succeed(method, params)
        self.counts[method] += 1
        self.total_calls += 1
        chat = _chat_of(method, params)
        if chat is not None:
            self.last_seen[chat] = time.monotonic()
        if status != 200 or method not in MESSAGES or chat is None:  # the bot always names the chat
            return status, payload
        self.last_message[chat] = time.monotonic()
        if self.counting:
            self.by_kind[self.kind_of.get(chat, "other")] += 1
        result = payload["result"]
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            result["reply_markup"] = markup
            self._show(chat, Screen(result["message_id"], params.get("text", ""), markup, _buttons(markup)))
        return status, payload

    def _show(self, chat: int, screen: Screen) -> None:
        previous = self.screens.get(chat)
        if previous is not None and previous.message_id != screen.message_id:
            old = self.old_buttons[chat]
            old.extend((previous.message_id, data) for _, data in previous.buttons)
            del old[:-30]
        self.screens[chat] = screen

    def messages(self) -> int:
        """Return how many rate-limited calls (messages and edits) were answered so far."""
        return sum(self.counts[m] for m in MESSAGES)


def _chat_of(method: str, params: dict[str, Any]) -> int | None:
    if "chat_id" in params:
        return int(params["chat_id"])
    if method == "answerCallbackQuery":  # the benchmark's query ids start with the user id
        head = str(params.get("callback_query_id", "")).split(":", 1)[0]
        return int(head) if head.isdigit() else None
    return None


def _buttons(markup: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (b["text"], b["callback_data"])
        for row in markup["inline_keyboard"]
        for b in row
        if "callback_data" in b
    ]
