"""The Telegram handler: update -> event -> engine -> store -> replies."""

import asyncio
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

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.pacing import ChatPacer
from bot.reminders import Reminders
from bot.stats import stats_text
from bot.store import Store
from bot.text import split_message, to_html
from bot.translate import Incoming, incoming
from dialogs.engine import Engine
from dialogs.events import Command
from dialogs.replies import Choice, Outcome, Reply, coalesce
from dialogs.session import Session

logger = logging.getLogger(__name__)
DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Return the inline keyboard for *reply*'s choices, if any."""
    return _markup(reply.choices) if reply.choices else None


@functools.lru_cache(maxsize=4096)
def _markup(choices: tuple[tuple[Choice, ...], ...]) -> InlineKeyboardMarkup:
    # PTB's objects are immutable, so one markup can serve every user shown the same buttons; the
    # same question at the same turn recurs across users, and building one costs ~0.2 ms.
    rows = [
        [
            InlineKeyboardButton(c.label, url=c.data[4:])
            if c.data.startswith("url:")
            else InlineKeyboardButton(c.label, callback_data=c.data)
            for c in row
        ]
        for row in choices
    ]
    return InlineKeyboardMarkup(rows)


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
        self.reminders = Reminders(engine, store, clock)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle any update (registered as a TypeHandler)."""
        item = incoming(update, context.bot.username)
        if item is None:
            return
        if not item.private:
            await self._group(update, item, context)
            return
        stored, last_update_id = self.store.load_with_last_update(item.user_id)
        if last_update_id is not None and item.update_id <= last_update_id:
            logger.info("update %s: redelivered, ignored", item.update_id)
            if update.callback_query:
                await update.callback_query.answer()
            return
        if item.event == Command("stats") and item.user_id in self.operators:
            await self._send(context, item.chat_id, [Reply(stats_text(self.store.stats(time.time())))])
            return
        session = stored or new_session(item.user_id)
        outcome = self.engine.handle(session, item.event, self.clock())
        if update.callback_query is not None:
            # Answer at once so the button stops spinning, whatever happens next.
            await update.callback_query.answer(outcome.toast)
        if not self._persist(item, outcome):
            await self._send(context, item.chat_id, [Reply(self.engine.library.message("sorry"))])
            return
        logger.info(
            "user %s update %s: %s -> %s", item.user_id, item.update_id, session.state, outcome.session.state
        )
        if "export" in outcome.effects:
            await self._send_export(context, item)
        await self._send(context, item.chat_id, list(outcome.replies), update)
        await self._send_files(context, item, outcome)

    def _persist(self, item: Incoming, outcome: Outcome) -> bool:
        """Store the outcome before anything is shown, so an acknowledged answer is never lost."""
        try:
            if "erase" in outcome.effects:
                self.store.erase(item.user_id)
                return True
            if outcome.unanswered:
                self.store.log_unanswered(item.user_id, outcome.unanswered)
            if outcome.rating:
                self.store.record_rating(item.user_id, *outcome.rating)
            self.store.save(outcome.session, item.chat_id, item.update_id)
            if "reminders" in outcome.effects:
                self.reminders.reschedule(outcome.session)
        except sqlite3.Error:
            logger.exception("user %s update %s: could not store", item.user_id, item.update_id)
            return False
        return True

    async def _send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        replies: list[Reply],
        update: Update | None = None,
    ) -> None:
        query = update.callback_query if update else None
        for reply in coalesce(replies):
            if reply.edit and query is not None and query.message is not None:
                try:
                    await query.edit_message_text(
                        to_html(reply.text), parse_mode=ParseMode.HTML, reply_markup=keyboard(reply)
                    )
                    continue
                except BadRequest as error:
                    if "not modified" in str(error).lower():
                        continue
                    logger.info("chat %s: edit failed, sending instead", chat_id)
            parts = split_message(reply.text)
            for index, part in enumerate(parts):
                if self.pacer is not None:
                    await self.pacer.wait(chat_id)
                markup = keyboard(reply) if index == len(parts) - 1 else None
                await context.bot.send_message(
                    chat_id, to_html(part), parse_mode=ParseMode.HTML, reply_markup=markup
                )

    async def _send_files(self, context: ContextTypes.DEFAULT_TYPE, item: Incoming, outcome: Outcome) -> None:
        """Send the picture and the PDF the outcome asks for."""
        answers = outcome.session.answers
        library = self.engine.library
        # Imported here: Pillow and fpdf2 are only needed once a plan is shown, not at start-up.
        from bot.documents import cached_plan_pdf
        from bot.standing_image import standing_png

        if "standing_image" in outcome.effects:
            png = standing_png(answers["ck"], answers.get("ck_retake"))
            await context.bot.send_photo(item.chat_id, png, caption=library.message("standing_caption"))
        if "plan_document" in outcome.effects:
            # Off the event loop: other users keep being served while the PDF is laid out.
            pdf = await asyncio.to_thread(
                cached_plan_pdf, library, answers, self.clock(), self.engine.season_open_month
            )
            await context.bot.send_document(
                item.chat_id,
                pdf,
                filename="med-psych-plan.pdf",
                caption=library.message("plan_document_ready"),
            )

    async def _send_export(self, context: ContextTypes.DEFAULT_TYPE, item: Incoming) -> None:
        data = json.dumps(self.store.export(item.user_id), indent=1, ensure_ascii=False)
        title = self.engine.library.message("mydata_title")
        for part in split_message(data, 3500):
            await context.bot.send_message(
                item.chat_id,
                f"{to_html(title)}\n<pre>{html.escape(part, quote=False)}</pre>",
                parse_mode=ParseMode.HTML,
            )
            title = ""

    async def _group(self, update: Update, item: Incoming, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
            return
        if not isinstance(item.event, Command) or not item.event.name:
            return
        # Only a well-formed deep-link payload is passed on; Telegram allows [A-Za-z0-9_-]{1,64}.
        argument = item.event.args[0] if item.event.args else ""
        payload = f"?start={argument}" if DEEP_LINK.fullmatch(argument) else ""
        link = f"https://t.me/{context.bot.username}{payload}"
        library = self.engine.library
        reply = Reply(
            library.message("group_note"), ((Choice(library.message("group_button"), f"url:{link}"),),)
        )
        await self._send(context, item.chat_id, [reply])
