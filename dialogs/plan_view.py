"""The plan's part buttons (`part:<key>`): open one part of the plan, or the first message again."""

import logging
from datetime import date

from content.model import Library
from dialogs.errors import StaleButton
from dialogs.plan import PARTS, build_plan, part_reply
from dialogs.replies import Outcome, Reply
from dialogs.session import Session

logger = logging.getLogger(__name__)


def open_part(
    library: Library, session: Session, part: str, today: date, open_month: int, *, complete: bool
) -> Outcome:
    """Return the outcome of pressing a part button; parts carry no turn, so old plan messages still work."""
    if part != "plan" and part not in PARTS:
        raise StaleButton
    if not complete:  # e.g. an edit opened a follow-up question that is not answered yet
        return Outcome(session, (Reply(library.message("plan_not_ready")),))
    logger.debug("user %s: opened plan part %s", session.user_id, part)
    if part == "plan":
        return Outcome(session, tuple(build_plan(library, session.answers, today, open_month)))
    reply = part_reply(library, session.answers, part, today, open_month, session.reminders)
    return Outcome(session, (reply,))
