"""What every handler shares: the content, the machine, the readers, and how to show what comes next."""

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from content.model import Library, Question
from content.search import FaqMatcher
from dialogs import machine, views
from dialogs.interpret import Interpreter
from dialogs.replies import Outcome, Reply
from dialogs.session import FINISHED, PLAN, SUMMARY, Session

logger = logging.getLogger(__name__)

# Every routed handler takes (dialog, session, what the user did, today): what they did is the Command,
# the decoded button action, the Text or the Unsupported event.
Handler = Callable[["Dialog", Session, Any, date], Outcome]


class Dialog:
    """The parts one engine shares across users; it holds no per-user state."""

    def __init__(self, library: Library, season_open_month: int) -> None:
        self.library = library
        self.questions = library.questions
        self.by_state = {q.state: q for q in self.questions}
        self.by_id = {q.id: q for q in self.questions}
        self.machine = machine.build_machine(self.questions)
        self.mover = machine.Mover(self.machine)
        self.matcher = FaqMatcher(library.faqs, spelled_out=library.understanding.spelled_out)
        self.interpreter = Interpreter(library.understanding, library.questions, season_open_month)
        self.season_open_month = season_open_month

    def msg(self, key: str, **values: Any) -> str:
        """Return the message *key* from the content, filled with *values*."""
        return self.library.message(key, **values)

    def asked(self, session: Session) -> Question | None:
        """Return the question *session* is at, or None outside the questionnaire."""
        return self.by_state.get(session.state)

    def move(self, session: Session, trigger: str, chosen: str | None = None, **changes: Any) -> Session:
        """Return *session* moved by *trigger* to where the machine sends it (*chosen*: the edited question)."""
        new_state = self.mover.move(session, trigger, **({"question": chosen} if chosen else {}))
        logger.debug("user %s: %s -> %s via %s", session.user_id, session.state, new_state, trigger)
        if new_state == SUMMARY:
            changes["editing"] = False  # the summary is where an edit ends
        arrived = self.by_state.get(new_state)
        if arrived is not None and arrived.kind == "multi" and "draft" not in changes:
            # At a multi-select question again: its saved ticks are on screen, ready to change.
            changes["draft"] = tuple(session.answers.get(arrived.id) or ())
        changes.setdefault("draft", ())
        return session.evolve(state=new_state, turn=session.turn + 1, pending=None, **changes)

    def prompt(self, session: Session) -> list[Reply]:
        """Return what the user should see now for *session*'s state."""
        if session.pending:
            return [views.confirm_reply(self.library, session)]
        question = self.asked(session)
        if question is not None:
            back, skip = self.mover.may(session, "go_back"), self.mover.may(session, "skip")
            return [views.question_reply(self.library, session, question, back=back, skip=skip)]
        if session.state == PLAN:  # after small talk or an FAQ at the plan: a way back, not the summary
            return [views.plan_ready_reply(self.library, session)]
        if session.state in FINISHED:
            return [views.summary_reply(self.library, session)]
        return [views.not_started_reply(self.library, session)]

    def show(
        self, session: Session, before: list[Reply] | tuple[Reply, ...] = (), toast: str | None = None
    ) -> Outcome:
        """Return *before*, then what comes next for *session*: the one way every handler ends a step."""
        return Outcome(session, (*before, *self.prompt(session)), toast=toast)
