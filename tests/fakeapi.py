"""A small fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

It serves real HTTP, so python-telegram-bot's whole request stack runs. It records every call as
(method, params), queues updates for getUpdates, and can be told to fail: 429 with retry_after,
500s, slow answers past the client's timeout, dropped connections, or Forbidden. The benchmark's
profiling run answers the same way in-process, through `transport()` (no socket).
"""

import json
import sys
import threading
import time
from collections import defaultdict, deque
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, cast
from urllib.parse import parse_qsl

import httpx

BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Advisor", "username": "medpsych_test_bot"}


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        params: dict[str, Any] = {}
        for part in message.iter_parts():
            # Typeshed allows None and RFC 2231 tuples, and any payload; httpx names each part with a
            # plain name="..." and a leaf part decodes to bytes.
            name = cast(str, part.get_param("name", header="content-disposition"))
            payload = cast(bytes | None, part.get_payload(decode=True)) or b""
            params[name] = payload if part.get_filename() else payload.decode()
        return params
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _decode(value: Any) -> Any:
    """Nested fields (reply_markup, commands) arrive as JSON strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 makes the kernel reset connections under a burst of concurrent
    # requests, which the bot (rightly) does not retry; Telegram's servers have deep backlogs.
    request_queue_size = 512
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client killed mid-request (the chaos test SIGKILLs the bot) is expected, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeBotApi:
    """The server plus the state a test inspects."""

    def __init__(self, port: int | None = 0) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []  # every attempt, including failed ones
        self.delivered: list[tuple[str, dict[str, Any]]] = []  # calls answered with success
        self.queue: list[dict[str, Any]] = []  # updates not yet confirmed by a later offset
        self.history: list[dict[str, Any]] = []  # every update ever queued
        self.faults: dict[str, deque] = defaultdict(deque)
        self.blocked_chats: set[int] = set()
        self.cond = threading.Condition()
        self._next_update = 1
        self._next_message = 1000
        if port is None:  # in-process only: answered through transport(), no socket bound
            return
        self.server = _Server(("127.0.0.1", port), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ----- lifecycle ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """Return the value for TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def start(self) -> Self:
        """Start serving in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        with self.cond:
            self.cond.notify_all()
        self.server.shutdown()
        self.server.server_close()

    # ----- what a user does --------------------------------------------------------------------
    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}

    def _push(self, update: dict[str, Any]) -> int:
        with self.cond:
            update["update_id"] = self._next_update
            self._next_update += 1
            self.queue.append(update)
            self.history.append(update)
            self.cond.notify_all()
            return update["update_id"]

    def message_payload(
        self, user_id: int, text: str | None = None, chat_type: str = "private", **extra: Any
    ) -> dict:
        """Return a Message dict as Telegram would send it."""
        chat = {"id": user_id if chat_type == "private" else -100 - user_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "A group"
        with self.cond:
            self._next_message += 1
            message_id = self._next_message
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(user_id),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        message.update(extra)
        return message

    def send_text(self, user_id: int, text: str, **kw: Any) -> int:
        """Queue a text message from *user_id*; return its update_id."""
        return self._push({"message": self.message_payload(user_id, text, **kw)})

    def send_other(self, user_id: int, **fields: Any) -> int:
        """Queue a non-text message (sticker=..., photo=..., ...)."""
        return self._push({"message": self.message_payload(user_id, None, **fields)})

    def send_raw(self, update: dict[str, Any]) -> int:
        """Queue an arbitrary update dict."""
        return self._push(update)

    def press(self, user_id: int, data: str, message_id: int = 1, from_user: int | None = None) -> int:
        """Queue a button press on a message in *user_id*'s chat."""
        return self._push(self.press_payload(user_id, data, message_id, from_user))

    def press_payload(
        self,
        user_id: int,
        data: str,
        message_id: int = 1,
        from_user: int | None = None,
        text: str = "question",
        markup: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Return (without queueing) a button press on a message showing *text* and *markup*."""
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": BOT_USER,
            "text": text,
        }
        if markup is not None:
            message["reply_markup"] = markup
        query = {
            "id": f"q{time.monotonic_ns()}",
            "from": self._user(from_user or user_id),
            "chat_instance": "ci",
            "message": message,
            "data": data,
        }
        return {"callback_query": query}

    def reserve(self) -> int:
        """Take the next update_id now for an update delivered later (out of order)."""
        with self.cond:
            self._next_update += 1
            return self._next_update - 1

    def deliver_late(self, update_id: int, update: dict[str, Any]) -> None:
        """Deliver *update* under a reserved, already overtaken update_id."""
        with self.cond:
            late = {**update, "update_id": update_id}
            self.history.append(late)
            self.queue.append({**late, "_again": True})
            self.cond.notify_all()

    def redeliver(self, update_id: int) -> None:
        """Deliver an already-confirmed update once more, with the same update_id (as after a crash)."""
        with self.cond:
            original = next(u for u in self.history if u["update_id"] == update_id)
            self.queue.append({**original, "_again": True})
            self.cond.notify_all()

    def _get_updates(self, offset: int, timeout: float) -> tuple[int, dict[str, Any]]:
        deadline = time.monotonic() + min(timeout, 0.5)
        with self.cond:
            if offset:
                self._confirmed = max(self._confirmed, offset - 1)
            while True:
                self.queue = [u for u in self.queue if u.get("_again") or u["update_id"] >= offset]
                if self.queue or time.monotonic() >= deadline:
                    break
                self.cond.wait(max(deadline - time.monotonic(), 0.001))
            batch = self.queue[:100]
            self.queue = [u for u in self.queue if not u.get("_again")]
            self.cond.notify_all()
            return 200, {"ok": True, "result": [{k: v for k, v in u.items() if k != "_again"} for u in batch]}

    # ----- what the bot did --------------------------------------------------------------------
    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Return the params of every *method* call (to *chat_id*)."""
        with self.cond:
            return [
                p
                for m, p in self.delivered
                if m == method and (chat_id is None or int(p.get("chat_id", 0)) == chat_id)
            ]

    def texts(self, chat_id: int) -> list[str]:
        """Return the texts sent or edited in *chat_id*, in order."""
        with self.cond:
            return [
                p["text"]
                for m, p in self.delivered
                if m in ("sendMessage", "editMessageText") and int(p.get("chat_id", chat_id)) == chat_id
            ]

    def last_keyboard(self, chat_id: int) -> list[list[dict[str, Any]]]:
        """Return the inline keyboard of the last message with buttons in *chat_id*."""
        with self.cond:
            shown = [
                p
                for m, p in self.delivered
                if m in ("sendMessage", "editMessageText") and int(p.get("chat_id", chat_id)) == chat_id
            ]
        for params in reversed(shown):
            markup = params.get("reply_markup")
            if markup:
                return markup["inline_keyboard"]
        return []

    def button(self, chat_id: int, label_start: str) -> str:
        """Return the callback data of the newest button whose label starts with *label_start*."""
        for row in self.last_keyboard(chat_id):
            for button in row:
                if button["text"].startswith(label_start):
                    return button["callback_data"]
        raise AssertionError(f"no button {label_start!r} in {self.last_keyboard(chat_id)}")

    def wait_for(self, predicate, timeout: float = 10.0) -> None:
        """Block until predicate(self) is true (or fail after *timeout* seconds)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("timed out waiting for the bot")
                self.cond.wait(min(remaining, 0.05))

    def wait_idle(self, count: int | None = None, timeout: float = 10.0, quiet: float = 0.15) -> None:
        """Block until every queued update was fetched and no call arrived for *quiet* seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.cond:
                before = len(self.calls)
                fetched = self._confirmed >= self._next_update - 1 and not self.queue
            time.sleep(quiet)
            with self.cond:
                if fetched and len(self.calls) == before:
                    return
        raise AssertionError("the bot did not go idle")

    _confirmed = 0

    # ----- the HTTP side -----------------------------------------------------------------------
    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if method == "getUpdates":
            return self._get_updates(int(params.get("offset") or 0), float(params.get("timeout") or 0))
        with self.cond:
            self.calls.append((method, params))
            self.cond.notify_all()
            fault = self.faults[method].popleft() if self.faults[method] else None
        if fault is not None:
            return fault(self) if callable(fault) else fault
        answer = self._succeed(method, params)
        if answer[0] == 200:
            with self.cond:
                self.delivered.append((method, params))
                self.cond.notify_all()
        return answer

    def _succeed(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = params.get("chat_id")
        if chat_id is not None and int(chat_id) in self.blocked_chats:
            return 403, {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method in ("sendMessage", "editMessageText", "sendDocument", "sendPhoto"):
            with self.cond:
                self._next_message += 1
                message_id = int(params.get("message_id") or self._next_message)
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "from": BOT_USER,
                "chat": {"id": int(chat_id or 0), "type": "private"},
            }
            if "text" in params:
                result["text"] = params["text"]
            if method == "sendDocument":
                result["document"] = {"file_id": "doc1", "file_unique_id": "d1", "file_name": "plan.pdf"}
            if method == "sendPhoto":
                result["photo"] = [{"file_id": "ph1", "file_unique_id": "p1", "width": 800, "height": 400}]
            return 200, {"ok": True, "result": result}
        return 200, {"ok": True, "result": True}

    def transport(self) -> httpx.MockTransport:
        """Return an httpx transport answering like the server, in this process (no socket)."""

        async def handle(request: httpx.Request) -> httpx.Response:
            raw = _parse_body(request.headers.get("content-type", ""), await request.aread())
            answer = self._answer(
                request.url.path.rsplit("/", 1)[-1], {k: _decode(v) for k, v in raw.items()}
            )
            status, payload = answer if answer is not None else (502, {"ok": False})
            return httpx.Response(status, json=payload)

        return httpx.MockTransport(handle)

    def _handler_class(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the client died mid-request; Telegram would not act on it
                    self.close_connection = True
                    return
                raw = _parse_body(self.headers.get("Content-Type", ""), body)
                params = {k: _decode(v) for k, v in raw.items()}
                method = self.path.rsplit("/", 1)[-1]
                answer = api._answer(method, params)
                if answer is None:  # drop the connection without a response
                    self.close_connection = True
                    self.connection.close()
                    return
                status, payload = answer
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    self.close_connection = True

            do_GET = do_POST

        return Handler


def too_many_requests(retry_after: int = 1):
    """A fault: HTTP 429 with retry_after."""
    return 429, {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests",
        "parameters": {"retry_after": retry_after},
    }


def server_error():
    """A fault: HTTP 500."""
    return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}


def dropped_connection(api: FakeBotApi):
    """A fault: close the connection without answering."""
    return None


def slow(seconds: float):
    """A fault: answer only after *seconds* (past the client's read timeout), with an error."""

    def fault(api: FakeBotApi):
        time.sleep(seconds)
        return server_error()

    return fault
