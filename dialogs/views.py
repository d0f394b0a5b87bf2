"""Build the replies that show a question, the summary, stored answers and FAQ answers."""

from typing import Any

from content.model import Library, Question, Snippet
from dialogs import buttons, doubt, rules
from dialogs.replies import Choice, Reply
from dialogs.session import Session

FAQ_PAGE_SIZE = 8
SELECTED = "✅ "


def answer_label(question: Question, value: Any) -> str:
    """Return how an answer reads back to the user."""
    if isinstance(value, list | tuple):
        labels = [answer_label(question, v) for v in value]
        # An empty list is a skipped question, which is not the same as the option "None of these".
        return ", ".join(labels) if labels else "skipped"
    option = question.option(value)
    if option is not None:
        return option.reads or option.label
    if question.id == "ck_retake":
        return f"Passed, {value}"
    if question.kind == "number":
        return f"{value} weeks"
    return str(value)


def _option_rows(question: Question, session: Session) -> list[tuple[Choice, ...]]:
    turn = session.turn
    if question.kind == "multi":
        choices = [
            Choice(
                (SELECTED if o.value in session.draft else "") + o.label,
                buttons.Toggle(str(o.value)).encode(turn),
            )
            for o in question.options
        ]
        return [(b,) for b in choices]
    choices = [Choice(o.label, buttons.Answer(str(o.value)).encode(turn)) for o in question.options]
    if all(len(b.label) <= 12 for b in choices):
        return [tuple(choices[i : i + 3]) for i in range(0, len(choices), 3)]
    return [(b,) for b in choices]


def question_reply(
    library: Library, session: Session, question: Question, *, back: bool, skip: bool
) -> Reply:
    """Return the prompt for *question* with its buttons; *back* and *skip*: the machine allows them."""
    total = max(q.step for q in library.questions)
    lines = [f"_{library.message('progress', step=question.step, total=total)}_", f"**{question.prompt}**"]
    if question.hint:
        lines.append(question.hint)
    if question.id in session.answers:
        current = answer_label(question, session.answers[question.id])
        lines.append(library.message("current_answer", answer=current))
    rows = _option_rows(question, session)
    turn = session.turn
    if question.kind == "multi":
        rows.append((Choice(library.message("done_button"), buttons.Done().encode(turn)),))
    nav = []
    if back:
        nav.append(Choice(library.message("back_button"), buttons.Back().encode(turn)))
    if skip:
        nav.append(Choice(library.message("skip_button"), buttons.Skip().encode(turn)))
    if nav:
        rows.append(tuple(nav))
    return Reply("\n".join(lines), tuple(rows), kind="question")


def answers_lines(library: Library, answers: dict[str, Any]) -> list[str]:
    """Return one "Question: answer" line per question that applies."""
    lines = []
    for question in library.questions:
        if not rules.applies(question, answers):
            continue
        value = answers.get(question.id)
        shown = library.message("summary_missing") if value is None else answer_label(question, value)
        lines.append(f"- {question.short}: **{shown}**")
    return lines


def summary_reply(library: Library, session: Session, title_key: str = "summary_title") -> Reply:
    """Return the summary of all answers with a button to edit each and one to show the plan."""
    text = "\n".join(
        [
            library.message(title_key),
            *answers_lines(library, session.answers),
            "",
            library.message("summary_edit_hint"),
        ]
    )
    turn = session.turn
    rows: list[tuple[Choice, ...]] = [
        (Choice(library.message("plan_button"), buttons.ShowPlan().encode(turn)),)
    ]
    edits = [
        Choice(f"{library.message('edit_prefix')} {q.short}", buttons.Edit(q.id).encode(turn))
        for q in library.questions
        if rules.applies(q, session.answers)
    ]
    rows += [tuple(edits[i : i + 2]) for i in range(0, len(edits), 2)]
    return Reply(text, tuple(rows), kind="summary")


def plan_button(library: Library, session: Session) -> Choice:
    """Return the button that shows the plan (from the summary, or again at the plan)."""
    return Choice(library.message("plan_button"), buttons.ShowPlan().encode(session.turn))


def plan_ready_reply(library: Library, session: Session) -> Reply:
    """Return the short way back to the plan shown after small talk or an answer at the plan."""
    return Reply(library.message("plan_ready"), ((plan_button(library, session),),), kind="plan_ready")


def rating_row(library: Library, item: str) -> tuple[Choice, ...]:
    """Return the helpful / not helpful buttons for *item* (a snippet id or a plan part)."""
    return (
        Choice(library.message("rate_helpful"), buttons.Rating(item, True).encode()),
        Choice(library.message("rate_unhelpful"), buttons.Rating(item, False).encode()),
    )


def faq_reply(library: Library, snippet: Snippet, also: tuple[str, ...] = ()) -> Reply:
    """Return an FAQ answer with its related topics and rating as buttons; the topics of the other
    questions the same message asked (*also*) come first, named in the text."""
    asked = [library.snippets[i] for i in also if i != snippet.id]
    related = [library.snippets[i] for i in snippet.see_also if library.snippets[i].kind == "faq"]
    topics = [*asked, *(s for s in related if s not in asked)][: max(4, len(asked))]
    rows = tuple((Choice(s.title, buttons.Topic(s.id).encode()),) for s in topics)
    text = f"**{snippet.title}**\n\n{snippet.body}"
    if asked:
        titles = ", ".join(f"**{s.title}**" for s in asked)
        text += f"\n\n{library.message('faq_also_asked', titles=titles)}"
    elif rows:
        text += f"\n\n{library.message('faq_related')}"
    return Reply(text, (*rows, rating_row(library, snippet.id)), kind="faq", snippet_ids=(snippet.id,))


def faq_list_reply(library: Library, page: int) -> Reply:
    """Return one page of the FAQ topic list as buttons."""
    faqs = library.faqs
    pages = max(1, -(-len(faqs) // FAQ_PAGE_SIZE))
    page = min(max(page, 1), pages)
    chunk = faqs[(page - 1) * FAQ_PAGE_SIZE : page * FAQ_PAGE_SIZE]
    rows: list[tuple[Choice, ...]] = [(Choice(s.title, buttons.Topic(s.id).encode()),) for s in chunk]
    nav = []
    if page > 1:
        nav.append(Choice(library.message("pages_prev"), buttons.Page(page - 1).encode()))
    if page < pages:
        nav.append(Choice(library.message("pages_next"), buttons.Page(page + 1).encode()))
    if nav:
        rows.append(tuple(nav))
    return Reply(library.message("faq_intro", page=page, pages=pages), tuple(rows), kind="faq_list")


def not_started_reply(library: Library, session: Session) -> Reply:
    """Return the invitation to start, for a user who has not begun."""
    return Reply(library.message("not_started"), ((Choice("Start", buttons.Begin().encode(session.turn)),),))


def confirm_reply(library: Library, session: Session) -> Reply:
    """Return the yes / no question of the confirmation *session* is waiting for."""
    turn = session.turn
    if session.pending == "doubt" and session.doubt is not None:
        qid, value = session.doubt
        kind = doubt.question_kind(qid, value)
        yes_key, no_key, when = "confirm_reading_yes", "confirm_reading_no", {}
        if kind == doubt.PASS_DATE:
            day, passed_before, passes_from = doubt.rise_for(value)
            yes_key, no_key = "ck_pass_date_yes", "ck_pass_date_no"
            when = {"day": doubt.long_date(day), "month": f"{day:%B %Y}"}
        row = (
            Choice(library.message(yes_key, **when), buttons.ConfirmReading(True).encode(turn)),
            Choice(library.message(no_key, **when), buttons.ConfirmReading(False).encode(turn)),
        )
        if kind == doubt.PASS_DATE:
            text = library.message("ck_pass_date", score=value, old=passed_before, new=passes_from, **when)
            return Reply(text, (row,))
        if kind == doubt.BELOW_PASS:
            return Reply(library.message("ck_below_pass", score=value), (row,))
        question = library.question(qid)
        if question is None:  # Engine._repair drops a doubt about a question this version lacks
            raise ValueError(f"doubt about unknown question {qid!r}")
        new = answer_label(question, value)
        if qid in session.answers and session.answers[qid] != value:
            old = answer_label(question, session.answers[qid])
            text = library.message("confirm_change", question=question.short, old=old, new=new)
            return Reply(text, (row,))
        return Reply(library.message("confirm_reading", reading=f"{question.short}: {new}"), (row,))
    key, action = (
        ("confirm_restart", buttons.ConfirmRestart)
        if session.pending == "restart"
        else ("confirm_delete", buttons.ConfirmDelete)
    )
    yes = Choice(library.message(f"{key}_yes"), action(True).encode(turn))
    no = Choice(library.message("confirm_no"), action(False).encode(turn))
    return Reply(library.message(key), ((yes, no),))


def updated_plan_button(library: Library, session: Session) -> Choice:
    """Return the button that shows the plan again after typed answers changed it."""
    return Choice(library.message("plan_updated_button"), buttons.ShowPlan().encode(session.turn))
