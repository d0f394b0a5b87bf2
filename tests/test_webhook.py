"""Webhook mode: the secret header is checked, updates are processed, health answers, shutdown is clean."""

import asyncio
import json
import socket
from dataclasses import replace

import httpx

from bot.app import build_application
from bot.settings import Settings
from bot.store import Store
from bot.webhook import serve_webhook
from tests.conftest import TODAY, until

SECRET = "s3cret-Token_value"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def update_json(update_id: int, user_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "U"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            if text.startswith("/")
            else [],
        },
    }


async def test_webhook_checks_secret_processes_updates_and_reports_health(fake_api, tmp_path, engine):
    port = free_port()
    settings = Settings(
        bot_token="123456:TEST",
        api_base_url=fake_api.base_url,
        db_path=tmp_path / "wh.db",
        webhook_url="https://bot.example.org/telegram",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret=SECRET,
    )
    store = Store(settings.db_path)
    application = build_application(settings, engine, store, clock=lambda: TODAY)
    stop = asyncio.Event()
    server = asyncio.create_task(serve_webhook(application, settings, store, stop))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(100):
                try:
                    health = await client.get("/healthz")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            assert health.status_code == 200 and health.json() == {"ok": True}
            registered = fake_api.sent(method="setWebhook")[0]
            assert registered["url"] == settings.webhook_url and registered["secret_token"] == SECRET
            body = json.dumps(update_json(1, 31, "/start"))
            missing = await client.post("/telegram", content=body)
            wrong = await client.post(
                "/telegram", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
            )
            assert missing.status_code == 403 and wrong.status_code == 403
            assert fake_api.texts(31) == []
            ok = await client.post(
                "/telegram", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert ok.status_code == 200
            inbox = store.db.execute("select count(*) from inbox where update_id = 1").fetchone()[0]
            assert inbox == 1, "the update is stored before Telegram hears 200"
            await until(lambda: len(fake_api.texts(31)) >= 1)
            assert "Question 1 of 9" in fake_api.texts(31)[-1]
            garbage = await client.post(
                "/telegram", content=b"{nope", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert garbage.status_code == 400
            for body in (b"[]", b'"x"', b"1", b"null", b'{"update_id": "7"}', b'{"message": {}}', b"[{}]"):
                refused = await client.post(
                    "/telegram", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                )
                assert refused.status_code == 400, body
            again = await client.post(
                "/telegram",
                content=json.dumps(update_json(1, 31, "/start")),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert again.status_code == 200
            await asyncio.sleep(0.2)
            assert len(fake_api.texts(31)) == 1, "a redelivered update is not applied twice"
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
        store.close()
    assert store_answers(tmp_path / "wh.db", 31) == "asking_visa"


def store_answers(path, user_id):
    store = Store(path)
    try:
        return store.load(user_id).state
    finally:
        store.close()


async def test_webhook_mode_refuses_to_start_without_a_secret(fake_api, tmp_path, engine):
    settings = replace(
        Settings(bot_token="1:T", api_base_url=fake_api.base_url, db_path=tmp_path / "x.db"),
        webhook_url="https://bot.example.org/telegram",
    )
    store = Store(settings.db_path)
    try:
        application = build_application(settings, engine, store)
        try:
            await serve_webhook(application, settings, store, asyncio.Event())
        except SystemExit as error:
            assert "ADVISOR_WEBHOOK_SECRET" in str(error)
        else:
            raise AssertionError("webhook mode started without a secret")
    finally:
        store.close()
