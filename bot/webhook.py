"""Webhook mode: a small tornado server that takes Telegram's POSTs and answers health checks."""

import asyncio
import contextlib
import hmac
import json
import logging
import signal

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.settings import Settings

logger = logging.getLogger(__name__)
MAX_BODY = 1_000_000  # Telegram updates are small; anything bigger is not from Telegram


class UpdateHandler(tornado.web.RequestHandler):
    """POST from Telegram: check the secret header, queue the update, answer 200 at once."""

    def initialize(self, bot_app: Application, secret: str) -> None:
        self.bot_app = bot_app
        self.secret = secret

    async def post(self) -> None:
        header = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(header.encode(), self.secret.encode()):
            logger.warning("webhook: request with a wrong or missing secret token refused")
            raise tornado.web.HTTPError(403)
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot_app.bot)
        except (ValueError, TypeError, KeyError):
            logger.warning("webhook: unreadable update body refused")
            raise tornado.web.HTTPError(400) from None
        await self.bot_app.update_queue.put(update)
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


def make_web_app(application: Application, settings: Settings, check) -> tornado.web.Application:
    """Return the tornado app serving the webhook and health paths."""
    return tornado.web.Application(
        [
            (
                settings.webhook_path,
                UpdateHandler,
                {"bot_app": application, "secret": settings.webhook_secret},
            ),
            (settings.health_path, HealthHandler, {"bot_app": application, "check": check}),
        ]
    )


async def serve_webhook(
    application: Application, settings: Settings, check, stop: asyncio.Event | None = None
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
        make_web_app(application, settings, check), max_body_size=MAX_BODY, xheaders=True
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
