"""The Telegram handler: update -> event -> engine -> store -> replies."""

import functools
import html
import json
import logging
import re
import secrets
import sqlite3
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from telegram import CallbackQuery, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.outcomes import OutcomeApplier
from bot.pacing import ChatPacer
from bot.stats import stats_html
from bot.store import Store
from bot.text import split_message, to_html
from bot.translate import Incoming, incoming
from dialogs.buttons import Link
from dialogs.engine import Engine
from dialogs.events import Button, Command
from dialogs.replies import Choice, Reply, coalesce
from dialogs.session import Session

if TYPE_CHECKING:  # bot.app imports this module
    from bot.app import InboxBot

logger = logging.getLogger(__name__)
PHOTO_IDS = 512  # file_ids remembered (standing pictures differ only by score)
DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")


def keyboard(reply: Reply) -> str | None:
    """Return the inline keyboard for *reply*'s choices, if any, as the Bot API's JSON text."""
    return _markup(reply.choices) if reply.choices else None


@functools.lru_cache(maxsize=4096)
def _markup(choices: tuple[tuple[Choice, ...], ...]) -> str:
    # Ready JSON, which PTB sends as it is: InlineKeyboardButton objects cost ~0.2 ms to build and as
    # much again to serialise back on every send (bench/PROFILE.md). Cached: the same question at the
    # same turn recurs across users.
    rows = [
        [
            {"text": c.label, "url": Link.target(c.data)}
            if Link.owns(c.data)
            else {"text": c.label, "callback_data": c.data}
            for c in row
        ]
        for row in choices
    ]
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False, separators=(",", ":"))


def new_session(user_id: int) -> Session:
    """Return a fresh session whose turn numbers cannot match buttons left from an erased one."""
    return Session(user_id=user_id, turn=secrets.randbelow(1_000_000) * 10)


class AdvisorHandler:
    """Apply each update to the user's stored session and send what the engine returns."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        clock: Callable[[], date] = date.today,
        operators: frozenset[int] = frozenset(),
        pacer: ChatPacer | None = None,
    ) -> None:
        self.engine = engine
        self.pacer = pacer
        self.store = store
        self.clock = clock
        self.operators = operators
        self.applier = OutcomeApplier(engine, store, clock)
        self.reminders = self.applier.reminders
        self._already_saved = engine.library.message("already_saved")
        # Picture -> Telegram's file_id for it: the same few pictures go to many users, and a file_id
        # sends without uploading the PNG again.
        self.photo_ids: dict[bytes, str] = {}

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle any update (registered as a TypeHandler): save first, answer the button, then reply."""
        query = update.callback_query
        if self.store.is_done(update.update_id):
            logger.info("update %s: applied already, ignored", update.update_id)
            await self._answer(query)
            return
        item = incoming(update, context.bot.username)
        if item is None:
            self._mark_done(update.update_id)
            return
        if not item.private:
            self._mark_done(item.update_id)
            await self._group(update, item, context)
            return
        if item.event == Command("stats") and item.user_id in self.operators:
            self._mark_done(item.update_id)
            text = stats_html(self.store.stats(time.time()))
            await self._paced(item.chat_id)
            await context.bot.send_message(item.chat_id, text, parse_mode=ParseMode.HTML)
            return
        stored = self.store.load(item.user_id)
        if stored is None and isinstance(item.event, Button):
            # A tap on a message from an erased (or never stored) session: say so and store nothing,
            # so an old button cannot bring a deleted user's row back.
            self._mark_done(item.update_id)
            await self._answer(query)
            await self._send(context, item.chat_id, [Reply(self.engine.library.message("not_started"))])
            return
        session = stored or new_session(item.user_id)
        outcome = self.engine.handle(session, item.event, self.clock())
        replies = None
        if query is not None and not outcome.replies and outcome.toast == self._already_saved:
            # The reply to the first tap may never have arrived (a crash, an outage): show where we are.
            replies = self.engine.prompt(outcome.session)
        if not self.applier.persist(item.user_id, item.chat_id, item.update_id, outcome):
            # The user is told to try again, so a replay after a restart must not apply it later.
            self._mark_done(item.update_id)
            await self._answer(query)
            await self._send(context, item.chat_id, [Reply(self.engine.library.message("sorry"))])
            return
        logger.info(
            "user %s update %s: %s -> %s", item.user_id, item.update_id, session.state, outcome.session.state
        )
        await self.applier.show(TelegramSurface(self, context, item.chat_id, update), outcome, replies)

    async def _answer(self, query: CallbackQuery | None, text: str | None = None) -> None:
        """Answer a button press if Telegram still takes it; a late or failed answer decides nothing."""
        if query is None:
            return
        try:
            await query.answer(text)
        except TelegramError as error:
            # Telegram refuses answers after a short window ("query is too old"); the button just
            # stops spinning on its own, and the reply below still tells the user what happened.
            logger.info("callback answer refused (%s)", type(error).__name__)

    def _mark_done(self, update_id: int) -> None:
        try:
            self.store.mark_done(update_id)
        except sqlite3.Error:
            logger.warning("update %s: could not record it as applied", update_id)

    async def _paced(self, chat_id: int) -> None:
        if self.pacer is not None:
            await self.pacer.wait(chat_id)

    async def _send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        replies: list[Reply],
        update: Update | None = None,
    ) -> None:
        query = update.callback_query if update else None
        bot = cast("InboxBot", context.bot)  # built so by bot.app; `call` skips parsing the reply back
        for reply in coalesce(replies):
            if reply.edit and query is not None and query.message is not None:
                try:
                    await bot.call(
                        "editMessageText",
                        {
                            "chat_id": query.message.chat.id,
                            "message_id": query.message.message_id,
                            "text": to_html(reply.text),
                            "parse_mode": ParseMode.HTML,
                            "reply_markup": keyboard(reply),
                        },
                    )
                    continue
                except BadRequest as error:
                    if "not modified" in str(error).lower():
                        continue
                    logger.info("chat %s: edit failed, sending instead", chat_id)
            parts = split_message(reply.text)
            for index, part in enumerate(parts):
                await self._paced(chat_id)
                markup = keyboard(reply) if index == len(parts) - 1 else None
                await bot.call(
                    "sendMessage",
                    {
                        "chat_id": chat_id,
                        "text": to_html(part),
                        "parse_mode": ParseMode.HTML,
                        "reply_markup": markup,
                    },
                )

    async def _group(self, update: Update, item: Incoming, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await self._answer(update.callback_query)
            return
        if not isinstance(item.event, Command) or not item.event.name:
            return
        # Only a well-formed deep-link payload is passed on; Telegram allows [A-Za-z0-9_-]{1,64}.
        argument = item.event.args[0] if item.event.args else ""
        payload = f"?start={argument}" if DEEP_LINK.fullmatch(argument) else ""
        link = f"https://t.me/{context.bot.username}{payload}"
        library = self.engine.library
        reply = Reply(
            library.message("group_note"), ((Choice(library.message("group_button"), Link(link).encode()),),)
        )
        await self._send(context, item.chat_id, [reply])


class TelegramSurface:
    """Shows an outcome in one Telegram chat: the callback answer, messages, the picture and the PDF."""

    def __init__(
        self, handler: AdvisorHandler, context: ContextTypes.DEFAULT_TYPE, chat_id: int, update: Update
    ) -> None:
        self.handler, self.bot, self.chat_id = handler, cast("InboxBot", context.bot), chat_id
        self.context, self.update = context, update

    async def notice(self, text: str | None, replies_follow: bool) -> None:
        """Answer the tapped button (saved already, so the answer is only a courtesy)."""
        await self.handler._answer(self.update.callback_query, text)

    async def show(self, replies: list[Reply]) -> None:
        """Send or edit the messages."""
        await self.handler._send(self.context, self.chat_id, replies, self.update)

    async def export(self, data: dict[str, Any]) -> None:
        """Send everything stored, as JSON in as many messages as it takes."""
        text = json.dumps(data, indent=1, ensure_ascii=False)
        title = self.handler.engine.library.message("mydata_title")
        for part in split_message(text, 3500):
            # Paced like any reply: a per-chat 429 would pause every chat (the limiter waits it out).
            await self.handler._paced(self.chat_id)
            await self.bot.send_message(
                self.chat_id,
                f"{to_html(title)}\n<pre>{html.escape(part, quote=False)}</pre>",
                parse_mode=ParseMode.HTML,
            )
            title = ""

    async def picture(self, png: bytes, caption: str) -> None:
        """Send the picture: by Telegram's file_id once it has this exact picture, else uploaded."""
        await self.handler._paced(self.chat_id)
        photos = self.handler.photo_ids
        if png in photos:
            try:
                await self.bot.call(
                    "sendPhoto", {"chat_id": self.chat_id, "photo": photos[png], "caption": caption}
                )
                return
            except BadRequest:  # an unknown or expired file_id: upload it again
                logger.info("chat %s: stored photo refused, uploading", self.chat_id)
        message = await self.bot.send_photo(self.chat_id, png, caption=caption)
        if message.photo:
            if len(photos) >= PHOTO_IDS:
                photos.pop(next(iter(photos)))
            photos[png] = message.photo[-1].file_id

    async def document(self, pdf: bytes, caption: str) -> None:
        """Send the PDF."""
        await self.handler._paced(self.chat_id)
        await self.bot.send_document(self.chat_id, pdf, filename="med-psych-plan.pdf", caption=caption)
