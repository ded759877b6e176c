"""Reminder effectiveness on a hand-computed fixture (today 2026-11-24: windows closed up to 2026-11-10).

Pairing A-X (1 Sep - 21 Sep, ended): active days 1..20 Sep.
  sent HEARING 2 Sep   -> statements of A about X: 1 Sep (before), 17 Sep (day 15: outside), 19 Sep
                          (day 17: outside)                                       -> not followed
  sent BIRTHDAY 5 Sep  -> 19 Sep is day 14: inside                                 -> followed
  sent BIRTHDAY 1 Oct  -> only B spoke about X (5 Oct): another godparent          -> not followed
  cancelled BIRTHDAY 20 Sep: neither a case nor blocking the base rate
  base: days 2..19 Sep follow a reminder within 14 days; free days 1 Sep and 20 Sep;
        1 Sep is followed by the 1 Sep statement (same day), 20 Sep by nothing   -> 2 days, 1 followed
Pairing B-X (1 Oct - 11 Oct, ended): days 1..10 Oct, no reminder; statement 5 Oct covers 21 Sep..5 Oct
                                                                                 -> 10 days, 5 followed
Pairing C-Y (active since 1 Nov, country FR): days 1..10 Nov; sent BIRTHDAY 15 Nov (window still
  open: not a case)                                                              -> 10 days, 0 followed
Pairing D-Y, only invited: no pairing-days.

BIRTHDAY 1/2, HEARING 0/1, base 6/22.
"""
import datetime as dt

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.impact import services
from advocacy.impact.models import EffectFact
from advocacy.pairings.models import PairingStatus
from advocacy.reminders.models import Reminder, ReminderRule, ReminderStatus, RuleKind

TODAY = dt.date(2026, 11, 24)
D = dt.date


def _reminder(pairing, kind, send_on, status=ReminderStatus.SENT):
    rule = db.session.scalar(db.select(ReminderRule).filter_by(kind=kind, offset_days=0))
    if rule is None:
        rule = ReminderRule(kind=kind, offset_days=0)
        db.session.add(rule)
        db.session.flush()
    r = Reminder(idempotency_key=f"t:{pairing.id}:{kind.value}:{send_on}", rule_id=rule.id, kind=kind,
                 pairing_id=pairing.id, parliamentarian_id=pairing.parliamentarian_id, prisoner_id=pairing.prisoner_id,
                 occurs_on=send_on, send_on=send_on, due_at=utcnow(), status=status)
    db.session.add(r)
    db.session.commit()
    return r


def _fixture(create_prisoner, create_parliamentarian, create_pairing, create_statement):
    x, y = create_prisoner(name="X"), create_prisoner(name="Y")
    a, b = create_parliamentarian(country="DE"), create_parliamentarian(country="DE")
    c, d = create_parliamentarian(country="FR"), create_parliamentarian(country="DE")
    ax = create_pairing(parliamentarian=a, prisoner=x, started_on=D(2026, 9, 1), ended_on=D(2026, 9, 21),
                        status=PairingStatus.ENDED)
    bx = create_pairing(parliamentarian=b, prisoner=x, started_on=D(2026, 10, 1), ended_on=D(2026, 10, 11),
                        status=PairingStatus.ENDED)
    cy = create_pairing(parliamentarian=c, prisoner=y, started_on=D(2026, 11, 1))
    create_pairing(parliamentarian=d, prisoner=y, started_on=D(2026, 9, 1), status=PairingStatus.INVITED)
    for day in (D(2026, 9, 1), D(2026, 9, 17), D(2026, 9, 19)):
        create_statement(pairing=ax, made_on=day)
    create_statement(pairing=bx, made_on=D(2026, 10, 5))
    _reminder(ax, RuleKind.HEARING, D(2026, 9, 2))
    _reminder(ax, RuleKind.BIRTHDAY, D(2026, 9, 5))
    _reminder(ax, RuleKind.BIRTHDAY, D(2026, 10, 1))
    _reminder(ax, RuleKind.BIRTHDAY, D(2026, 9, 20), status=ReminderStatus.CANCELLED)
    _reminder(cy, RuleKind.BIRTHDAY, D(2026, 11, 15))


def _period(**kw):
    return services.Filters(D(2026, 9, 1), D(2026, 11, 30), **kw)


def _kind(eff, kind):
    return next((r, ratio) for r, ratio in eff.kinds if r.kind == kind)


def test_effectiveness_matches_the_hand_computed_fixture(create_prisoner, create_parliamentarian, create_pairing,
                                                         create_statement):
    _fixture(create_prisoner, create_parliamentarian, create_pairing, create_statement)
    services.refresh(TODAY, utcnow())
    db.session.commit()
    eff = services.effectiveness(_period())
    birthday, ratio = _kind(eff, RuleKind.BIRTHDAY)
    assert (birthday.cases, birthday.followed) == (2, 1)
    assert ratio is None  # fewer than 20 cases
    hearing, _ = _kind(eff, RuleKind.HEARING)
    assert (hearing.cases, hearing.followed) == (1, 0)
    assert (eff.base.cases, eff.base.followed) == (22, 6)
    assert _kind(eff, RuleKind.MILESTONE)[0].cases == 0


def test_base_rate_by_month_and_filters(create_prisoner, create_parliamentarian, create_pairing, create_statement):
    _fixture(create_prisoner, create_parliamentarian, create_pairing, create_statement)
    services.refresh(TODAY, utcnow())
    facts = {(f.month, f.kind): (f.cases, f.followed)
             for f in db.session.scalars(db.select(EffectFact).where(EffectFact.grain == 0))}  # all godparents
    assert facts[(D(2026, 9, 1), None)] == (2, 1)
    assert facts[(D(2026, 10, 1), None)] == (10, 5)
    assert facts[(D(2026, 11, 1), None)] == (10, 0)
    fr = services.effectiveness(_period(country="FR"))
    assert (fr.base.cases, fr.base.followed) == (10, 0)
    assert _kind(fr, RuleKind.BIRTHDAY)[0].cases == 0
    october = services.effectiveness(services.Filters(D(2026, 10, 1), D(2026, 10, 31)))
    assert (october.base.cases, october.base.followed) == (10, 5)
    assert (_kind(october, RuleKind.BIRTHDAY)[0].cases, _kind(october, RuleKind.BIRTHDAY)[0].followed) == (1, 0)


def test_ratio_shown_only_from_the_minimum_count(create_prisoner, create_parliamentarian, create_pairing,
                                                 create_statement, monkeypatch):
    _fixture(create_prisoner, create_parliamentarian, create_pairing, create_statement)
    services.refresh(TODAY, utcnow())
    monkeypatch.setattr(services, "MIN_CASES", 2)
    eff = services.effectiveness(_period())
    assert abs(_kind(eff, RuleKind.BIRTHDAY)[1] - (1 / 2) / (6 / 22)) < 1e-9
    assert _kind(eff, RuleKind.HEARING)[1] is None  # 1 case < 2


def test_refresh_replaces_the_previous_facts(create_prisoner, create_parliamentarian, create_pairing, create_statement):
    _fixture(create_prisoner, create_parliamentarian, create_pairing, create_statement)
    services.refresh(TODAY, utcnow())
    services.refresh(TODAY, utcnow())
    assert services.effectiveness(_period()).base.cases == 22
    # A day later, the C-Y pairing has one more closed day.
    services.refresh(TODAY + dt.timedelta(days=1), utcnow())
    assert services.effectiveness(_period()).base.cases == 23


def test_coverage_over_time_counts_each_prisoner_once_per_month(create_prisoner, create_parliamentarian, create_pairing):
    x, y, z = create_prisoner(), create_prisoner(), create_prisoner()
    de_epp = create_parliamentarian(country="DE", political_group="EPP")
    fr_renew = create_parliamentarian(country="FR", political_group="Renew")
    de_sd = create_parliamentarian(country="DE", political_group="S&D")
    create_pairing(parliamentarian=de_epp, prisoner=x, started_on=D(2026, 9, 15))
    create_pairing(parliamentarian=fr_renew, prisoner=x, started_on=D(2026, 8, 1), ended_on=D(2026, 10, 15),
                   status=PairingStatus.ENDED)
    create_pairing(parliamentarian=de_sd, prisoner=y, started_on=D(2026, 10, 31))
    create_pairing(parliamentarian=de_epp, prisoner=z, started_on=D(2026, 9, 1), status=PairingStatus.INVITED)
    services.refresh(TODAY, utcnow())
    t = services.coverage_tables(_period(), TODAY)
    assert t["coverage_country"].header == ["Month", "DE", "FR", "All (each prisoner once)"]
    assert t["coverage_country"].rows == [["2026-09", 1, 1, 1], ["2026-10", 2, 0, 2], ["2026-11", 2, 0, 2]]
    assert t["coverage_group"].rows == [["2026-09", 1, 0, 1, 1], ["2026-10", 1, 1, 0, 2], ["2026-11", 1, 1, 0, 2]]
    assert t["coverage_group"].header == ["Month", "EPP", "S&D", "Renew", "All (each prisoner once)"]
    fr = services.coverage_tables(_period(country="FR"), TODAY)["coverage_country"]
    assert fr.rows == [["2026-09", 1, 1], ["2026-10", 0, 0], ["2026-11", 0, 0]]
