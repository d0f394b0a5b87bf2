"""SQLite storage through sqlite-utils: sessions, unanswered-question log, per-user data export/erase."""

import hashlib
import hmac
import json
import logging
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlite_utils

from dialogs.session import FINISHED, NEW, Session

logger = logging.getLogger(__name__)
migrations = sqlite_utils.Migrations("advisor")


@migrations()
def create_sessions(db: sqlite_utils.Database) -> None:
    """Sessions: one row per user, the whole dialog state as JSON."""
    db.table("sessions").create(
        {
            "user_id": int,
            "chat_id": int,
            "state": str,
            "data": str,
            "active": int,
            "last_update_id": int,
            "created_at": float,
            "updated_at": float,
        },
        pk="user_id",
    )
    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def create_unanswered(db: sqlite_utils.Database) -> None:
    """Questions with no confident answer, keyed by a salted hash instead of the user id."""
    db.table("unanswered").create({"id": int, "asker": str, "text": str, "created_at": float}, pk="id")
    db.table("unanswered").create_index(["asker"])


@migrations()
def create_ratings_and_reminders(db: sqlite_utils.Database) -> None:
    """Ratings of FAQ answers and plan parts (no message text); dated timeline reminders."""
    db.table("ratings").create(
        {"id": int, "asker": str, "item": str, "helpful": int, "created_at": float}, pk="id"
    )
    db.table("ratings").create_index(["asker"])
    db.table("reminders").create(
        {"id": int, "user_id": int, "milestone": str, "due": str, "label": str, "sent_at": float}, pk="id"
    )
    db.table("reminders").create_index(["due"])
    db.table("reminders").create_index(["user_id", "milestone"], unique=True)


@migrations()
def create_inbox(db: sqlite_utils.Database) -> None:
    """Updates as received, kept until applied; applied ones stay as bare tombstones (no user data)."""
    db.table("inbox").create(
        {"update_id": int, "body": str, "received_at": float, "done_at": float}, pk="update_id"
    )
    db.table("inbox").create_index(["done_at"])


TOMBSTONE_DAYS = 3  # Telegram keeps an unconfirmed update for at most a day; redelivery comes sooner


class Store:
    """All reads and writes of the bot's SQLite file."""

    def __init__(self, path: Path | str) -> None:
        on_disk = str(path) != ":memory:"
        if on_disk:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(path)
        if on_disk:
            self.db.enable_wal()
        # WAL with synchronous=NORMAL survives a killed process; only a power cut can drop the last commit.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        # Deleted rows are overwritten with zeros, so erased text does not linger in free pages.
        self.db.execute("PRAGMA secure_delete=ON")
        migrations.apply(self.db)
        self._salt = self._secret("asker_salt")
        self._on_disk = on_disk

    def _secret(self, key: str) -> bytes:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        if row:
            return bytes.fromhex(row[0])
        value = secrets.token_bytes(16)
        with self.db.atomic():
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [key, value.hex()])
        return value

    def healthy(self) -> bool:
        """Return True when the database answers a query."""
        try:
            return self.db.execute("SELECT 1").fetchone() == (1,)
        except sqlite3.Error:
            return False

    def close(self) -> None:
        """Checkpoint and close the database."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.db.close()

    # ----- sessions ----------------------------------------------------------------------------
    def load(self, user_id: int) -> Session | None:
        """Return the stored session of *user_id*, or None."""
        return self.load_with_last_update(user_id)[0]

    def load_with_last_update(self, user_id: int) -> tuple[Session | None, int | None]:
        """Return the stored session of *user_id* and the last update applied to it (one read)."""
        row = self.db.execute(
            "SELECT data, last_update_id FROM sessions WHERE user_id = ?", [user_id]
        ).fetchone()
        if row is None:
            return None, None
        try:
            return Session.from_record(json.loads(row[0])), row[1]
        except (ValueError, TypeError):
            logger.warning("user %s: unreadable stored session, starting fresh", user_id)
            return Session(user_id=user_id), row[1]

    def save(self, session: Session, chat_id: int, update_id: int | None = None) -> None:
        """Write *session* (one transaction), marking the user active again."""
        with self.db.atomic():
            self._save(session, chat_id, update_id)

    def _save(self, session: Session, chat_id: int, update_id: int | None = None) -> None:
        now = time.time()
        data = json.dumps(session.to_record(), separators=(",", ":"))
        self.db.execute(
            "INSERT INTO sessions (user_id, chat_id, state, data, active, last_update_id, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, state = excluded.state, data = excluded.data, active = 1,"
            " last_update_id = COALESCE(excluded.last_update_id, sessions.last_update_id),"
            " updated_at = excluded.updated_at",
            [session.user_id, chat_id, session.state, data, update_id, now, now],
        )

    def mark_inactive(self, user_id: int) -> None:
        """Stop sending to a user who blocked the bot, until they write again."""
        with self.db.atomic():
            self.db.execute("UPDATE sessions SET active = 0 WHERE user_id = ?", [user_id])

    # ----- unanswered questions ----------------------------------------------------------------
    def asker_key(self, user_id: int) -> str:
        """Return the salted hash that stands for *user_id* in logs, so rows can be erased on request."""
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:24]

    def log_unanswered(self, user_id: int, text: str) -> None:
        """Keep a question that got no confident answer, so the content can grow."""
        with self.db.atomic():
            self._log_unanswered(user_id, text)

    def _log_unanswered(self, user_id: int, text: str) -> None:
        self.db.execute(
            "INSERT INTO unanswered (asker, text, created_at) VALUES (?, ?, ?)",
            [self.asker_key(user_id), text[:1000], time.time()],
        )

    # ----- ratings -----------------------------------------------------------------------------
    def record_rating(self, user_id: int, item: str, helpful: bool) -> None:
        """Store one helpful / not helpful tap; a user's later tap on the same item replaces it."""
        with self.db.atomic():
            self._record_rating(user_id, item, helpful)

    def _record_rating(self, user_id: int, item: str, helpful: bool) -> None:
        asker = self.asker_key(user_id)
        self.db.execute("DELETE FROM ratings WHERE asker = ? AND item = ?", [asker, item])
        self.db.execute(
            "INSERT INTO ratings (asker, item, helpful, created_at) VALUES (?, ?, ?, ?)",
            [asker, item, int(helpful), time.time()],
        )

    # ----- reminders ---------------------------------------------------------------------------
    def replace_reminders(self, user_id: int, reminders: list[tuple[str, str, str]]) -> None:
        """Replace *user_id*'s unsent reminders with (milestone, due ISO date, label) rows; keep sent ones."""
        with self.db.atomic():
            self._replace_reminders(user_id, reminders)

    def _replace_reminders(self, user_id: int, reminders: list[tuple[str, str, str]]) -> None:
        self.db.execute("DELETE FROM reminders WHERE user_id = ? AND sent_at IS NULL", [user_id])
        sent = {r[0] for r in self.db.execute("SELECT milestone FROM reminders WHERE user_id = ?", [user_id])}
        self.db.conn.executemany(
            "INSERT INTO reminders (user_id, milestone, due, label) VALUES (?, ?, ?, ?)",
            [(user_id, m, due, label) for m, due, label in reminders if m not in sent],
        )

    def due_reminders(self, today_iso: str, limit: int = 200) -> list[tuple[int, int, int, str, str]]:
        """Return unsent reminders due by *today_iso* for active users: (id, user_id, chat_id, milestone, label)."""
        return self.db.execute(
            "SELECT r.id, r.user_id, s.chat_id, r.milestone, r.label FROM reminders r"
            " JOIN sessions s ON s.user_id = r.user_id"
            " WHERE r.sent_at IS NULL AND r.due <= ? AND s.active = 1 ORDER BY r.due, r.id LIMIT ?",
            [today_iso, limit],
        ).fetchall()

    def claim_reminder(self, reminder_id: int) -> bool:
        """Mark a reminder sent before sending it, so it can never go out twice; False if already claimed."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                [time.time(), reminder_id],
            )
        return cursor.rowcount == 1

    # ----- operators ---------------------------------------------------------------------------
    def stats(self, now: float, top: int = 20) -> dict[str, Any]:
        """Return usage figures for operators; no user ids, question texts only."""
        one = lambda sql, *args: self.db.execute(sql, list(args)).fetchone()[0]  # noqa: E731
        week_ago = now - 7 * 24 * 3600
        return {
            "users_started": one("SELECT COUNT(*) FROM sessions WHERE state != ?", NEW),
            "completed": one("SELECT COUNT(*) FROM sessions WHERE state IN (?, ?)", *FINISHED),
            "active_7_days": one("SELECT COUNT(*) FROM sessions WHERE updated_at >= ?", week_ago),
            "unanswered": self.db.execute(
                "SELECT text, COUNT(*) AS n FROM unanswered GROUP BY lower(text) ORDER BY n DESC, text LIMIT ?",
                [top],
            ).fetchall(),
            "ratings": self.db.execute(
                "SELECT item, SUM(helpful), SUM(1 - helpful) FROM ratings GROUP BY item ORDER BY item"
            ).fetchall(),
        }

    # ----- privacy -----------------------------------------------------------------------------
    def export(self, user_id: int) -> dict[str, Any]:
        """Return everything stored about *user_id*."""
        row = self.db.execute(
            "SELECT chat_id, state, data, active, created_at, updated_at FROM sessions WHERE user_id = ?",
            [user_id],
        ).fetchone()
        session = None
        if row:
            session = {
                "chat_id": row[0],
                "state": row[1],
                "session": json.loads(row[2]),
                "active": bool(row[3]),
                "created_at": row[4],
                "updated_at": row[5],
            }
        questions = [
            {"text": text, "created_at": created}
            for text, created in self.db.execute(
                "SELECT text, created_at FROM unanswered WHERE asker = ? ORDER BY id",
                [self.asker_key(user_id)],
            )
        ]
        asker = self.asker_key(user_id)
        ratings = [
            {"item": item, "helpful": bool(helpful), "created_at": created}
            for item, helpful, created in self.db.execute(
                "SELECT item, helpful, created_at FROM ratings WHERE asker = ? ORDER BY id", [asker]
            )
        ]
        reminders = [
            {"milestone": m, "due": due, "sent": sent is not None}
            for m, due, sent in self.db.execute(
                "SELECT milestone, due, sent_at FROM reminders WHERE user_id = ? ORDER BY due", [user_id]
            )
        ]
        return {
            "user_id": user_id,
            "session": session,
            "unanswered_questions": questions,
            "ratings": ratings,
            "reminders": reminders,
        }

    def erase(self, user_id: int) -> None:
        """Delete every row about *user_id*, and make the deleted text leave the disk."""
        with self.db.atomic():
            self._erase(user_id)
        self._scrub()
        logger.info("user %s: erased", user_id)

    def _erase(self, user_id: int) -> None:
        self.db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])
        self.db.execute("DELETE FROM unanswered WHERE asker = ?", [self.asker_key(user_id)])
        self.db.execute("DELETE FROM ratings WHERE asker = ?", [self.asker_key(user_id)])
        self.db.execute("DELETE FROM reminders WHERE user_id = ?", [user_id])

    def _scrub(self) -> None:
        # secure_delete zeroed the rows in the pages the WAL now holds; copying those pages back and
        # truncating the WAL removes the last copies of the erased text from the disk.
        if self._on_disk:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ----- the durable inbox -------------------------------------------------------------------
    def receive(self, update_id: int, body: str) -> bool:
        """Keep an update until it is applied; False if it was applied already (a redelivery)."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, ?)"
                " ON CONFLICT(update_id) DO NOTHING",
                [update_id, body, time.time()],
            )
        return not self.is_done(update_id)

    def receive_many(self, updates: list[tuple[int, str]]) -> None:
        """Keep a batch of updates (one transaction) until each is applied."""
        now = time.time()
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, ?)"
                " ON CONFLICT(update_id) DO NOTHING",
                [(update_id, body, now) for update_id, body in updates],
            )

    def is_done(self, update_id: int) -> bool:
        """Return True when the update was applied already."""
        row = self.db.execute("SELECT done_at FROM inbox WHERE update_id = ?", [update_id]).fetchone()
        return row is not None and row[0] is not None

    def _done(self, update_id: int) -> None:
        # The body (what the user sent) goes; the id stays as a tombstone against redelivery.
        now = time.time()
        self.db.execute(
            "INSERT INTO inbox (update_id, body, received_at, done_at) VALUES (?, NULL, ?, ?)"
            " ON CONFLICT(update_id) DO UPDATE SET body = NULL, done_at = excluded.done_at",
            [update_id, now, now],
        )

    def mark_done(self, update_id: int) -> None:
        """Record that the update needs nothing more (it changed no stored data)."""
        with self.db.atomic():
            self._done(update_id)

    def pending(self, limit: int = 100_000) -> list[tuple[int, str]]:
        """Return (update_id, body) of updates received but not applied, oldest first."""
        return self.db.execute(
            "SELECT update_id, body FROM inbox WHERE done_at IS NULL AND body IS NOT NULL"
            " ORDER BY update_id LIMIT ?",
            [limit],
        ).fetchall()

    def prune_inbox(self, now: float) -> int:
        """Forget tombstones older than Telegram could redeliver; return how many went."""
        with self.db.atomic():
            cursor = self.db.execute(
                "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?",
                [now - TOMBSTONE_DAYS * 24 * 3600],
            )
        return cursor.rowcount

    def apply(
        self,
        update_id: int | None,
        session: Session | None,
        chat_id: int,
        *,
        erase: bool = False,
        unanswered: str | None = None,
        rating: tuple[str, bool] | None = None,
        reminders: list[tuple[str, str, str]] | None = None,
    ) -> None:
        """Store one update's effects and mark it applied, in one transaction (all or nothing).

        *update_id* is None for the terminal chat, which has no Telegram updates to mark.
        """
        # atomic(), not the connection's context manager: sqlite-utils commits each write of its own
        # execute() unless a transaction was begun explicitly.
        with self.db.atomic():
            if erase and session is not None:
                self._erase(session.user_id)
            elif session is not None:
                if unanswered:
                    self._log_unanswered(session.user_id, unanswered)
                if rating:
                    self._record_rating(session.user_id, *rating)
                self._save(session, chat_id, update_id)
                if reminders is not None:
                    self._replace_reminders(session.user_id, reminders)
            if update_id is not None:
                self._done(update_id)
        if erase:
            self._scrub()
