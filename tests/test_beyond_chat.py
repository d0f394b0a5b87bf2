"""Beyond a chat: dated timeline, reminders, the plan as PDF and picture, ratings, operator stats."""

import io
from datetime import date

from PIL import Image

from bot.documents import plan_pdf
from bot.reminders import Reminders
from bot.standing_image import BAR_TOP, standing_png
from bot.standing_image import _x as band_x
from bot.standing_image import bands as standing_bands
from dialogs.events import Button, Command
from dialogs.profile import CK_BANDS, ck_band
from dialogs.reminders import reminder_phases
from dialogs.session import Session
from tests.conftest import TODAY, start_bot, stop_bot, until
from tests.test_plan import SAMPLE

DONE = {**SAMPLE, "goals": ["unsure"]}  # the guide's sample profile, complete
OPERATOR, USER = 1, 2


class Clock:
    """A settable 'today', so tests move time without sleeping."""

    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


def test_timeline_is_dated_from_the_season_and_marks_past_steps(engine):
    outcome = engine.handle(Session(1, "reading_plan", DONE), Command("timeline"), TODAY)
    text = outcome.replies[0].text
    assert "season that opens Jun 2028" in text
    this_season = engine.handle(
        Session(1, "reading_plan", {**DONE, "timing": "this_season"}), Command("timeline"), TODAY
    )
    assert "already past" in this_season.replies[0].text or "you are here" in this_season.replies[0].text


def test_timeline_needs_the_timing_answer(engine):
    outcome = engine.handle(Session(1, "asking_visa"), Command("timeline"), TODAY)
    assert "when you plan to apply" in outcome.replies[0].text


async def test_reminders_are_sent_once_survive_restart_and_stop_for_blocked_or_deleted(
    fake_api, tmp_path, engine
):
    db = tmp_path / "r.db"
    clock = Clock(TODAY)
    running = await start_bot(fake_api, db, engine)
    try:
        for user in (USER, 3, 4):
            running.store.save(Session(user, "reading_plan", DONE, turn=1), chat_id=user)
        await running.say(USER, "/remind on")
        await running.say(3, "/remind on")
        await running.say(4, "/remind on")
        jobs = [job.name for job in running.application.job_queue.jobs()]
        assert "reminders" in jobs
        rows = running.store.db.execute(
            "select count(*) from reminders where user_id = ?", [USER]
        ).fetchone()[0]
        assert rows >= 3
        reminders = Reminders(engine, running.store, clock)
        assert await reminders.send_due(running.application.bot) == 0, "nothing is due yet"
        fake_api.blocked_chats.add(3)
        await running.say(4, "/delete")
        await running.tap(4, "Yes, erase")
        clock.today = date(2027, 2, 1)  # the 12-18 months phase for a June 2028 season has begun
        sent = await reminders.send_due(running.application.bot)
        assert sent == 1
        assert fake_api.texts(USER)[-1].startswith("<b>Reminder:")
        assert "Line up 2-3 US rotations" in fake_api.texts(USER)[-1], "the user's own steps for the phase"
        assert await reminders.send_due(running.application.bot) == 0, "never sent twice"
    finally:
        await stop_bot(running)
    restarted = await start_bot(fake_api, db, engine)
    try:
        clock.today = date(2027, 8, 1)  # the 9-12 months phase (Jun-Sep 2027) has begun
        reminders = Reminders(engine, restarted.store, clock)
        assert await reminders.send_due(restarted.application.bot) == 1
        assert all(int(p["chat_id"]) == USER for p in fake_api.sent() if p["text"].startswith("<b>Reminder:"))
        assert fake_api.texts(4)[-1].startswith("Done. Everything stored about you has been erased")
    finally:
        await stop_bot(restarted)


def test_remind_off_clears_unsent_reminders(engine, store):
    reminders = Reminders(engine, store, lambda: TODAY)
    on = engine.handle(Session(USER, "reading_plan", DONE), Command("remind", ("on",)), TODAY).session
    assert reminders.reschedule(on) >= 3
    off = engine.handle(on, Command("remind", ("off",)), TODAY).session
    assert reminders.reschedule(off) == 0
    assert store.db.execute("select count(*) from reminders").fetchone()[0] == 0


def test_reminders_are_only_for_upcoming_dated_phases_of_opted_in_users(library):
    opted_in = Session(USER, "reading_plan", DONE, reminders=True)
    phases = reminder_phases(library, opted_in, TODAY, 6)
    assert phases and all(m.start > TODAY for m in phases)
    assert not any(m.label.startswith("If you don't match") for m in phases), "advice, not a dated step"
    assert reminder_phases(library, opted_in.evolve(reminders=False), TODAY, 6) == []
    no_timing = {k: v for k, v in DONE.items() if k != "timing"}
    assert reminder_phases(library, opted_in.evolve(answers=no_timing), TODAY, 6) == []


def test_standing_picture_draws_the_profiles_ck_bands(library):
    drawn = standing_bands()
    assert [b.name for b in drawn] == ["high_risk", *(band for _, band in reversed(CK_BANDS))]
    for band in drawn:
        assert ck_band({"ck": band.lowest}) == ck_band({"ck": band.highest}) == band.name


def test_plan_pdf_is_valid_and_has_every_section(library):
    pdf = plan_pdf(library, DONE, TODAY, 6, compress=False)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    for title in (b"Your answers", b"Your CK of 225", b"Programs", b"Red flags", b"Where this comes from"):
        assert title in pdf, title
    assert len(plan_pdf(library, DONE, TODAY, 6)) > 1000


def test_standing_picture_marks_the_score():
    image = Image.open(io.BytesIO(standing_png(225)))
    assert image.size == (900, 320) and image.format == "PNG"
    assert image.getpixel((band_x(225), BAR_TOP + 20)) == (20, 20, 20), "marker line at 225"
    assert image.getpixel((band_x(250), BAR_TOP + 20)) == (111, 176, 84), "the strong band is green"
    failed = Image.open(io.BytesIO(standing_png("failed", 218)))
    assert failed.getpixel((band_x(210), BAR_TOP + 20)) == (20, 20, 20)


def test_ratings_are_stored_without_text_and_deleted_with_the_user(engine, store):
    outcome = engine.handle(Session(USER, "reading_plan", DONE), Button("rate:step3:1"), TODAY)
    assert outcome.rating == ("step3", True) and outcome.toast
    store.record_rating(USER, *outcome.rating)
    row = store.db.execute("select * from ratings").fetchone()
    assert str(USER) not in map(str, row) and "step3" in row
    store.erase(USER)
    assert store.db.execute("select count(*) from ratings").fetchone()[0] == 0


def test_forged_rating_is_refused(engine):
    outcome = engine.handle(Session(USER, "reading_plan", DONE), Button("rate:not-a-snippet:1"), TODAY)
    assert outcome.rating is None and "earlier message" in outcome.replies[0].text


async def test_plan_on_telegram_sends_picture_and_pdf_and_operator_stats(fake_api, tmp_path, engine):
    from bot.app import build_application
    from bot.settings import Settings
    from bot.store import Store

    settings = Settings(
        bot_token="1:T",
        api_base_url=fake_api.base_url,
        db_path=tmp_path / "s.db",
        operator_ids=frozenset({OPERATOR}),
    )
    store = Store(settings.db_path)
    application = build_application(settings, engine, store, clock=lambda: TODAY)
    from tests.conftest import RunningBot

    await application.initialize()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    bot = RunningBot(fake_api, application, store)
    try:
        store.save(Session(USER, "reviewing_summary", DONE, turn=3), chat_id=USER)
        await bot.press(USER, "plan:3", expect=1)
        await until(lambda: fake_api.sent(USER, method="sendPhoto"))  # the standing picture follows the plan
        await bot.press(USER, "doc:plan", expect=0)
        await until(lambda: fake_api.sent(USER, method="sendDocument"))
        document = fake_api.sent(USER, method="sendDocument")[0]["document"]
        assert document.startswith(b"%PDF-")
        await bot.say(USER, "what is the capital of peru", expect=1)
        await bot.press(USER, "rate:step3:0", expect=0)
        texts = await bot.say(OPERATOR, "/stats")
        assert "Users who started: 1" in texts[0] and "capital of peru" in texts[0]
        assert "step3: 0 / 1" in texts[0]
        denied = await bot.say(USER, "/stats")
        assert "don't know that command" in denied[0]
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        store.close()
