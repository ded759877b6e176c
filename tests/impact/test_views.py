import datetime as dt

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.impact import services
from advocacy.reminders.models import OutboxMessage, Reminder, ReminderStatus, RuleKind


def _refresh():
    services.refresh(dt.date.today(), utcnow())
    db.session.commit()


def test_figures_are_a_snapshot_until_recomputed(client, login_as, create_pairing, create_statement):
    pairing = create_pairing()
    this_month = dt.date.today().replace(day=1)
    create_statement(pairing=pairing, made_on=this_month)
    login_as("staff")
    assert b"Figures not computed yet" in client.get("/impact/").data
    _refresh()
    page = client.get("/impact/").data.decode()
    assert "Figures as of" in page and "Recompute now" in page
    assert client.get("/impact/statements.csv").data.decode("utf-8-sig").splitlines()[-1].endswith(",1")
    create_statement(pairing=pairing, made_on=this_month)
    # the page and its CSV keep the snapshot's figure (kept per snapshot) until a recomputation
    assert client.get("/impact/statements.csv").data.decode("utf-8-sig").splitlines()[-1].endswith(",1")
    resp = client.post("/impact/refresh", data={"next": "impact.coverage"})
    assert resp.status_code == 302 and resp.location.split("?")[0].endswith("/impact/coverage")
    assert client.get("/impact/statements.csv").data.decode("utf-8-sig").splitlines()[-1].endswith(",2")


def test_impact_pages_render_for_staff_only(client, login_as, create_statement):
    create_statement(made_on=dt.date.today() - dt.timedelta(days=3))
    for path in ("/impact/", "/impact/godparents", "/impact/prisoners", "/impact/coverage"):
        assert client.get(path).status_code == 302  # to the login page
    login_as("staff")
    for path in ("/impact/", "/impact/godparents", "/impact/prisoners", "/impact/coverage"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert b"<svg" in resp.data or path in ("/impact/godparents", "/impact/prisoners")
        assert b' style="' not in resp.data  # the CSP forbids inline styles


def test_bad_filters_give_a_clear_message_not_a_500(client, login_as):
    login_as("staff")
    resp = client.get("/impact/?from=last-year&to=2026-13")
    assert resp.status_code == 200
    assert b"must be a month written YYYY-MM" in resp.data
    assert client.get("/impact/statements.csv?from=nope").status_code == 400
    assert client.get("/impact/nothing.csv").status_code == 404


def test_every_table_downloads_as_csv(client, login_as, create_statement):
    from advocacy.impact.services import TABLES

    create_statement(made_on=dt.date.today() - dt.timedelta(days=3), title="=HYPERLINK(1)")
    login_as("staff")
    for name in TABLES:
        resp = client.get(f"/impact/{name}.csv")
        assert resp.status_code == 200, name
        assert resp.mimetype == "text/csv"
        assert resp.data.decode("utf-8-sig").splitlines()[0]


def test_statements_per_month_counts_by_kind(client, login_as, create_statement, create_pairing):
    from advocacy.statements.models import StatementKind

    pairing = create_pairing()
    today = dt.date.today()
    this_month = today.replace(day=1)
    create_statement(pairing=pairing, made_on=this_month, kind=StatementKind.SPEECH)
    create_statement(pairing=pairing, made_on=this_month, kind=StatementKind.SPEECH)
    create_statement(pairing=pairing, made_on=this_month, kind=StatementKind.MEDIA)
    create_statement(pairing=pairing, made_on=this_month.replace(year=this_month.year - 3))  # outside the period
    _refresh()
    login_as("staff")
    lines = client.get("/impact/statements.csv").data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Month,Speech,Media interview / article,Total"
    assert lines[-1] == f"{this_month:%Y-%m},2,1,3"
    other = client.get(f"/impact/statements.csv?country=FR&to={this_month:%Y-%m}").data.decode("utf-8-sig").splitlines()
    assert other[0] == "Month,Total" and other[-1] == f"{this_month:%Y-%m},0"
    german = client.get("/impact/statements.csv?country=DE").data.decode("utf-8-sig").splitlines()
    assert german[-1] == f"{this_month:%Y-%m},2,1,3"


def test_silent_godparent_gets_a_one_click_reminder_through_the_outbox(client, login_as, create_pairing,
                                                                       create_statement, create_parliamentarian):
    quiet = create_parliamentarian(full_name="Quiet Member")
    pairing = create_pairing(parliamentarian=quiet)
    create_statement(pairing=pairing, made_on=dt.date.today() - dt.timedelta(days=120))
    talker = create_pairing()
    create_statement(pairing=talker, made_on=dt.date.today() - dt.timedelta(days=2))
    _refresh()
    login_as("staff")
    page = client.get("/impact/godparents").data.decode()
    silent90 = page.split("Silent for 90 days")[1].split("Silent for 180 days")[0]
    assert "Quiet Member" in silent90 and talker.parliamentarian.full_name not in silent90
    assert "Quiet Member" not in page.split("Silent for 180 days")[1]
    resp = client.post(f"/impact/godparents/{quiet.id}/remind", follow_redirects=True)
    assert b"queued in the outbox" in resp.data
    msg = db.session.scalar(db.select(OutboxMessage))
    assert msg.parliamentarian_id == quiet.id and msg.recipient == quiet.email
    (reminder,) = msg.reminders
    assert reminder.kind == RuleKind.NUDGE and reminder.status == ReminderStatus.QUEUED
    again = client.post(f"/impact/godparents/{quiet.id}/remind", follow_redirects=True)
    assert b"already queued today" in again.data
    assert db.session.scalar(db.select(db.func.count(Reminder.id))) == 1


def test_nudge_is_delivered_by_the_sender(app, create_pairing, smtp_server):
    from advocacy.db_types import utcnow
    from advocacy.reminders.delivery import deliver
    from advocacy.reminders.nudges import queue_nudge
    from tests.conftest import mail_text

    pairing = create_pairing()
    queue_nudge(pairing.parliamentarian, now=utcnow())
    db.session.commit()
    stats = deliver(utcnow())
    assert stats["sent"] == 1
    (mail,) = smtp_server.messages
    assert f"{pairing.prisoner.name} is waiting to hear from you" in mail["message"]["Subject"]
    assert "record it in the portal" in mail_text(mail)


def test_silent_prisoners_humanitarian_first(client, login_as, create_pairing, create_prisoner, create_statement):
    ordinary = create_pairing(prisoner=create_prisoner(name="Ordinary Quiet"))
    urgent = create_pairing(prisoner=create_prisoner(name="Urgent Quiet", risk_serious_illness=True))
    spoken = create_pairing(prisoner=create_prisoner(name="Spoken For"))
    create_statement(pairing=spoken, made_on=dt.date.today() - dt.timedelta(days=10))
    create_statement(pairing=ordinary, made_on=dt.date.today() - dt.timedelta(days=200))
    _refresh()
    login_as("staff")
    page = client.get("/impact/prisoners").data.decode()
    assert "Spoken For" not in page
    assert page.index("Urgent Quiet") < page.index("Ordinary Quiet")
    assert urgent.prisoner.is_humanitarian


def test_refresh_command_and_button(client, runner, login_as, create_pairing):
    create_pairing(started_on=dt.date.today() - dt.timedelta(days=40))
    result = runner.invoke(args=["impact", "refresh", "--today", "2026-13-01"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
    result = runner.invoke(args=["impact", "refresh"])
    assert result.exit_code == 0, result.output
    assert "over 1 pairings" in result.output
    login_as("staff")
    resp = client.post("/impact/refresh", follow_redirects=True)
    assert b"recomputed" in resp.data
    # 40 days of pairing, 14 of them with the window still open: 26 base-rate days (the start day too: 27)
    assert b"<td class=\"num\">27</td>" in resp.data


def test_the_nudge_rule_does_not_stop_the_default_rules_being_seeded(create_pairing):
    from advocacy.db_types import utcnow
    from advocacy.reminders.models import ReminderRule
    from advocacy.reminders.nudges import queue_nudge
    from advocacy.reminders.rules import DEFAULT_RULES, ensure_default_rules

    queue_nudge(create_pairing().parliamentarian, now=utcnow())  # creates the nudge rule first
    ensure_default_rules()
    kinds = [r.kind for r in db.session.scalars(db.select(ReminderRule))]
    assert len(kinds) == len(DEFAULT_RULES) + 1 and RuleKind.BIRTHDAY in kinds


def test_silent_list_buttons_post_with_the_viewers_csrf_token(app, client, login_as, create_pairing, create_statement):
    import html
    import re

    pairing = create_pairing()
    create_statement(pairing=pairing, made_on=dt.date.today() - dt.timedelta(days=120))
    _refresh()
    login_as("staff")
    app.config["WTF_CSRF_ENABLED"] = True  # after logging in (the config is restored after the test)
    page = client.get("/impact/godparents").data.decode()
    action = html.unescape(re.search(r'formaction="([^"]+)"', page).group(1))
    assert action.startswith(f"/impact/godparents/{pairing.parliamentarian_id}/remind")
    token = re.search(r'<form method="post" class="silent-list"><input type="hidden" name="csrf_token" value="([^"]+)"',
                      page).group(1)
    assert client.post(action).status_code == 400  # no token: refused
    resp = client.post(action, data={"csrf_token": token}, follow_redirects=True)
    assert b"queued in the outbox" in resp.data
