"""The single entry point of the dialog: `Engine.handle(session, event, today) -> Outcome`."""

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from transitions import MachineError

from content.model import Library, Question
from content.search import FaqMatcher, Match
from dialogs import buttons, flow, machine, plan_view, views
from dialogs.errors import DialogError, StaleButton
from dialogs.events import Button, Command, Event, Text, Unsupported
from dialogs.interpret import Interpreter
from dialogs.plan import SECTION_TITLES, build_plan, timeline_reply
from dialogs.replies import Choice, Outcome, Reply, with_prompt
from dialogs.session import NEW, PLAN, SUMMARY, Session

logger = logging.getLogger(__name__)

MAX_TEXT = 4000  # longer messages are cut before parsing or searching; Telegram allows 4096
# The Step 2 CK passing score was 214 for tests before 1 July 2025 and is 218 since (USMLE).
PASS_BEFORE_JULY_2025 = 214
PASS_FROM_JULY_2025 = 218
SCORE_QUESTIONS = ("ck", "ck_retake")


class Engine:
    """Apply user events to sessions. One engine serves every user; it holds no per-user state."""

    def __init__(self, library: Library, *, season_open_month: int = 6) -> None:
        self.library = library
        self.questions = library.questions
        self.by_state = {q.state: q for q in self.questions}
        self.machine = machine.build_machine(self.questions)
        self.mover = machine.Mover(self.machine)
        self.matcher = FaqMatcher(library.faqs)
        self.interpreter = Interpreter(library.understanding, library.questions, season_open_month)
        self.season_open_month = season_open_month
        self._commands: dict[str, Callable[[Session, Command, date], Outcome]] = {
            "start": self._start,
            "help": self._help,
            "restart": self._ask_restart,
            "delete": self._ask_delete,
            "cancel": self._cancel,
            "profile": self._profile,
            "plan": self._plan,
            "faq": lambda s, c, t: Outcome(s, (views.faq_list_reply(self.library, 1),)),
            "back": lambda s, c, t: self._go_back(s),
            "skip": lambda s, c, t: self._skip(s, t),
            "mydata": lambda s, c, t: Outcome(s, effects=frozenset({"export"})),
            "timeline": self._timeline,
            "remind": lambda s, c, t: self._remind(s, c.args[0].lower() if c.args else ""),
        }

    # ----- entry point -------------------------------------------------------------------------
    def handle(self, session: Session, event: Event, today: date) -> Outcome:
        """Return the new session and the replies for *event*; never raises for user input."""
        session = self._repair(session)
        try:
            if isinstance(event, Command):
                handler = self._commands.get(event.name)
                if handler is None:
                    return Outcome(
                        session, (Reply(self._msg("unknown_command") + "\n\n" + self._msg("help")),)
                    )
                return handler(session, event, today)
            if isinstance(event, Button):
                return self._button(session, event.data, today)
            if isinstance(event, Text):
                return self._text(session, event.text[:MAX_TEXT], today)
            if isinstance(event, Unsupported):
                key = "edited" if event.what == "edit" else "not_text"
                return self._with_prompt(session, [Reply(self._msg(key))])
        except DialogError as error:
            return self._with_prompt(
                session, [Reply(self._msg(error.message_key))], toast=self._msg(error.message_key)
            )
        except MachineError:
            logger.warning("user %s: refused move from %s", session.user_id, session.state)
            return self._with_prompt(session, [Reply(self._msg("outdated_button"))])
        raise TypeError(f"unknown event {event!r}")

    def prompt(self, session: Session) -> list[Reply]:
        """Return what the user should see now for *session*'s state."""
        if session.pending:
            return [self._confirm_reply(session)]
        question = self.by_state.get(session.state)
        if question is not None:
            return [views.question_reply(self.library, session, question)]
        if session.state in (SUMMARY, PLAN):
            return [views.summary_reply(self.library, session)]
        return [Reply(self._msg("not_started"), ((Choice("Start", buttons.Begin().encode(session.turn)),),))]

    # ----- helpers -----------------------------------------------------------------------------
    def _msg(self, key: str, **values: Any) -> str:
        return self.library.message(key, **values)

    def _repair(self, session: Session) -> Session:
        """Recover a session stored by another version (renamed question, unknown state)."""
        known = {q.id: q for q in self.questions}
        asked = self.by_state.get(session.state)
        options = [o.value for o in asked.options] if asked is not None and asked.kind == "multi" else []
        if any(v not in options for v in session.draft):  # a draft from another question or version
            session = session.evolve(draft=tuple(v for v in session.draft if v in options))
        answers = {k: v for k, v in session.answers.items() if k in known and flow.valid(known[k], v)}
        answers = flow.prune(self.questions, answers)
        state = session.state
        if state not in self.machine.states:
            state = flow.first_unanswered(self.questions, answers) if answers else NEW
            logger.warning("user %s: unknown stored state, resumed at %s", session.user_id, state)
        elif state in (SUMMARY, PLAN):
            state = flow.first_unanswered(self.questions, answers)  # the summary itself when complete
            state = session.state if state == SUMMARY else state
        if state == session.state and answers == session.answers:
            return session
        return session.evolve(state=state, answers=answers, pending=None, draft=(), editing=False)

    def _move(self, session: Session, trigger: str, dest: str, **changes: Any) -> Session:
        new_state = self.mover.move(session.state, trigger, dest)
        logger.debug("user %s: %s -> %s via %s", session.user_id, session.state, new_state, trigger)
        draft: tuple[Any, ...] = ()
        arrived = self.by_state.get(new_state)
        if arrived is not None and arrived.kind == "multi" and "draft" not in changes:
            # Back at a multi-select question: its saved ticks are on screen, ready to change.
            draft = tuple(session.answers.get(arrived.id) or ())
        return session.evolve(state=new_state, turn=session.turn + 1, pending=None, draft=draft, **changes)

    def _with_prompt(self, session: Session, replies: list[Reply], toast: str | None = None) -> Outcome:
        return Outcome(session, (*replies, *self.prompt(session)), toast=toast)

    def _complete(self, session: Session) -> bool:
        return flow.first_unanswered(self.questions, session.answers) == SUMMARY

    def _arrive(self, session: Session, today: date, before: list[Reply] | None = None) -> Outcome:
        """Show what belongs to the state just entered."""
        replies = list(before or [])
        effects: frozenset[str] = frozenset()
        if session.state == PLAN:
            replies += build_plan(self.library, session.answers, today, self.season_open_month)
            if session.answers.get("ck") not in (None, "not_taken"):
                effects = frozenset({"standing_image"})
            if session.reminders:  # answers may have changed the dates
                effects |= {"reminders"}
        else:
            replies += self.prompt(session)
        return Outcome(session, tuple(replies), effects=effects)

    # ----- commands ----------------------------------------------------------------------------
    def _start(self, session: Session, command: Command, today: date) -> Outcome:
        replies: list[Reply] = []
        topic = command.args[0].replace("_", "-") if command.args else ""
        snippet = self.library.snippets.get(topic.removeprefix("faq-"))
        if snippet is not None and snippet.kind == "faq":
            replies.append(views.faq_reply(self.library, snippet))
        if session.state == NEW:
            session = self._move(session, "begin", self.questions[0].state)
            return self._arrive(session, today, [*replies, Reply(self._msg("welcome"))])
        session = session.evolve(pending=None)
        key = "welcome_done" if session.state in (SUMMARY, PLAN) else "welcome_back"
        return self._with_prompt(session, [*replies, Reply(self._msg(key))])

    def _help(self, session: Session, command: Command, today: date) -> Outcome:
        if session.state == NEW:
            return Outcome(session, (Reply(self._msg("help")),))
        return self._with_prompt(session, [Reply(self._msg("help"))])

    def _ask_restart(self, session: Session, command: Command, today: date) -> Outcome:
        if session.state == NEW and not session.answers:
            return self._start(session, Command("start"), today)
        session = session.evolve(pending="restart", turn=session.turn + 1)
        return Outcome(session, (self._confirm_reply(session),))

    def _ask_delete(self, session: Session, command: Command, today: date) -> Outcome:
        session = session.evolve(pending="delete", turn=session.turn + 1)
        return Outcome(session, (self._confirm_reply(session),))

    def _confirm_reply(self, session: Session) -> Reply:
        kind = session.pending
        if kind == "doubt" and session.doubt is not None:
            qid, value = session.doubt
            score = type(value) is int and qid in SCORE_QUESTIONS and value < PASS_FROM_JULY_2025
            if score and value < PASS_BEFORE_JULY_2025:  # below every passing standard
                yes = Choice(
                    self._msg("confirm_reading_yes"), buttons.ConfirmReading(True).encode(session.turn)
                )
                no = Choice(
                    self._msg("confirm_reading_no"), buttons.ConfirmReading(False).encode(session.turn)
                )
                return Reply(self._msg("ck_below_pass", score=value), ((yes, no),))
            if score:  # a Step 2 CK between the old and the new passing score
                yes = Choice(self._msg("ck_pass_date_yes"), buttons.ConfirmReading(True).encode(session.turn))
                no = Choice(self._msg("ck_pass_date_no"), buttons.ConfirmReading(False).encode(session.turn))
                return Reply(self._msg("ck_pass_date", score=value), ((yes, no),))
            question = self.library.question(qid)
            new = views.answer_label(question, value)
            yes = Choice(self._msg("confirm_reading_yes"), buttons.ConfirmReading(True).encode(session.turn))
            no = Choice(self._msg("confirm_reading_no"), buttons.ConfirmReading(False).encode(session.turn))
            if qid in session.answers and session.answers[qid] != value:
                old = views.answer_label(question, session.answers[qid])
                text = self._msg("confirm_change", question=question.short, old=old, new=new)
                return Reply(text, ((yes, no),))
            reading = f"{question.short}: {new}"
            no = Choice(self._msg("confirm_reading_no"), buttons.ConfirmReading(False).encode(session.turn))
            return Reply(self._msg("confirm_reading", reading=reading), ((yes, no),))
        key, action = (
            ("confirm_restart", buttons.ConfirmRestart)
            if kind == "restart"
            else ("confirm_delete", buttons.ConfirmDelete)
        )
        yes = Choice(self._msg(f"{key}_yes"), action(True).encode(session.turn))
        no = Choice(self._msg("confirm_no"), action(False).encode(session.turn))
        return Reply(self._msg(key), ((yes, no),))

    def _cancel(self, session: Session, command: Command, today: date) -> Outcome:
        if session.pending:
            session = session.evolve(pending=None, turn=session.turn + 1)
            return self._with_prompt(session, [Reply(self._msg("kept"))])
        # Leave an edit for the summary only when no follow-up it opened (e.g. "passed since?") is open.
        if session.editing and session.state in self.by_state and self._complete(session):
            session = self._move(session, "review", SUMMARY, editing=False)
            return self._arrive(session, today, [Reply(self._msg("edit_left"))])
        if session.state in self.by_state:
            return Outcome(session, (Reply(self._msg("cancelled")),))
        return Outcome(session, (Reply(self._msg("cancel_nothing")),))

    def _profile(self, session: Session, command: Command, today: date) -> Outcome:
        if not session.answers:
            return Outcome(session, (Reply(self._msg("profile_empty")),))
        if self._complete(session) and session.state != SUMMARY:
            session = self._move(session, "review", SUMMARY, editing=False)
        if session.state == SUMMARY:
            reply = views.summary_reply(self.library, session.evolve(pending=None), "profile_title")
            return Outcome(session.evolve(pending=None), (reply,))
        lines = [self._msg("profile_title"), *views.answers_lines(self.library, session.answers)]
        lines += ["", self._msg("profile_incomplete")]
        cont = ((Choice(self._msg("continue_button"), buttons.Continue().encode(session.turn)),),)
        return Outcome(session, (Reply("\n".join(lines), cont, kind="summary"),))

    def _plan(self, session: Session, command: Command, today: date) -> Outcome:
        if not self._complete(session):
            return self._with_prompt(session, [Reply(self._msg("plan_not_ready"))])
        if session.state != SUMMARY:
            session = self._move(session, "review", SUMMARY, editing=False)
        session = self._move(session, "show_plan", PLAN)
        return self._arrive(session, today)

    def _timeline(self, session: Session, command: Command, today: date) -> Outcome:
        if "timing" not in session.answers:
            return self._with_prompt(session, [Reply(self._msg("needs_timing"))])
        reply = timeline_reply(self.library, session.answers, today, self.season_open_month)
        return Outcome(session, (reply,))

    def _remind(self, session: Session, setting: str) -> Outcome:
        if setting not in ("on", "off"):
            return Outcome(session, (Reply(self._msg("remind_usage")),))
        if setting == "on" and "timing" not in session.answers:
            return self._with_prompt(session, [Reply(self._msg("needs_timing"))])
        session = session.evolve(reminders=setting == "on")
        key = "reminders_on" if session.reminders else "reminders_off"
        return Outcome(session, (Reply(self._msg(key)),), effects=frozenset({"reminders"}))

    # ----- answers -----------------------------------------------------------------------------
    def _answer(
        self, session: Session, question: Question, value: Any, today: date, trigger: str = "answer"
    ) -> Outcome:
        answers = flow.prune(self.questions, {**session.answers, question.id: value})
        dest = flow.next_state(self.questions, question.state, answers, session.editing)
        editing = session.editing and dest != SUMMARY
        session = self._move(session.evolve(answers=answers), trigger, dest, editing=editing)
        before = []
        if question.id == "visa" and value == "none":
            before.append(Reply(self._msg("citizen_note")))
        logger.debug("user %s: answered %s", session.user_id, question.id)
        return self._arrive(session, today, before)

    def _skip(self, session: Session, today: date) -> Outcome:
        question = self.by_state.get(session.state)
        if question is None or not question.skippable:
            return self._with_prompt(session, [])
        value = list(question.skip_value) if isinstance(question.skip_value, list) else question.skip_value
        return self._answer(session, question, value, today, trigger="skip")

    def _go_back(self, session: Session) -> Outcome:
        if session.state in self.by_state and session.editing and self._complete(session):
            session = self._move(session, "review", SUMMARY, editing=False)
            return Outcome(session, tuple(self.prompt(session)))
        if session.state == PLAN:
            session = self._move(session, "review", SUMMARY)
            return Outcome(session, tuple(self.prompt(session)))
        dest = flow.previous_state(self.questions, session.state, session.answers)
        if dest is None or session.state == NEW:  # nothing before the first question
            return self._with_prompt(session, [])
        session = self._move(session, "go_back", dest)
        return Outcome(session, tuple(self.prompt(session)))

    # ----- typed text -------------------------------------------------------------------------
    def _text(self, session: Session, text: str, today: date) -> Outcome:
        """Act on what a typed message means, wherever the user is."""
        question = self.by_state.get(session.state)
        reading = self.interpreter.read(
            text, question.id if question else None, session.answers, today, confirming=bool(session.pending)
        )
        logger.debug("user %s: typed text read as %s in %s", session.user_id, reading.kind, session.state)
        if reading.kind == "confirm":
            return self._typed_confirmation(session, bool(reading.answer), today)
        if reading.kind == "move":
            return self._typed_move(session, reading.move or "", today)
        if session.pending in ("restart", "delete") and reading.kind in ("answers", "unclear"):
            return Outcome(session, (Reply(self._msg("confirm_first")), self._confirm_reply(session)))
        if session.pending == "doubt":
            session = session.evolve(pending=None, doubt=None)
        if reading.kind == "small_talk":
            key = self.library.understanding.small_talk[reading.intent or ""][0]
            return self._with_prompt(session, [Reply(self._msg(key))])
        if reading.kind == "glossary":
            definition = self.library.understanding.glossary[reading.intent or ""]
            return self._with_prompt(session, [Reply(definition)])
        if reading.kind == "question":
            return self._question(session, text, question, guessed=reading.guessed)
        if reading.facts or reading.doubt:
            extra = self._faq_replies(text) if reading.asks else []
            facts, doubt = dict(reading.facts), dict(reading.doubt)
            if not reading.corrects:
                # Changing an earlier answer without saying so ("wait", "actually", "I meant") is
                # confirmed with one tap: a misread answer must never silently replace a given one.
                asked = question.id if question else None
                changes = [
                    k for k, v in facts.items() if k != asked and self._replaces(session.answers, k, v)
                ]
                if changes and not doubt:
                    doubt[changes[0]] = facts[changes[0]]
                for key in changes:
                    del facts[key]
            return self._apply_facts(session, facts, doubt, today, extra)
        if reading.refused == "not_a_score":
            return self._with_prompt(session, [Reply(self._msg("not_a_score", score=reading.refused_value))])
        if question is not None:
            return self._with_prompt(session, [Reply(self._msg("nothing_clear", invalid=question.invalid))])
        return self._question(session, text, question)

    def _typed_confirmation(self, session: Session, yes: bool, today: date) -> Outcome:
        action = {
            "restart": buttons.ConfirmRestart,
            "delete": buttons.ConfirmDelete,
            "doubt": buttons.ConfirmReading,
        }[session.pending or ""]
        return self._press(session, action(yes), today)

    def _typed_move(self, session: Session, move: str, today: date) -> Outcome:
        question = self.by_state.get(session.state)
        if session.pending and move not in ("cancel", "help"):
            session = session.evolve(pending=None, doubt=None, turn=session.turn + 1)
        if move == "back":
            return self._go_back(session)
        if move == "skip":
            if question is not None and not question.skippable:
                return self._with_prompt(session, [Reply(self._msg("cannot_skip"))])
            return self._skip(session, today)
        if move == "restart":
            return self._ask_restart(session, Command("restart"), today)
        if move in ("help", "menu"):
            return self._help(session, Command("help"), today)
        if move == "cancel":
            return self._cancel(session, Command("cancel"), today)
        if move == "done":
            if question is not None and question.kind == "multi":
                return self._done(session, question, today)
            return self._with_prompt(session, [])
        if move == "plan":
            if session.state == PLAN:
                return self._arrive(session, today)
            return self._plan(session, Command("plan"), today)
        return self._profile(session, Command("profile"), today)

    def _replaces(self, answers: dict[str, Any], qid: str, value: Any) -> bool:
        """Return True when *value* would replace a real earlier answer, not fill in or add to it."""
        if qid not in answers or answers[qid] == value:
            return False
        old = answers[qid]
        if old in ("unsure", "not_taken", "not_yet") or old == [] or old == ["unsure"]:
            return False  # "not sure yet" / "not taken" becoming known is news, not a correction
        if (old, value) == ("failed", "pass_after_fail"):
            return False  # "passed step 1 on my 2nd attempt!" after a failure is news too
        return not (isinstance(old, list) and isinstance(value, list) and set(old) <= set(value))

    def _faq_replies(self, text: str) -> list[Reply]:
        """Return the FAQ answer (or choice) for a question asked alongside answers, if any."""
        reply = self._faq_reply(self.matcher.match(text))
        return [reply] if reply is not None else []

    def _faq_reply(self, match: Match) -> Reply | None:
        """Return the reply for a match: the answer, a choice of close topics, or None."""
        if match.status == "answer":
            return views.faq_reply(self.library, self.library.snippets[match.ids[0]])
        if match.status == "choose":
            rows = tuple(
                (Choice(self.library.snippets[i].title, buttons.Topic(i).encode()),) for i in match.ids
            )
            return Reply(self._msg("faq_choose"), rows, kind="faq_choose", snippet_ids=match.ids)
        return None

    def _apply_facts(
        self,
        session: Session,
        facts: dict[str, Any],
        doubt: dict[str, Any],
        today: date,
        extra: list[Reply] | None = None,
    ) -> Outcome:
        """Store every answer a message gave, say what was understood and changed, show what is next."""
        notes: list[str] = []
        asked = self.by_state.get(session.state)
        if asked is not None and asked.kind == "multi" and session.draft and asked.id in facts:
            # Ticks already on screen: add the typed ones and let the user tap Done.
            typed = facts.pop(asked.id)
            order = [o.value for o in asked.options]
            draft = sorted(set(session.draft) | set(typed), key=order.index)
            session = session.evolve(draft=tuple(draft))
        old = session.answers
        known = {q.id: q for q in self.questions}
        # Only values the questionnaire can hold, for questions that apply, are stored.
        facts = {k: v for k, v in facts.items() if k in known and flow.valid(known[k], v)}
        answers = flow.prune(self.questions, {**old, **facts})
        facts = {k: v for k, v in facts.items() if k in answers}
        changed = {k: v for k, v in facts.items() if k in old and old[k] != v}
        fresh = {k: v for k, v in facts.items() if k not in old}
        lines = []
        if fresh:
            lines.append(self._msg("understood", facts=self._describe(fresh)))
        if changed:
            lines.append(self._msg("changed", changes=self._describe(changed, old)))
        if facts.get("visa") == "none" and old.get("visa") != "none":
            lines.append(self._msg("citizen_note"))
        lines += notes
        before = [Reply("\n".join(lines))] if lines else []
        before += extra or []
        session = session.evolve(answers=answers)
        if doubt:
            qid, value = next(iter(doubt.items()))
            session = session.evolve(pending="doubt", doubt=(qid, value), turn=session.turn + 1)
            return Outcome(session, (*before, self._confirm_reply(session)))
        return self._advance(session, today, before, changed=bool(changed))

    def _advance(self, session: Session, today: date, before: list[Reply], changed: bool) -> Outcome:
        """Move to the first question still open, or back to the summary or plan the user was at."""
        dest = flow.first_unanswered(self.questions, session.answers)
        was_done = session.state in (SUMMARY, PLAN) or session.editing
        if dest == SUMMARY and session.state == PLAN and not changed:
            return Outcome(session, tuple(before)) if before else self._arrive(session, today)
        if dest == SUMMARY and session.state == PLAN:
            turn = session.turn + 1
            button = Choice(self._msg("plan_updated_button"), buttons.ShowPlan().encode(turn))
            updated = Reply(self._msg("plan_updated"), ((button,),))
            session = session.evolve(turn=turn)
            effects = frozenset({"reminders"}) if session.reminders and changed else frozenset()
            return Outcome(session, (*before, updated), effects=effects)
        if dest == session.state and session.state in self.by_state:
            return self._with_prompt(session, before)
        session = self._move(session, "fill", dest, editing=was_done and dest != SUMMARY)
        return self._arrive(session, today, before)

    def _describe(self, facts: dict[str, Any], old: dict[str, Any] | None = None) -> str:
        parts = []
        for question in self.questions:
            if question.id in facts:
                new = views.answer_label(question, facts[question.id])
                if old is not None:
                    parts.append(
                        f"{question.short}: {views.answer_label(question, old[question.id])} → {new}"
                    )
                else:
                    parts.append(f"{question.short}: {new}")
        return " · ".join(parts)

    def _question(
        self, session: Session, text: str, question: Question | None, guessed: bool = False
    ) -> Outcome:
        """Answer free text from the FAQ, then show where the dialog was."""
        match = self.matcher.match(text)
        if guessed and question is not None and match.status == "none":
            # A long reply that neither answers nor asks: say what can be typed, not "I can't answer that".
            return self._with_prompt(
                session, [Reply(self._msg("nothing_clear_long", invalid=question.invalid))]
            )
        reply = self._faq_reply(match)
        if reply is None:
            reply = Reply(
                self._msg("faq_none"),
                ((Choice("Browse topics", buttons.Page(1).encode()),),),
                kind="faq_none",
            )
        outcome = self._resume_after(session, [reply])
        if match.status == "answer":
            return outcome
        # Not answered with confidence: the text goes to the content log.
        return Outcome(outcome.session, outcome.replies, unanswered=text)

    def _resume_after(self, session: Session, replies: list[Reply]) -> Outcome:
        prompt = self.prompt(session)
        if (session.state in self.by_state or session.pending) and len(replies) == 1 and len(prompt) == 1:
            # One message: the answer, then the question still waiting (every message costs capacity).
            merged = with_prompt(replies[0], self._msg("faq_back_to_dialog"), prompt[0])
            return Outcome(session, tuple(merged))
        if session.state in self.by_state or session.pending:
            return self._with_prompt(session, [*replies, Reply(self._msg("faq_back_to_dialog"))])
        if session.state == NEW:
            return self._with_prompt(session, replies)
        return Outcome(session, tuple(replies))

    # ----- buttons -----------------------------------------------------------------------------
    def _button(self, session: Session, data: str, today: date) -> Outcome:
        pressed = buttons.decode(data)
        action = pressed.action
        if isinstance(action, buttons.Topic):
            snippet = self.library.snippets.get(action.snippet)
            if snippet is None or snippet.kind != "faq":
                raise StaleButton
            return Outcome(session, (views.faq_reply(self.library, snippet),))
        if isinstance(action, buttons.Page):
            return Outcome(session, (views.faq_list_reply(self.library, action.number),))
        if isinstance(action, buttons.Rating):
            if not self._rateable(action.item):
                raise StaleButton
            return Outcome(session, toast=self._msg("rate_thanks"), rating=(action.item, action.helpful))
        if isinstance(action, buttons.Reminder):
            return self._remind(session, action.argument())
        if isinstance(action, buttons.PlanPart):
            complete = self._complete(session)
            return plan_view.open_part(
                self.library, session, action.part, today, self.season_open_month, complete=complete
            )
        if isinstance(action, buttons.Document):
            if not self._complete(session):
                return self._with_prompt(session, [Reply(self._msg("plan_not_ready"))])
            return Outcome(session, effects=frozenset({"plan_document"}))
        if pressed.turn != session.turn:
            if data == session.last_press:
                return Outcome(session, toast=self._msg("already_saved"))
            raise StaleButton
        outcome = self._press(session, action, today)
        return replace(outcome, session=outcome.session.evolve(last_press=data))

    def _press(self, session: Session, action: buttons.Action, today: date) -> Outcome:
        question = self.by_state.get(session.state)
        if isinstance(action, buttons.ConfirmReading):
            if session.pending != "doubt" or session.doubt is None:
                raise StaleButton
            qid, value = session.doubt
            session = session.evolve(pending=None, doubt=None)
            score = type(value) is int and qid in SCORE_QUESTIONS and value < PASS_FROM_JULY_2025
            if score and value < PASS_BEFORE_JULY_2025:  # "yes, that was a failure"
                if not action.yes:
                    session = session.evolve(turn=session.turn + 1)
                    return self._advance(
                        session, today, [Reply(self._msg("reading_rejected"))], changed=False
                    )
                value = "failed" if qid == "ck" else "not_yet"
            elif score:  # before July 2025: a pass; from then: a failure
                value = value if action.yes else ("failed" if qid == "ck" else "not_yet")
            elif not action.yes:
                session = session.evolve(turn=session.turn + 1)
                return self._advance(session, today, [Reply(self._msg("reading_rejected"))], changed=False)
            return self._apply_facts(session, {qid: value}, {}, today)
        if isinstance(action, buttons.ConfirmRestart):  # or its subclass ConfirmDelete
            delete = isinstance(action, buttons.ConfirmDelete)
            if session.pending != ("delete" if delete else "restart"):
                raise StaleButton
            if not action.yes:
                session = session.evolve(pending=None, turn=session.turn + 1)
                return self._with_prompt(session, [Reply(self._msg("kept"))])
            if delete:
                fresh = Session(user_id=session.user_id, turn=session.turn + 1)
                return Outcome(fresh, (Reply(self._msg("erased")),), effects=frozenset({"erase"}))
            session = self._move(
                session.evolve(answers={}), "restart", self.questions[0].state, editing=False
            )
            return self._arrive(session, today, [Reply(self._msg("restarted"))])
        if session.pending:
            raise StaleButton
        if isinstance(action, buttons.Begin) and session.state == NEW:
            return self._start(session, Command("start"), today)
        if isinstance(action, buttons.Continue):
            return Outcome(session, tuple(self.prompt(session)))
        if isinstance(action, buttons.Back):
            return self._go_back(session)
        if isinstance(action, buttons.Skip) and question is not None:
            return self._skip(session, today)
        if isinstance(action, buttons.Answer) and question is not None and question.kind != "multi":
            option = next((o for o in question.options if str(o.value) == action.value), None)
            if option is None:
                raise StaleButton
            return self._answer(session, question, option.value, today)
        if isinstance(action, buttons.Toggle) and question is not None and question.kind == "multi":
            option = next((o for o in question.options if str(o.value) == action.value), None)
            if option is None:
                raise StaleButton
            return self._toggle(session, question, option.value, edit=True)
        if isinstance(action, buttons.Done) and question is not None and question.kind == "multi":
            return self._done(session, question, today)
        if isinstance(action, buttons.Edit) and session.state in (SUMMARY, PLAN):
            target = self.library.question(action.question)
            if target is None or not flow.applies(target, session.answers):
                raise StaleButton
            draft = tuple(session.answers.get(target.id) or ()) if target.kind == "multi" else ()
            session = self._move(session, "edit", target.state, editing=True)
            return Outcome(session.evolve(draft=draft), tuple(self.prompt(session.evolve(draft=draft))))
        if isinstance(action, buttons.ShowPlan) and session.state == SUMMARY:
            session = self._move(session, "show_plan", PLAN)
            return self._arrive(session, today)
        if isinstance(action, buttons.ShowPlan) and session.state == PLAN:  # "Show my updated plan"
            return self._arrive(session.evolve(turn=session.turn + 1), today)
        raise StaleButton

    def _rateable(self, item: str) -> bool:
        if item.startswith("part-"):
            return item.removeprefix("part-") in SECTION_TITLES
        snippet = self.library.snippets.get(item)
        return snippet is not None and snippet.kind == "faq"

    def _toggle(self, session: Session, question: Question, value: Any, *, edit: bool) -> Outcome:
        draft = list(session.draft)
        if value in draft:
            draft.remove(value)
        elif value in question.exclusive:
            draft = [value]
        else:
            draft = [v for v in draft if v not in question.exclusive] + [value]
        order = [o.value for o in question.options]
        session = session.evolve(draft=tuple(sorted(draft, key=order.index)))
        reply = views.question_reply(self.library, session, question)
        return Outcome(session, (Reply(reply.text, reply.choices, edit=edit, kind=reply.kind),))

    def _done(self, session: Session, question: Question, today: date) -> Outcome:
        if not session.draft:
            return self._with_prompt(session, [], toast=self._msg("multi_empty"))
        return self._answer(session, question, list(session.draft), today)
