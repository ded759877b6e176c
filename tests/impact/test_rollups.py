"""The impact snapshot gives the same figures as computing them from the live tables.

``tests/impact/direct.py`` keeps the direct computations the pages used before the snapshot;
on a random (seeded) campaign, every figure for every combination of filters and a few periods
must match. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
import datetime as dt
import itertools
import random

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.impact import services
from advocacy.impact.models import ALL_DIMS, EffectFact
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Prisoner, PrisonerStatus
from advocacy.reminders.models import Reminder, ReminderRule, ReminderStatus, RuleKind
from advocacy.statements.models import Statement, StatementKind
from tests.impact import direct

TODAY = dt.date(2026, 11, 24)


def _campaign(seed=7):
    """40 godparents in 3 countries, 3 groups (and none), 3 parliaments; 30 prisoners, some
    freed, archived or on the humanitarian list; 70 pairings of every status, half the ended
    ones ending on a month's last day; 500 statements over four years (a few dated after
    today) and some exactly 90 or 180 days before today; sent reminders."""
    rng = random.Random(seed)
    parls = [Parliamentarian(full_name=f"Member {i:02d}", country=rng.choice(["DE", "FR", "PL"]),
                             political_group=rng.choice(["EPP", "S&D", "Renew", None]),
                             parliament=rng.choice(["European Parliament", "Bundestag", "Sejm"]),
                             email=f"m{i}@example.org" if i % 7 else None, time_zone="Europe/Berlin")
             for i in range(40)]
    prisoners = [Prisoner(name=f"Prisoner {i:02d}", detained_on=dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 900)),
                          status=rng.choice([PrisonerStatus.SENTENCED] * 4 + [PrisonerStatus.PRE_TRIAL, PrisonerStatus.RELEASED]),
                          risk_serious_illness=rng.random() < .2, is_archived=rng.random() < .1)
                 for i in range(30)]
    db.session.add_all(parls + prisoners)
    db.session.flush()
    pairings, used = [], set()
    while len(pairings) < 70:
        parl, prisoner = rng.choice(parls), rng.choice(prisoners)
        if (parl.id, prisoner.id) in used:
            continue
        used.add((parl.id, prisoner.id))
        started = dt.date(2022, 6, 1) + dt.timedelta(days=rng.randint(0, 1500))
        status = rng.choice([PairingStatus.ACTIVE] * 5 + [PairingStatus.ENDED] * 2 + [PairingStatus.INVITED])
        ended = started + dt.timedelta(days=rng.randint(1, 400)) if status == PairingStatus.ENDED else None
        if ended and len(pairings) % 2:  # on a month's last day: the boundary of coverage
            ended = services.add_months(ended, 1) - dt.timedelta(days=1)
        pairings.append(Pairing(parliamentarian=parl, prisoner=prisoner, status=status,
                                started_on=None if status == PairingStatus.INVITED else started, ended_on=ended))
    db.session.add_all(pairings)
    db.session.flush()
    live = [p for p in pairings if p.started_on]
    for i in range(500):
        p = rng.choice(live)
        made = p.started_on + dt.timedelta(days=rng.randint(0, 800))
        db.session.add(Statement(pairing=p, made_on=made, kind=rng.choice(list(StatementKind)), title=f"S{i}"))
    # statements exactly on the silence boundaries (90 and 180 days before today)
    for i, p in enumerate(p for p in live if p.status == PairingStatus.ACTIVE):
        db.session.add(Statement(pairing=p, made_on=TODAY - dt.timedelta(days=(90, 180, 91, 89)[i % 4]), title=f"B{i}",
                                 kind=StatementKind.SPEECH))
        if i == 12:
            break
    rules = [ReminderRule(kind=RuleKind.BIRTHDAY), ReminderRule(kind=RuleKind.HEARING, offset_days=-7)]
    db.session.add_all(rules)
    db.session.flush()
    for i in range(150):
        p, rule = rng.choice(live), rng.choice(rules)
        send = p.started_on + dt.timedelta(days=rng.randint(0, 700))
        db.session.add(Reminder(idempotency_key=f"t:{i}", rule_id=rule.id, kind=rule.kind,
                                pairing_id=p.id, parliamentarian_id=p.parliamentarian_id, prisoner_id=p.prisoner_id,
                                occurs_on=send, send_on=send, due_at=utcnow(),
                                status=ReminderStatus.SENT if rng.random() < .8 else ReminderStatus.CANCELLED))
    db.session.commit()


def _filters():
    values = {"country": ["DE", "PL"], "group": ["EPP", "Renew"], "parliament": ["Sejm"]}
    periods = [{}, {"from": "2023-01", "to": "2025-12"}, {"from": "2026-11", "to": "2027-02"}]
    for period in periods:
        for dims in itertools.chain.from_iterable(itertools.combinations(values, k) for k in range(4)):
            for choice in itertools.product(*[values[d] for d in dims]):
                args = {**period, **dict(zip(dims, choice))}
                f, errors = services.parse_filters(args, TODAY)
                assert not errors, errors
                yield f


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "_asdict"):
        return _plain(value._asdict())
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return _plain(vars(value))
    return value


def test_snapshot_figures_equal_the_direct_computation_for_every_filter():
    _campaign()
    services.refresh(TODAY, utcnow())
    db.session.commit()
    checked = 0
    for f in _filters():
        assert _plain(services.statements_per_month(f)) == _plain(direct.statements_per_month(f)), f
        assert _plain(services.godparents_ranked(f, limit=100)) == _plain(direct.godparents_ranked(f, limit=100)), f
        for days in (90, 180, 1000):
            assert _plain(services.silent_godparents(f, TODAY, days, limit=None)) == \
                _plain(direct.silent_godparents(f, TODAY, days, limit=None)), (f, days)
        assert _plain(services.silent_prisoners(f, TODAY, 90, limit=None)) == \
            _plain(direct.silent_prisoners(f, TODAY, 90, limit=None)), f
        assert _plain(services.coverage_over_time(f, TODAY)) == _plain(direct.coverage_over_time(f, TODAY)), f
        checked += 1
    assert checked == 3 * 18
    # the fixture is not trivial: the figures compared have something in them
    f_all, _ = services.parse_filters({"from": "2023-01", "to": "2025-12"}, TODAY)
    assert sum(total for _, _, total in services.statements_per_month(f_all)["rows"]) > 100
    assert services.silent_prisoners(services.parse_filters({}, TODAY)[0], TODAY)[0] > 0
    assert max(services.coverage_over_time(f_all, TODAY)["total"].values()) > 5


def test_effectiveness_grains_sum_to_the_finest_facts():
    _campaign()
    services.refresh(TODAY, utcnow())
    db.session.commit()
    facts = db.session.scalars(db.select(EffectFact).where(EffectFact.grain == ALL_DIMS)).all()
    assert sum(x.cases for x in facts if x.kind is not None) > 50
    for f in _filters():
        got = services.effectiveness(f)
        mine = [x for x in facts if f.start <= x.month <= f.end and (not f.country or x.country == f.country)
                and (not f.group or x.political_group == f.group) and (not f.parliament or x.parliament == f.parliament)]
        assert (got.base.cases, got.base.followed) == (sum(x.cases for x in mine if x.kind is None),
                                                       sum(x.followed for x in mine if x.kind is None)), f
        for rate, _ in got.kinds:
            assert (rate.cases, rate.followed) == (sum(x.cases for x in mine if x.kind == rate.kind),
                                                   sum(x.followed for x in mine if x.kind == rate.kind)), (f, rate.kind)


def test_a_second_refresh_replaces_the_snapshot():
    _campaign()
    services.refresh(TODAY, utcnow())
    services.refresh(TODAY, utcnow())
    db.session.commit()
    f, _ = services.parse_filters({"from": "2023-01", "to": "2025-12", "country": "DE"}, TODAY)
    assert _plain(services.statements_per_month(f)) == _plain(direct.statements_per_month(f))
    assert _plain(services.coverage_over_time(f, TODAY)) == _plain(direct.coverage_over_time(f, TODAY))
