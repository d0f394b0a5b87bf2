"""Webhook mode: a small tornado server that takes Telegram's POSTs and answers health checks."""

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import sqlite3

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.settings import Settings
from bot.store import Store

logger = logging.getLogger(__name__)
MAX_BODY = 1_000_000  # Telegram updates are small; anything bigger is not from Telegram


class UpdateHandler(tornado.web.RequestHandler):
    """POST from Telegram: check the secret header, store the update in the inbox, then answer 200."""

    def initialize(self, bot_app: Application, secret: str, store: Store) -> None:
        self.bot_app = bot_app
        self.secret = secret
        self.store = store

    async def post(self) -> None:
        header = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(header.encode(), self.secret.encode()):
            logger.warning("webhook: request with a wrong or missing secret token refused")
            raise tornado.web.HTTPError(403)
        try:
            payload = json.loads(self.request.body)
            if not isinstance(payload, dict) or type(payload.get("update_id")) is not int:
                raise ValueError("not an update object")
            update = Update.de_json(payload, self.bot_app.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            logger.warning("webhook: body that is not an update refused")
            raise tornado.web.HTTPError(400) from None
        try:
            # Stored before the 200: once Telegram hears "OK" it never sends this update again.
            fresh = self.store.receive(update.update_id, self.request.body.decode("utf-8", "replace"))
        except sqlite3.Error:
            # A full or read-only disk: serve it anyway (the handler apologises) rather than stall.
            logger.error("inbox: update %s not stored", update.update_id)
            fresh = True
        if fresh:
            await self.bot_app.update_queue.put(update)
        else:
            logger.info("update %s: applied already, not queued", update.update_id)
        self.set_status(200)

    def write_error(self, status_code: int, **kwargs) -> None:
        self.finish({"ok": False, "status": status_code})


class HealthHandler(tornado.web.RequestHandler):
    """GET for the process manager: 200 while the application runs and the database answers."""

    def initialize(self, bot_app: Application, check) -> None:
        self.bot_app = bot_app
        self.check = check

    def get(self) -> None:
        healthy = self.bot_app.running and self.check()
        self.set_status(200 if healthy else 503)
        self.finish({"ok": bool(healthy)})


def make_web_app(
    application: Application, settings: Settings, store: Store, check=None
) -> tornado.web.Application:
    """Return the tornado app serving the webhook and health paths."""
    check = check or store.healthy
    return tornado.web.Application(
        [
            (
                settings.webhook_path,
                UpdateHandler,
                {"bot_app": application, "secret": settings.webhook_secret, "store": store},
            ),
            (settings.health_path, HealthHandler, {"bot_app": application, "check": check}),
        ]
    )


async def serve_webhook(
    application: Application, settings: Settings, store: Store, stop: asyncio.Event | None = None
) -> None:
    """Register the webhook, serve until SIGTERM/SIGINT (or *stop*), then shut down cleanly."""
    if not settings.webhook_secret:
        raise SystemExit("ADVISOR_WEBHOOK_SECRET must be set in webhook mode.")
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        # Not possible outside the main thread (tests) or on some platforms; *stop* still works.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    server = tornado.httpserver.HTTPServer(
        make_web_app(application, settings, store), max_body_size=MAX_BODY, xheaders=True
    )
    async with application:
        if application.post_init:
            await application.post_init(application)
        await application.bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=["message", "edited_message", "callback_query"],
        )
        await application.start()
        server.listen(settings.webhook_port, address=settings.webhook_listen)
        logger.info("webhook: listening on %s:%s", settings.webhook_listen, settings.webhook_port)
        try:
            await stop.wait()
        finally:
            server.stop()
            # Finish the updates in hand before closing.
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
