"""Timeline reminders: stored in SQLite, sent by a repeating job, at most once each, paced."""

import asyncio
import logging
from collections.abc import Callable
from datetime import date

from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.store import Store
from bot.text import split_message, to_html
from dialogs.engine import Engine
from dialogs.plan import dated_milestones, dated_steps, phase_text
from dialogs.session import Session

logger = logging.getLogger(__name__)
CHECK_EVERY = 3600  # seconds between scans of the reminders table
PACE = 0.05  # seconds between two reminders: well inside Telegram's 30 messages a second


class Reminders:
    """Plan, store and send a user's dated milestones."""

    def __init__(self, engine: Engine, store: Store, clock: Callable[[], date] = date.today) -> None:
        self.engine, self.store, self.clock = engine, store, clock

    def reschedule(self, session: Session) -> int:
        """Store the upcoming milestones of *session* as reminders (none when opted out); return how many."""
        rows = self.rows(session)
        self.store.replace_reminders(session.user_id, rows)
        return len(rows)

    def rows(self, session: Session) -> list[tuple[str, str, str]]:
        """Return the (milestone, due ISO date, label) reminders *session* asks for (none when opted out)."""
        rows: list[tuple[str, str, str]] = []
        if session.reminders and "timing" in session.answers:
            today = self.clock()
            milestones = dated_milestones(
                self.engine.library, session.answers, today, self.engine.season_open_month
            )
            # Upcoming phases only; "if you don't match" is advice for a bad day, not a scheduled step.
            rows = [
                (m.snippet_id, m.start.isoformat(), m.label)
                for m, snippet in milestones
                if m.start > today and min(snippet.months_before) >= 0
            ]
        return rows

    async def send_due(self, bot) -> int:
        """Send every reminder that is due; return how many went out."""
        sent = 0
        for reminder_id, user_id, chat_id, milestone, label in self.store.due_reminders(
            self.clock().isoformat()
        ):
            if not self.store.claim_reminder(reminder_id):
                continue
            body = self._phase_body(user_id, milestone)
            text = self.engine.library.message("reminder", label=label, body=body)
            try:
                for part in split_message(text):
                    await bot.send_message(chat_id, to_html(part), parse_mode=ParseMode.HTML)
                sent += 1
            except Forbidden:
                logger.info("user %s blocked the bot; reminders stop", user_id)
                self.store.mark_inactive(user_id)
            except TelegramError:
                logger.warning("reminder %s for user %s not delivered", reminder_id, user_id)
            await asyncio.sleep(PACE)
        return sent

    def _phase_body(self, user_id: int, milestone: str) -> str:
        """Return the phase as the user's timeline shows it: their own steps first, then the rest."""
        library = self.engine.library
        snippet = library.snippets.get(milestone)
        if snippet is None:
            return ""
        session = self.store.load(user_id)
        if session is None:
            return snippet.body
        steps = dated_steps(library, session.answers, self.clock(), self.engine.season_open_month)
        return phase_text(library, session.answers, snippet, steps)

    def install(self, application: Application) -> None:
        """Run the scan on the application's job queue, first shortly after start-up."""

        async def job(context: ContextTypes.DEFAULT_TYPE) -> None:
            count = await self.send_due(context.bot)
            if count:
                logger.info("reminders: %d sent", count)

        application.job_queue.run_repeating(job, interval=CHECK_EVERY, first=5, name="reminders")
