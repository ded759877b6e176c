"""The digest choice applies to everything unsent from the next plan on; late additions still go
out; the wording of a mail is decided when it is actually sent."""
import collections
import datetime as dt

from advocacy.extensions import db
from advocacy.prisoners.models import KeyDateKind
from advocacy.reminders.delivery import deliver
from advocacy.reminders.models import OutboxMessage, OutboxStatus, ReminderPreference, ReminderStatus, RuleKind
from advocacy.reminders.planner import plan
from advocacy.reminders.wording import when
from tests.conftest import mail_text
from tests.reminders.conftest import outbox, reminders, utc

WINDOW_END = dt.date(2027, 1, 8)  # 45 days after 24 November


def _three_pairings(godparent_pairing, create_pairing, create_prisoner, create_key_date):
    """One godparent, three prisoners, reminders on eight days of the window, two days with two."""
    p1 = godparent_pairing(detained_on=dt.date(2021, 12, 1), birth_date=dt.date(1980, 12, 5))
    parl = p1.parliamentarian
    p2 = create_pairing(parliamentarian=parl, prisoner=create_prisoner(detained_on=dt.date(2022, 12, 1), birth_date=None),
                        started_on=None, created_at=utc(2020, 1, 1))
    create_key_date(p2.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 10))
    create_pairing(parliamentarian=parl, prisoner=create_prisoner(detained_on=None, birth_date=dt.date(1975, 12, 9)),
                   started_on=dt.date(2024, 12, 20), created_at=utc(2020, 1, 1))
    return parl


def _set_digest(parliamentarian_id, on: bool):
    pref = db.session.scalar(db.select(ReminderPreference).where(ReminderPreference.parliamentarian_id == parliamentarian_id))
    if pref is None:
        pref = ReminderPreference(parliamentarian_id=parliamentarian_id, disabled_kinds="")
        db.session.add(pref)
    pref.is_digest = on
    db.session.commit()


def _run_window():
    """Plan at midnight and deliver at 08:05 Berlin time, every day of the window."""
    day = dt.date(2026, 11, 24)
    while day <= WINDOW_END:
        plan(dt.datetime.combine(day, dt.time(0, 30), tzinfo=dt.timezone.utc))
        db.session.commit()
        deliver(dt.datetime.combine(day, dt.time(7, 5), tzinfo=dt.timezone.utc))
        day += dt.timedelta(days=1)


def _arrived_by_day(smtp_server):
    """(outbox message, day it was sent) for each mail that arrived."""
    out = []
    for m in smtp_server.messages:
        msg = db.session.get(OutboxMessage, int(m["message"]["X-Advocacy-Outbox-Id"]))
        out.append((msg, msg.sent_at.date()))
    return out


def test_switching_the_digest_on_sends_one_digest_per_day_and_no_single_mails(
        app, smtp_server, godparent_pairing, create_pairing, create_prisoner, create_key_date):
    parl = _three_pairings(godparent_pairing, create_pairing, create_prisoner, create_key_date)
    plan(utc(2026, 11, 24))
    db.session.commit()
    assert not any(o.is_digest for o in outbox())  # single mails planned for the whole window
    _set_digest(parl.id, True)
    stats = plan(utc(2026, 11, 24, 0, 10))
    db.session.commit()
    assert stats["moved"] == 10 and {o.status for o in outbox(is_digest=False)} == {OutboxStatus.CANCELLED}
    _run_window()

    arrived = _arrived_by_day(smtp_server)
    in_window = [r for r in reminders() if r.send_on <= WINDOW_END]
    days_with_reminders = {r.send_on for r in in_window}
    assert len(days_with_reminders) == 8 and len(in_window) == 10
    assert all(msg.is_digest for msg, _ in arrived), [msg.idempotency_key for msg, _ in arrived]
    per_day = collections.Counter(day for _, day in arrived)
    assert set(per_day) == days_with_reminders and set(per_day.values()) == {1}
    assert {r.status for r in in_window} == {ReminderStatus.SENT}
    assert {o.status for o in outbox(is_digest=False)} == {OutboxStatus.CANCELLED}
    two = [m for m in smtp_server.messages if m["message"]["Subject"] == "2 dates for the prisoners you stand by"]
    assert len(two) == 2  # 1 December (two arrest anniversaries) and 9 December (birthday, trial tomorrow)


def test_switching_the_digest_off_sends_each_reminder_on_its_own(
        app, smtp_server, godparent_pairing, create_pairing, create_prisoner, create_key_date):
    parl = _three_pairings(godparent_pairing, create_pairing, create_prisoner, create_key_date)
    _set_digest(parl.id, True)
    plan(utc(2026, 11, 24))
    db.session.commit()
    assert {o.is_digest for o in outbox()} == {True}
    _set_digest(parl.id, False)
    assert plan(utc(2026, 11, 24, 0, 10))["moved"] == 10
    db.session.commit()
    assert {o.status for o in outbox(is_digest=True)} == {OutboxStatus.CANCELLED}
    _run_window()

    arrived = _arrived_by_day(smtp_server)
    in_window = [r for r in reminders() if r.send_on <= WINDOW_END]
    assert len(arrived) == len(in_window) == 10
    assert not any(msg.is_digest for msg, _ in arrived)
    assert {r.status for r in in_window} == {ReminderStatus.SENT}
    assert {o.status for o in outbox(is_digest=True)} == {OutboxStatus.CANCELLED}


def test_hearing_added_after_the_days_digest_went_out_is_delivered(app, smtp_server, godparent_pairing, create_key_date):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    _set_digest(pairing.parliamentarian_id, True)
    plan(utc(2026, 11, 24))
    db.session.commit()
    assert deliver(utc(2026, 12, 1, 7, 5))["sent"] == 1  # the digest of 1 December
    create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 2))
    plan(utc(2026, 12, 1, 10))  # its day-before reminder belongs to 1 December, whose digest is sent
    db.session.commit()
    late = [r for r in reminders(kind=RuleKind.HEARING) if r.send_on == dt.date(2026, 12, 1)]
    assert len(late) == 1 and late[0].status == ReminderStatus.QUEUED
    assert late[0].outbox_message.status == OutboxStatus.PENDING
    deliver(utc(2026, 12, 1, 10, 5))
    assert len(smtp_server.messages) == 2
    subject = smtp_server.messages[1]["message"]["Subject"]
    assert "trial hearing is tomorrow: 2 December" in subject
    assert not subject.startswith("(Late)")  # added late, not held up: no "service was unavailable" text
    db.session.expire_all()
    assert late[0].status == ReminderStatus.SENT
    first = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.idempotency_key == f"d:{pairing.parliamentarian_id}:2026-12-01"))
    assert first.status == OutboxStatus.SENT and [r.kind for r in first.reminders] == [RuleKind.ARREST_ANNIVERSARY]


def test_single_mail_user_gets_a_hearing_added_on_the_day_too(app, smtp_server, godparent_pairing, create_key_date):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    plan(utc(2026, 11, 24))
    db.session.commit()
    deliver(utc(2026, 12, 1, 7, 5))
    create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 2))
    plan(utc(2026, 12, 1, 10))
    db.session.commit()
    deliver(utc(2026, 12, 1, 10, 5))
    assert [("anniversary" in s or "arrested" in s, "hearing is tomorrow" in s)
            for s in (m["message"]["Subject"] for m in smtp_server.messages)] == [(True, False), (False, True)]


# -- wording at send time --------------------------------------------------------------------------
def test_mail_sent_two_days_late_names_the_date_not_today(app, smtp_server, godparent_pairing):
    godparent_pairing(birth_date=dt.date(1980, 12, 1))
    plan(utc(2026, 11, 24))
    db.session.commit()
    deliver(utc(2026, 12, 3, 6, 30))  # due 1 December 07:00 UTC: 47.5 hours late, inside the grace period
    birthday = [m for m in smtp_server.messages if "birthday" in m["message"]["Subject"]]
    assert len(birthday) == 1
    subject = birthday[0]["message"]["Subject"]
    assert "birthday was on 1 December" in subject and "today" not in subject
    assert "birthday was on 1 December" in mail_text(birthday[0]) and "today" not in mail_text(birthday[0])


def test_mail_sent_on_its_day_keeps_the_relative_word(app, smtp_server, godparent_pairing):
    godparent_pairing(birth_date=dt.date(1980, 12, 1))
    plan(utc(2026, 11, 24))
    db.session.commit()
    deliver(utc(2026, 11, 28, 7, 5))
    deliver(utc(2026, 12, 1, 15))  # 8 hours late, still 1 December in Berlin
    assert [m["message"]["Subject"].removeprefix("(Late) ") for m in smtp_server.messages] == [
        f"{reminders()[0].prisoner.name}'s birthday is in 3 days (1 December)",
        f"{reminders()[0].prisoner.name}'s birthday is today (1 December)"]


def test_relative_words_use_the_recipients_day_at_sending():
    assert when(dt.date(2026, 12, 10), planned_send_on=dt.date(2026, 12, 3), now=utc(2026, 12, 3, 7),
                time_zone="Europe/Berlin").phrase() == "is in 7 days (10 December)"
    # 22:30 UTC on 2 December is already 3 December in Helsinki, still 2 December in Lisbon.
    hel = when(dt.date(2026, 12, 3), planned_send_on=dt.date(2026, 12, 3), now=utc(2026, 12, 2, 22, 30), time_zone="Europe/Helsinki")
    lis = when(dt.date(2026, 12, 3), planned_send_on=dt.date(2026, 12, 2), now=utc(2026, 12, 2, 22, 30), time_zone="Europe/Lisbon")
    assert (hel.relative, lis.relative) == ("today", "tomorrow")


def test_late_wording_names_the_date_in_the_right_tense():
    past = when(dt.date(2026, 12, 1), planned_send_on=dt.date(2026, 12, 1), now=utc(2026, 12, 3, 7), time_zone="Europe/Berlin")
    ahead = when(dt.date(2026, 12, 1), planned_send_on=dt.date(2026, 11, 28), now=utc(2026, 11, 30, 7), time_zone="Europe/Berlin")
    assert past.is_late and past.phrase() == "was on 1 December"
    assert ahead.is_late and ahead.phrase() == "is on 1 December"


def test_a_late_reminder_never_joins_a_digest_a_sender_has_claimed(app, godparent_pairing, create_key_date):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    _set_digest(pairing.parliamentarian_id, True)
    plan(utc(2026, 11, 24))
    db.session.commit()
    digest = outbox(idempotency_key=f"d:{pairing.parliamentarian_id}:2026-12-01")[0]
    digest.status = OutboxStatus.SENDING  # a sender claimed it and is building the mail
    db.session.commit()
    create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 2))
    plan(utc(2026, 12, 1, 7, 1))
    db.session.commit()
    (late,) = [r for r in reminders(kind=RuleKind.HEARING) if r.send_on == dt.date(2026, 12, 1)]
    assert late.outbox_key == f"d:{pairing.parliamentarian_id}:2026-12-01#2"
    assert [r.kind for r in digest.reminders] == [RuleKind.ARREST_ANNIVERSARY]
