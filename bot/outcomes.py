"""Carry out one engine Outcome: persist it, then show it; the Telegram chat and the terminal share this.

Only the showing differs, so each adapter passes a Surface: Telegram sends messages (paced), the
terminal prints and writes files. Storing comes first and is all-or-nothing, so nothing is shown that
a crash could lose.
"""

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from bot.reminders import Reminders
from bot.store import Store
from dialogs.engine import Engine
from dialogs.replies import Effect, Outcome, Reply

logger = logging.getLogger(__name__)


class Surface(Protocol):
    """Where an outcome is shown: one method per kind of thing the user sees."""

    async def notice(self, text: str | None, replies_follow: bool) -> None:
        """Acknowledge the event (Telegram answers the tapped button), with a short *text* if any."""

    async def show(self, replies: list[Reply]) -> None:
        """Show *replies*, in order."""

    async def export(self, data: dict[str, Any]) -> None:
        """Show everything stored about the user."""

    async def picture(self, png: bytes, caption: str) -> None:
        """Show the "where you stand" picture."""

    async def document(self, pdf: bytes, caption: str) -> None:
        """Hand over the plan as a PDF."""


class OutcomeApplier:
    """Persist an outcome in one transaction (`persist`), then show it on a Surface (`show`)."""

    def __init__(self, engine: Engine, store: Store, clock: Callable[[], date] = date.today) -> None:
        self.engine, self.store, self.clock = engine, store, clock
        self.reminders = Reminders(engine, store, clock)

    def persist(self, user_id: int, chat_id: int, update_id: int | None, outcome: Outcome) -> bool:
        """Store the session, its logs and reminders (and mark *update_id* applied); False if it failed."""
        effects = outcome.effects
        try:
            self.store.apply(
                update_id,
                outcome.session,
                chat_id,
                erase=Effect.ERASE in effects,
                unanswered=outcome.unanswered,
                rating=outcome.rating,
                reminders=self.reminders.rows(outcome.session) if Effect.REMINDERS in effects else None,
            )
        except sqlite3.Error:
            logger.exception("user %s update %s: could not store", user_id, update_id)
            return False
        if Effect.ERASE in effects:
            logger.info("user %s: erased", user_id)
        return True

    async def show(self, surface: Surface, outcome: Outcome, replies: list[Reply] | None = None) -> None:
        """Show a stored *outcome* on *surface*: notice, export, replies (*replies* if given), files."""
        shown = list(outcome.replies) if replies is None else replies
        await surface.notice(outcome.toast, bool(shown))
        if Effect.EXPORT in outcome.effects:
            await surface.export(self.store.export(outcome.session.user_id))
        await surface.show(shown)
        await self._files(surface, outcome)

    async def _files(self, surface: Surface, outcome: Outcome) -> None:
        answers = outcome.session.answers
        library = self.engine.library
        if Effect.STANDING_IMAGE in outcome.effects:
            from bot.standing_image import standing_png  # Pillow: only needed once a plan is shown

            await surface.picture(
                standing_png(answers["ck"], answers.get("ck_retake")), library.message("standing_caption")
            )
        if Effect.PLAN_DOCUMENT in outcome.effects:
            from bot.documents import cached_plan_pdf  # fpdf2: only needed once a plan is asked for

            # Off the event loop: other users keep being served while the PDF is laid out.
            pdf = await asyncio.to_thread(
                cached_plan_pdf, library, answers, self.clock(), self.engine.season_open_month
            )
            await surface.document(pdf, library.message("plan_document_ready"))
