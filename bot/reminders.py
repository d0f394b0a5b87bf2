"""Timeline reminders: stored in SQLite, sent by a repeating job, at most once each, paced."""

import asyncio
import logging
from collections.abc import Callable
from datetime import date

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.store import Store
from bot.text import split_message, to_html
from dialogs.engine import Engine
from dialogs.reminders import phase_reminder, reminder_phases
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
        phases = reminder_phases(self.engine.library, session, self.clock(), self.engine.season_open_month)
        return [(m.snippet_id, m.start.isoformat(), m.label) for m in phases]

    async def send_due(self, bot: Bot) -> int:
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
        """Return the phase as the user's timeline shows it, from their stored answers."""
        session = self.store.load(user_id)
        answers = session.answers if session is not None else None
        return phase_reminder(
            self.engine.library, answers, milestone, self.clock(), self.engine.season_open_month
        )

    def install(self, application: Application) -> None:
        """Run the scan on the application's job queue, first shortly after start-up."""

        async def job(context: ContextTypes.DEFAULT_TYPE) -> None:
            count = await self.send_due(context.bot)
            if count:
                logger.info("reminders: %d sent", count)

        if application.job_queue is None:  # PTB leaves it out without the job-queue extra
            raise RuntimeError("reminders need python-telegram-bot[job-queue] (see requirements.txt)")
        application.job_queue.run_repeating(job, interval=CHECK_EVERY, first=5, name="reminders")
