"""Re-planning after a change: what was cancelled comes back once when the change is undone.

Each undo case runs with one planner and, on PostgreSQL, with two planners started at the same
instant in their own transactions; either way the SMTP server must receive each occurrence
exactly once.
"""
import ast
import collections
import datetime as dt
import os
import subprocess
import sys
import threading

import pytest

from advocacy.extensions import db
from advocacy.pairings.models import EndReason, PairingStatus
from advocacy.pairings.services import end_pairing
from advocacy.prisoners.models import KeyDateKind
from advocacy.reminders.delivery import deliver
from advocacy.reminders.models import OutboxMessage, OutboxStatus, ReminderPreference, ReminderRule, ReminderStatus, RuleKind
from advocacy.reminders.planner import plan
from tests.reminders.conftest import reminders, utc

ON_PG = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
_needs_pg = pytest.mark.skipif(not ON_PG, reason="concurrent planners need PostgreSQL")
#: one planner; two threads, each its own transaction; two OS processes (as two schedulers would)
PLANNERS = [1, pytest.param(2, marks=_needs_pg), pytest.param("processes", marks=_needs_pg)]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_PLAN_SCRIPT = """
import datetime as dt, sys
from advocacy import create_app
from advocacy.extensions import db
from advocacy.reminders.planner import plan
app = create_app("testing")
with app.app_context():
    print("ready", flush=True)
    sys.stdin.readline()  # the go signal: both processes plan at once
    stats = plan(dt.datetime.fromisoformat(sys.argv[1]))
    db.session.commit()
    print(repr(stats))
"""


def _plan_in_processes(now, n=2):
    """``n`` planner processes, each started and connected first, then told to plan at once."""
    procs = [subprocess.Popen([sys.executable, "-c", _PLAN_SCRIPT, now.isoformat()], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        results.append(ast.literal_eval(out.strip().splitlines()[-1]))
    db.session.expire_all()
    return results


def plan_at(app, now, planners=1):
    """Plan at ``now`` with ``planners`` planners started together, each committing."""
    if planners == "processes":
        return _plan_in_processes(now)
    if planners == 1:
        stats = plan(now)
        db.session.commit()
        return [stats]
    barrier, results, errors = threading.Barrier(planners), [], []

    def one():
        try:
            with app.app_context():
                barrier.wait(10)
                results.append(plan(now))
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # reported below: a planner must not fail silently
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(planners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    db.session.expire_all()
    return results


def deliver_days(first: dt.date, last: dt.date):
    """Deliver at 08:05 Berlin time each day (the scheduler's deliver job)."""
    day = first
    while day <= last:
        deliver(dt.datetime.combine(day, dt.time(7, 5), tzinfo=dt.timezone.utc))
        day += dt.timedelta(days=1)


def subjects(smtp_server):
    return [m["message"]["Subject"] for m in smtp_server.messages]


def assert_each_sent_once(smtp_server, expected: int):
    ids = collections.Counter(m["message"]["Message-ID"] for m in smtp_server.messages)
    assert max(ids.values(), default=1) == 1, ids
    sent = reminders(status=ReminderStatus.SENT)
    assert len(sent) == len(smtp_server.messages) == expected, (subjects(smtp_server), [r.idempotency_key for r in sent])
    assert len({(r.pairing_id, r.kind, r.occurs_on, r.send_on) for r in sent}) == expected


@pytest.mark.parametrize("planners", PLANNERS)
def test_trial_moved_and_moved_back_gets_its_reminders_back_once(app, smtp_server, godparent_pairing, create_key_date, planners):
    pairing = godparent_pairing()
    trial = create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 10))
    plan_at(app, utc(2026, 11, 24), planners)
    trial.occurs_on = dt.date(2026, 12, 20)
    db.session.commit()
    plan_at(app, utc(2026, 11, 25), planners)
    assert {r.status for r in reminders() if r.occurs_on == dt.date(2026, 12, 10)} == {ReminderStatus.CANCELLED}
    trial.occurs_on = dt.date(2026, 12, 10)
    db.session.commit()
    stats = plan_at(app, utc(2026, 11, 26), planners)
    assert sum(s["revived"] for s in stats) == 3 and sum(s["created"] for s in stats) == 0
    back = [r for r in reminders() if r.occurs_on == dt.date(2026, 12, 10)]
    assert len(back) == 3 and {r.status for r in back} == {ReminderStatus.QUEUED}
    assert {r.status for r in reminders() if r.occurs_on == dt.date(2026, 12, 20)} == {ReminderStatus.CANCELLED}
    deliver_days(dt.date(2026, 11, 26), dt.date(2026, 12, 31))
    assert_each_sent_once(smtp_server, 3)
    assert not any("20 December" in s for s in subjects(smtp_server))
    assert any("trial hearing is tomorrow: 10 December" in s for s in subjects(smtp_server))


@pytest.mark.parametrize("planners", PLANNERS)
def test_unsubscribe_then_resubscribe_brings_future_reminders_back_once(app, smtp_server, godparent_pairing, create_key_date, planners):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 10))
    plan_at(app, utc(2026, 11, 24), planners)
    pref = ReminderPreference(parliamentarian_id=pairing.parliamentarian_id, is_unsubscribed=True, disabled_kinds="")
    db.session.add(pref)
    db.session.commit()
    plan_at(app, utc(2026, 11, 25), planners)
    assert {r.status for r in reminders()} == {ReminderStatus.CANCELLED}
    assert {o.status for o in db.session.scalars(db.select(OutboxMessage))} == {OutboxStatus.CANCELLED}
    pref.is_unsubscribed = False
    db.session.commit()
    plan_at(app, utc(2026, 11, 26), planners)
    deliver_days(dt.date(2026, 11, 26), dt.date(2026, 12, 31))
    assert_each_sent_once(smtp_server, 4)  # arrest anniversary, two before the trial, one after


@pytest.mark.parametrize("planners", PLANNERS)
def test_kind_turned_off_then_on_brings_its_reminders_back_once(app, smtp_server, godparent_pairing, create_key_date, planners):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 10))
    plan_at(app, utc(2026, 11, 24), planners)
    pref = ReminderPreference(parliamentarian_id=pairing.parliamentarian_id, disabled_kinds="hearing")
    db.session.add(pref)
    db.session.commit()
    plan_at(app, utc(2026, 11, 25), planners)
    off = reminders(kind=RuleKind.HEARING)
    assert len(off) == 2 and {r.status for r in off} == {ReminderStatus.CANCELLED}
    assert {r.status for r in reminders() if r.kind != RuleKind.HEARING} == {ReminderStatus.QUEUED}
    pref.disabled_kinds = ""
    db.session.commit()
    plan_at(app, utc(2026, 11, 26), planners)
    deliver_days(dt.date(2026, 11, 26), dt.date(2026, 12, 31))
    assert_each_sent_once(smtp_server, 4)
    assert sum("trial hearing is" in s for s in subjects(smtp_server)) == 2


@pytest.mark.parametrize("planners", PLANNERS)
def test_pairing_ended_then_active_again_brings_reminders_back_once(app, smtp_server, godparent_pairing, create_key_date, planners):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 10))
    plan_at(app, utc(2026, 11, 24), planners)
    end_pairing(pairing, reason=EndReason.OTHER, on=dt.date(2026, 11, 24), note="entered by mistake")
    db.session.commit()
    plan_at(app, utc(2026, 11, 25), planners)
    assert {(r.status, r.status_reason) for r in reminders()} == {(ReminderStatus.CANCELLED, "the pairing is no longer active")}
    pairing.status, pairing.ended_on, pairing.end_reason, pairing.end_note = PairingStatus.ACTIVE, None, None, None
    db.session.commit()
    plan_at(app, utc(2026, 11, 26), planners)
    deliver_days(dt.date(2026, 11, 26), dt.date(2026, 12, 31))
    assert_each_sent_once(smtp_server, 4)


def test_a_reminder_whose_time_has_passed_is_not_revived(app, smtp_server, godparent_pairing):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    plan_at(app, utc(2026, 11, 24))
    pref = ReminderPreference(parliamentarian_id=pairing.parliamentarian_id, is_unsubscribed=True, disabled_kinds="")
    db.session.add(pref)
    db.session.commit()
    plan_at(app, utc(2026, 11, 30))
    pref.is_unsubscribed = False
    db.session.commit()
    stats = plan_at(app, utc(2026, 12, 1, 9))[0]  # the anniversary mail was due at 07:00 UTC
    assert stats["revived"] == 0
    deliver(utc(2026, 12, 1, 9, 5))
    assert smtp_server.messages == []
    assert [r.status for r in reminders(kind=RuleKind.ARREST_ANNIVERSARY)] == [ReminderStatus.CANCELLED]


def test_rule_turned_off_then_on_cancels_then_revives(app, godparent_pairing, create_key_date):
    pairing = godparent_pairing()
    create_key_date(pairing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 10))
    plan_at(app, utc(2026, 11, 24))
    rule = db.session.scalar(db.select(ReminderRule).where(ReminderRule.kind == RuleKind.HEARING, ReminderRule.offset_days == -7))
    rule.is_active = False
    db.session.commit()
    plan_at(app, utc(2026, 11, 25))
    week = [r for r in reminders(kind=RuleKind.HEARING) if r.send_on == dt.date(2026, 12, 3)]
    assert week[0].status == ReminderStatus.CANCELLED and "rule" in week[0].status_reason
    rule.is_active = True
    db.session.commit()
    assert plan_at(app, utc(2026, 11, 26))[0]["revived"] == 1
    assert {r.status for r in reminders()} == {ReminderStatus.QUEUED}


# -- incremental planning ------------------------------------------------------------------------
def test_replan_with_nothing_new_touches_nothing(app, godparent_pairing, create_key_date):
    pairing = godparent_pairing(birth_date=dt.date(1980, 12, 5), detained_on=dt.date(2021, 12, 20))
    create_key_date(pairing.prisoner, occurs_on=dt.date(2026, 12, 15))
    first = plan_at(app, utc(2026, 11, 24))[0]
    again = plan_at(app, utc(2026, 11, 24, 0, 10))[0]
    assert first["replanned"] == 1 and first["created"] > 0
    assert again["replanned"] == again["extended"] == again["created"] == again["cancelled"] == 0


def test_days_entering_the_window_are_planned_without_replanning(app, godparent_pairing):
    app.config["REMINDER_LOOKAHEAD_DAYS"] = 45
    godparent_pairing(birth_date=dt.date(1980, 1, 10))  # birthday mails on 7 and 10 January
    plan_at(app, utc(2026, 11, 24))  # window ends 8 January
    assert [r.send_on for r in reminders(kind=RuleKind.BIRTHDAY)] == [dt.date(2027, 1, 7)]
    stats = plan_at(app, utc(2026, 11, 27))[0]  # window ends 11 January
    assert stats["replanned"] == 0 and stats["extended"] == 1 and stats["created"] == 1
    assert [r.send_on for r in reminders(kind=RuleKind.BIRTHDAY)] == [dt.date(2027, 1, 7), dt.date(2027, 1, 10)]


def test_a_change_replans_only_the_pairings_it_touches(app, godparent_pairing, create_key_date):
    a = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    godparent_pairing(detained_on=dt.date(2021, 12, 2))
    trial = create_key_date(a.prisoner, occurs_on=dt.date(2026, 12, 15))
    plan_at(app, utc(2026, 11, 24))
    trial.place = "Court room 3"  # not something reminders depend on at planning time
    db.session.commit()
    assert plan_at(app, utc(2026, 11, 24, 0, 10))[0]["replanned"] == 0
    trial.occurs_on = dt.date(2026, 12, 16)
    db.session.commit()
    stats = plan_at(app, utc(2026, 11, 24, 0, 20))[0]
    assert stats["replanned"] == 1 and stats["cancelled"] == 3 and stats["created"] == 3


def test_losing_the_plan_state_changes_nothing(app, godparent_pairing, create_key_date):
    from advocacy.reminders.models import ReminderPlanState

    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1))
    create_key_date(pairing.prisoner, occurs_on=dt.date(2026, 12, 15))
    plan_at(app, utc(2026, 11, 24))
    before = {(r.idempotency_key, r.status, r.outbox_key) for r in reminders()}
    db.session.execute(db.delete(ReminderPlanState))
    db.session.commit()
    stats = plan_at(app, utc(2026, 11, 24, 0, 10))[0]
    assert stats["replanned"] == 1 and stats["created"] == stats["cancelled"] == stats["moved"] == 0
    assert {(r.idempotency_key, r.status, r.outbox_key) for r in reminders()} == before


def test_corrected_address_and_time_zone_apply_to_unsent_mail(app, smtp_server, godparent_pairing):
    pairing = godparent_pairing(detained_on=dt.date(2021, 12, 1), tz="Europe/Berlin")
    plan_at(app, utc(2026, 11, 24))
    parl = pairing.parliamentarian
    parl.email, parl.time_zone = "corrected@example.org", "Europe/Helsinki"
    db.session.commit()
    plan_at(app, utc(2026, 11, 25))
    (reminder,) = reminders(kind=RuleKind.ARREST_ANNIVERSARY)
    assert reminder.due_at == utc(2026, 12, 1, 6)  # 08:00 in Helsinki
    assert reminder.outbox_message.recipient == "corrected@example.org"
    assert reminder.outbox_message.next_attempt_at == utc(2026, 12, 1, 6)
    deliver(utc(2026, 12, 1, 6, 5))
    assert [m["to"] for m in smtp_server.messages] == [["corrected@example.org"]]
