import datetime as dt
import socket
import threading


from advocacy.extensions import db
from advocacy.pairings.models import EndReason
from advocacy.pairings.services import end_pairing
from advocacy.prisoners.models import KeyDateKind, PrisonerStatus
from advocacy.reminders.delivery import deliver
from advocacy.reminders.models import OutboxStatus, ReminderPreference, ReminderStatus, RuleKind
from advocacy.reminders.planner import plan
from tests.conftest import mail_text
from tests.reminders.conftest import outbox, reminders, utc


def test_feb29_birthday_in_a_non_leap_year(app, run, smtp_server, godparent_pairing):
    pairing = godparent_pairing(birth_date=dt.date(1988, 2, 29), tz="Europe/Berlin")
    run(utc(2027, 2, 28, 7, 30))  # 08:30 in Berlin on Feb 28, 2027
    birthday = [m for m in smtp_server.messages if "birthday" in m["message"]["Subject"]]
    assert len(birthday) == 1 and "today" in birthday[0]["message"]["Subject"]
    assert [r.occurs_on for r in reminders(kind=RuleKind.BIRTHDAY, status=ReminderStatus.SENT)
            if r.send_on == r.occurs_on] == [dt.date(2027, 2, 28)]


def test_feb29_policy_mar1(app, run, smtp_server, godparent_pairing):
    app.config["FEB29_POLICY"] = "mar1"
    godparent_pairing(birth_date=dt.date(1988, 2, 29))
    plan(utc(2027, 2, 20))
    db.session.commit()
    assert {r.occurs_on for r in reminders(kind=RuleKind.BIRTHDAY)} == {dt.date(2027, 3, 1)}


def test_birth_year_only_plans_no_birthday(run, godparent_pairing):
    godparent_pairing(birth_date=None, birth_year=1975)
    run(utc(2026, 11, 24), deliver_too=False)
    assert reminders(kind=RuleKind.BIRTHDAY) == []


def test_helsinki_and_lisbon_get_mail_at_eight_local_on_dst_day(app, smtp_server, godparent_pairing):
    hel = godparent_pairing(tz="Europe/Helsinki", detained_on=dt.date(2021, 3, 29))
    lis = godparent_pairing(tz="Europe/Lisbon", detained_on=dt.date(2022, 3, 29))
    plan(utc(2026, 3, 20))
    db.session.commit()
    ann = {r.parliamentarian_id: r.due_at for r in reminders(kind=RuleKind.ARREST_ANNIVERSARY)}
    assert ann[hel.parliamentarian_id] == utc(2026, 3, 29, 5)  # 08:00 EEST
    assert ann[lis.parliamentarian_id] == utc(2026, 3, 29, 7)  # 08:00 WEST
    assert deliver(utc(2026, 3, 29, 4, 59))["sent"] == 0
    assert deliver(utc(2026, 3, 29, 5, 0))["sent"] == 1
    assert deliver(utc(2026, 3, 29, 6, 59))["sent"] == 0
    assert deliver(utc(2026, 3, 29, 7, 0))["sent"] == 1
    assert len(smtp_server.messages) == 2


def test_trial_moved_from_10th_to_3rd(app, run, smtp_server, godparent_pairing, create_key_date):
    pairing = godparent_pairing()
    trial = create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 10), place="Minsk City Court")
    run(utc(2026, 11, 24), deliver_too=False)
    assert {r.send_on for r in reminders(kind=RuleKind.HEARING)} == {dt.date(2026, 12, 3), dt.date(2026, 12, 9)}
    trial.occurs_on = dt.date(2026, 12, 3)
    db.session.commit()
    run(utc(2026, 11, 25), deliver_too=False)
    old = [r for r in reminders(kind=RuleKind.HEARING) if r.occurs_on == dt.date(2026, 12, 10)]
    new = [r for r in reminders(kind=RuleKind.HEARING) if r.occurs_on == dt.date(2026, 12, 3)]
    assert {r.status for r in old} == {ReminderStatus.CANCELLED}
    assert "moved" in old[0].status_reason
    assert {r.send_on for r in new} == {dt.date(2026, 11, 26), dt.date(2026, 12, 2)}
    run(utc(2026, 12, 2, 7, 5))
    subjects = [m["message"]["Subject"] for m in smtp_server.messages]
    assert any("trial hearing is tomorrow: 3 December" in s for s in subjects), subjects
    text = mail_text(smtp_server.messages[-1])
    assert "Minsk City Court" in text and "statement" in text
    assert all(o.status == OutboxStatus.CANCELLED for o in outbox() if o.due_at.date() in (dt.date(2026, 12, 3), dt.date(2026, 12, 9)))


def test_pairing_ended_the_day_before_gets_nothing(app, run, smtp_server, godparent_pairing):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    run(utc(2026, 11, 24), deliver_too=False)
    assert reminders(kind=RuleKind.ARREST_ANNIVERSARY)
    end_pairing(pairing, reason=EndReason.WITHDREW, on=dt.date(2026, 11, 30))
    db.session.commit()
    run(utc(2026, 12, 1, 7, 5))
    assert smtp_server.messages == []
    assert {r.status for r in reminders()} == {ReminderStatus.CANCELLED}


def test_released_prisoner_gets_nothing_more(run, smtp_server, godparent_pairing):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    run(utc(2026, 11, 24), deliver_too=False)
    pairing.prisoner.status = PrisonerStatus.RELEASED
    db.session.commit()
    run(utc(2026, 12, 1, 9))
    assert smtp_server.messages == []


def test_planner_twice_creates_nothing_new(run, godparent_pairing, create_key_date):
    p = godparent_pairing(birth_date=dt.date(1980, 12, 5), detained_on=dt.date(2021, 12, 20))
    create_key_date(p.prisoner, occurs_on=dt.date(2026, 12, 15))
    first = run(utc(2026, 11, 24), deliver_too=False)
    second = run(utc(2026, 11, 24, 0, 10), deliver_too=False)
    assert first["created"] > 0 and second["created"] == 0
    assert len(reminders()) == first["created"]


def test_downtime_of_three_days_sends_recent_once_late_and_skips_older(app, run, smtp_server, godparent_pairing):
    app.config["REMINDER_GRACE_HOURS"] = 48
    a = godparent_pairing(detained_on=dt.date(2021, 11, 21))  # anniversary due Nov 21 07:00 UTC: 3+ days before restart
    b = godparent_pairing(detained_on=dt.date(2021, 11, 23))  # due Nov 23 07:00 UTC: within 48 h
    run(utc(2026, 11, 20), deliver_too=False)  # planned, then the scheduler is down until Nov 24 08:00
    stats = run(utc(2026, 11, 24, 8))
    assert stats["sent"] == 1 and stats["skipped"] == 1
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["message"]["Subject"].startswith("(Late)")
    assert run(utc(2026, 11, 24, 9))["sent"] == 0  # once
    skipped = reminders(pairing_id=a.id, kind=RuleKind.ARREST_ANNIVERSARY)
    assert skipped[0].status == ReminderStatus.SKIPPED
    assert reminders(pairing_id=b.id, kind=RuleKind.ARREST_ANNIVERSARY)[0].status == ReminderStatus.SENT


def test_downtime_without_any_planning_records_old_misses_as_skipped(run, smtp_server, godparent_pairing):
    godparent_pairing(detained_on=dt.date(2021, 11, 19))
    run(utc(2026, 11, 24, 8))
    assert smtp_server.messages == []
    assert [r.status for r in reminders(kind=RuleKind.ARREST_ANNIVERSARY)] == [ReminderStatus.SKIPPED]


def test_smtp_failure_retries_with_the_same_message_id(app, run, smtp_server, godparent_pairing):
    godparent_pairing(detained_on=dt.date(2021, 12, 1))
    smtp_server.fail_next = 2
    now = utc(2026, 12, 1, 7, 5)
    assert run(now)["retry"] == 1
    msg = outbox()[0]
    first_id = msg.message_id
    assert msg.status == OutboxStatus.PENDING and msg.attempts == 1 and "451" in msg.last_error
    deliver(now + dt.timedelta(minutes=3))
    deliver(now + dt.timedelta(minutes=10))
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["message"]["Message-ID"] == first_id
    db.session.refresh(msg)
    assert msg.status == OutboxStatus.SENT and msg.attempts == 2


def test_permanent_refusal_fails_at_once_and_shows_on_the_reminders(app, client, login_as, run, smtp_server, godparent_pairing):
    p = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    smtp_server.reject.add(p.parliamentarian.email)
    now = utc(2026, 12, 1, 7, 5)
    run(now)
    msg = outbox()[0]
    assert msg.status == OutboxStatus.FAILED and msg.attempts == 1 and "550" in msg.last_error
    assert [r.status for r in msg.reminders] == [ReminderStatus.FAILED]
    assert "550" in msg.reminders[0].status_reason
    login_as("staff")
    page = client.get("/reminders/outbox?status=failed")
    assert b"Recipient refused" in page.data
    smtp_server.reject.clear()
    assert client.post(f"/reminders/outbox/{msg.id}/retry").status_code == 302
    deliver(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1))
    db.session.refresh(msg)
    assert msg.status == OutboxStatus.SENT and len(smtp_server.messages) == 1
    assert [r.status for r in msg.reminders] == [ReminderStatus.SENT]


def test_temporary_refusal_backs_off_until_max_attempts(app, run, smtp_server, godparent_pairing):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    p = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    smtp_server.defer.add(p.parliamentarian.email)
    now = utc(2026, 12, 1, 7, 5)
    run(now)
    msg = outbox()[0]
    assert msg.status == OutboxStatus.PENDING and msg.attempts == 1 and "450" in msg.last_error
    for hours in (1, 2, 3, 4):
        deliver(now + dt.timedelta(hours=hours))
    db.session.refresh(msg)
    assert msg.status == OutboxStatus.FAILED and msg.attempts == 3 and "gave up after 3 attempts" in msg.last_error


def test_bad_address_is_a_clear_error_not_a_crash(run, smtp_server, godparent_pairing):
    good = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    bad = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    bad.parliamentarian.email = "not an address@@example"
    db.session.commit()
    stats = run(utc(2026, 12, 1, 7, 5))
    assert stats["sent"] == 1 and stats["failed"] == 1
    failed = outbox(status=OutboxStatus.FAILED)[0]
    assert failed.parliamentarian_id == bad.parliamentarian_id and "not valid" in failed.last_error


def test_hung_smtp_server_does_not_hang_the_sender(app, run, godparent_pairing):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_PORT=port, MAIL_TIMEOUT=1.0)
    app.extensions["mail"].port = port
    try:
        godparent_pairing(detained_on=dt.date(2021, 12, 1))
        started = dt.datetime.now()
        stats = run(utc(2026, 12, 1, 7, 5))
        assert (dt.datetime.now() - started).total_seconds() < 10
        # The relay never answered: the message goes back untried (no attempt counted) with
        # the reason shown, and the run stops instead of trying every message against it.
        msg = outbox()[0]
        assert stats["released"] == 1 and msg.status == OutboxStatus.PENDING and msg.attempts == 0
        assert "Cannot connect" in msg.last_error
        assert "timed out" in outbox()[0].last_error.lower() or "timeout" in outbox()[0].last_error.lower()
    finally:
        app.extensions["mail"].port = app.config["MAIL_PORT"] = 1
        listener.close()


def test_mail_has_one_click_unsubscribe_that_works_without_login(client, run, smtp_server, godparent_pairing):
    p = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    run(utc(2026, 12, 1, 7, 5))
    msg = smtp_server.messages[0]["message"]
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = msg["List-Unsubscribe"].strip("<>")
    path = url.replace("http://localhost", "")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200  # RFC 8058: a bare POST, no CSRF token, no login
    pref = db.session.scalar(db.select(ReminderPreference).where(ReminderPreference.parliamentarian_id == p.parliamentarian_id))
    assert pref.is_unsubscribed
    assert client.post(path[:-3] + "xyz").status_code == 404


def test_unsubscribed_and_disabled_kinds_get_nothing(run, smtp_server, godparent_pairing):
    a = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    b = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    db.session.add(ReminderPreference(parliamentarian_id=a.parliamentarian_id, is_unsubscribed=True, disabled_kinds=""))
    db.session.add(ReminderPreference(parliamentarian_id=b.parliamentarian_id, disabled_kinds="arrest_anniversary"))
    db.session.commit()
    run(utc(2026, 12, 1, 7, 5))
    assert smtp_server.messages == []


def test_digest_groups_a_days_reminders_in_one_mail(run, smtp_server, godparent_pairing, create_pairing, create_prisoner):
    p = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    create_pairing(parliamentarian=p.parliamentarian, prisoner=create_prisoner(detained_on=dt.date(2022, 12, 1),
                   birth_date=None), started_on=None, created_at=utc(2020, 1, 1))
    db.session.add(ReminderPreference(parliamentarian_id=p.parliamentarian_id, is_digest=True, disabled_kinds=""))
    db.session.commit()
    run(utc(2026, 12, 1, 7, 5))
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["message"]["Subject"] == "2 dates for the prisoners you stand by"


def test_incommunicado_mail_suggests_appeal_instead_of_letters(run, smtp_server, godparent_pairing):
    godparent_pairing(detained_on=dt.date(2021, 12, 1), incommunicado_since=dt.date(2023, 1, 1))
    run(utc(2026, 12, 1, 7, 5))
    text = mail_text(smtp_server.messages[0])
    assert "unlikely to reach them" in text and "appeal to the" in text


def test_staff_pages_and_roles(client, login_as, run, godparent_pairing):
    godparent_pairing(detained_on=dt.date(2021, 12, 1))
    run(utc(2026, 11, 24), deliver_too=False)
    login_as("parliamentarian")
    for url in ("/reminders/", "/reminders/outbox", "/reminders/rules", "/reminders/outbox/1"):
        assert client.get(url).status_code == 403
    assert client.get("/reminders/preferences").status_code == 200
    client.post("/auth/logout")
    login_as("staff")
    assert client.get("/reminders/outbox").status_code == 200
    msg = outbox()[0]
    preview = client.get(f"/reminders/outbox/{msg.id}")
    assert preview.status_code == 200 and b"What you can do" in preview.data
    assert client.get(f"/reminders/outbox/{msg.id}?html=1").headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get("/reminders/rules").status_code == 200


def test_rule_edit_validates_offsets(client, login_as):
    login_as("staff")
    client.get("/reminders/rules")
    from advocacy.reminders.models import ReminderRule
    rule = db.session.scalar(db.select(ReminderRule).where(ReminderRule.kind == RuleKind.HEARING, ReminderRule.offset_days == -7))
    assert client.post(f"/reminders/rules/{rule.id}/edit", data={"offset_days": "-500", "is_active": "y"}).status_code == 400
    assert client.post(f"/reminders/rules/{rule.id}/edit", data={"offset_days": "-1", "is_active": "y"}).status_code == 400
    assert client.post(f"/reminders/rules/{rule.id}/edit", data={"offset_days": "-10", "is_active": "y"}).status_code == 302
    db.session.refresh(rule)
    assert rule.offset_days == -10


def test_preferences_page_saves(client, login_as):
    me = login_as("parliamentarian")
    resp = client.post("/reminders/preferences", data={"kinds": ["hearing", "birthday"], "is_digest": "y"})
    assert resp.status_code == 302
    pref = db.session.scalar(db.select(ReminderPreference))
    disabled = pref.disabled_kinds.split(",")
    assert pref.is_digest and "arrest_anniversary" in disabled and "hearing" not in disabled and "birthday" not in disabled


def test_cli_preview_writes_nothing(runner, godparent_pairing):
    godparent_pairing(detained_on=dt.date(2021, 12, 1))
    result = runner.invoke(args=["reminders", "preview", "--now", "2026-12-01T08:00"])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) due on 2026-12-01" in result.output and "arrest" in result.output.lower()
    assert reminders() == []
    bad = runner.invoke(args=["reminders", "preview", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "ISO" in bad.output
