"""The single entry point of the dialog: `Engine.handle(session, event, today) -> Outcome`.

An event goes: repair the stored session, find its handler in `dialogs.routing`, and turn any
refusal into a reply. The handlers live in modules named after what they handle: `questionnaire`,
`review` (the summary), `planning`, `faq`, `lifecycle` (start, restart, delete, cancel) and `typed`
(applying what `interpret` read from a message).
"""

import logging
from datetime import date

from transitions import MachineError

from content.model import Library
from dialogs import routing, rules
from dialogs.dialog import Dialog
from dialogs.errors import DialogError
from dialogs.events import Event
from dialogs.replies import Outcome, Reply
from dialogs.session import FINISHED, NEW, Session

logger = logging.getLogger(__name__)


class Engine:
    """Apply user events to sessions. One engine serves every user; it holds no per-user state."""

    def __init__(self, library: Library, *, season_open_month: int = 6) -> None:
        self.dialog = Dialog(library, season_open_month)
        self.library = library
        self.questions = library.questions
        self.season_open_month = season_open_month
        self.by_state = self.dialog.by_state
        self.machine = self.dialog.machine
        self.matcher = self.dialog.matcher
        self.interpreter = self.dialog.interpreter

    def handle(self, session: Session, event: Event, today: date) -> Outcome:
        """Return the new session and the replies for *event*; never raises for user input."""
        d = self.dialog
        session = self._repair(session)
        try:
            return routing.route(d, session, event, today)
        except DialogError as error:
            return d.show(session, [Reply(d.msg(error.message_key))], toast=d.msg(error.message_key))
        except MachineError:
            logger.warning("user %s: refused move from %s", session.user_id, session.state)
            return d.show(session, [Reply(d.msg("outdated_button"))])

    def prompt(self, session: Session) -> list[Reply]:
        """Return what the user should see now for *session*'s state."""
        return self.dialog.prompt(session)

    def _repair(self, session: Session) -> Session:
        """Recover a session stored by another version (renamed question, unknown state)."""
        d = self.dialog
        asked = d.asked(session)
        options = [o.value for o in asked.options] if asked is not None and asked.kind == "multi" else []
        if any(v not in options for v in session.draft):  # a draft from another question or version
            session = session.evolve(draft=tuple(v for v in session.draft if v in options))
        answers = {k: v for k, v in session.answers.items() if k in d.by_id and rules.valid(d.by_id[k], v)}
        answers = rules.prune(self.questions, answers)
        state = session.state
        if state not in self.machine.states:
            # Resume at the first question still open: where a typed message would lead from the start.
            state = d.mover.move(session.evolve(state=NEW, answers=answers), "fill") if answers else NEW
            logger.warning("user %s: unknown stored state, resumed at %s", session.user_id, state)
        elif state in FINISHED and not rules.is_complete(self.questions, answers):
            state = d.mover.move(session.evolve(answers=answers), "fill")
        if session.doubt is not None and session.doubt[0] not in d.by_id:  # a question since removed
            session = session.evolve(pending=None, doubt=None)
        if state == session.state and answers == session.answers:
            return session
        return session.evolve(state=state, answers=answers, pending=None, draft=(), editing=False)
