"""The impact figures computed directly from the live tables: the implementation the pages used
before the snapshot tables (advocacy/impact/models.py). Tests compare the snapshot-based figures
with these on a fixture; nothing in the app uses this module."""
import datetime as dt
from collections import defaultdict
from types import SimpleNamespace

from sqlalchemy import and_, func, literal, or_, select, true, union_all
from sqlalchemy.orm import aliased

from advocacy.extensions import db
from advocacy.impact.services import Filters, add_months
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import IN_CUSTODY, Prisoner
from advocacy.statements.models import Statement, StatementKind


def _parl_conditions(f: Filters, parl=Parliamentarian) -> list:
    conds = []
    if f.country:
        conds.append(parl.country == f.country)
    if f.group:
        conds.append(parl.political_group == f.group)
    if f.parliament:
        conds.append(parl.parliament == f.parliament)
    return conds


# -- statements and godparents ---------------------------------------------------------------
def statements_per_month(f: Filters) -> dict:
    """{"months": [...], "kinds": [...], "rows": [(month, {kind: n}, total)]} in the period."""
    # Grouped by day (a plain column: no function per row, an index-only scan), folded into months here.
    stmt = (select(Statement.made_on, Statement.kind, func.count())
            .where(Statement.made_on >= f.start, Statement.made_on <= f.end).group_by(Statement.made_on, Statement.kind))
    if _parl_conditions(f):
        stmt = (stmt.join(Pairing, Pairing.id == Statement.pairing_id)
                .join(Parliamentarian, Parliamentarian.id == Pairing.parliamentarian_id).where(*_parl_conditions(f)))
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for day, kind, n in db.session.execute(stmt):
        counts[f"{day:%Y-%m}"][kind] += n
    kinds = [k for k in StatementKind if any(k in c for c in counts.values())]
    months = [f"{m:%Y-%m}" for m in f.months]
    rows = [(m, counts.get(m, {}), sum(counts.get(m, {}).values())) for m in months]
    return {"months": months, "kinds": kinds, "rows": rows}


def _active_pairings(f: Filters):
    """Active pairings whose godparent matches the filter."""
    stmt = select(Pairing.id, Pairing.parliamentarian_id, Pairing.prisoner_id).where(Pairing.status == PairingStatus.ACTIVE)
    if _parl_conditions(f):
        stmt = stmt.join(Parliamentarian, Parliamentarian.id == Pairing.parliamentarian_id).where(*_parl_conditions(f))
    return stmt


def godparents_ranked(f: Filters, limit: int = 25) -> list:
    """Godparents by the number of statements they made in the period (most first)."""
    # Statements grouped by pairing first (one pass over the period's index), then the few
    # thousand pairings folded into godparents.
    per_pairing = (select(Statement.pairing_id, func.count().label("n"), func.max(Statement.made_on).label("last_on"))
                   .where(Statement.made_on >= f.start, Statement.made_on <= f.end)
                   .group_by(Statement.pairing_id).subquery())
    n = func.sum(per_pairing.c.n).label("n")
    per_parl = (select(Pairing.parliamentarian_id.label("parl_id"), n, func.max(per_pairing.c.last_on).label("last_on"))
                .join(per_pairing, per_pairing.c.pairing_id == Pairing.id)
                .group_by(Pairing.parliamentarian_id).subquery())
    stmt = (select(Parliamentarian.id, Parliamentarian.full_name, Parliamentarian.country,
                   Parliamentarian.political_group, per_parl.c.n, per_parl.c.last_on)
            .join(per_parl, per_parl.c.parl_id == Parliamentarian.id).where(*_parl_conditions(f))
            .order_by(per_parl.c.n.desc(), Parliamentarian.full_name).limit(limit))
    return db.session.execute(stmt).all()


def _last_statement_on(pairing_filter, ids_col, ids) -> dict:
    """{id: last statement date} for the few rows shown (prisoner or godparent ids)."""
    if not ids:
        return {}
    return dict(db.session.execute(
        select(ids_col, func.max(Statement.made_on)).join(Statement, Statement.pairing_id == Pairing.id)
        .where(ids_col.in_(ids), pairing_filter).group_by(ids_col)).all())


def silent_godparents(f: Filters, today: dt.date, days: int, limit: int | None = 50) -> tuple[int, list]:
    """Godparents with an active pairing and no statement (about anyone, through any pairing)
    in the last ``days`` days: (how many, the first ``limit`` by name, each with its last
    statement date). An anti-join on the (pairing_id, made_on) index: no scan of all statements."""
    since = today - dt.timedelta(days=days)
    P2 = aliased(Pairing)
    recent = (select(Statement.id).join(P2, P2.id == Statement.pairing_id)
              .where(P2.parliamentarian_id == Parliamentarian.id, Statement.made_on >= since).exists())
    active = _active_pairings(f).with_only_columns(Pairing.parliamentarian_id)
    base = (select(Parliamentarian.id, Parliamentarian.full_name, Parliamentarian.country,
                   Parliamentarian.political_group, Parliamentarian.email)
            .where(Parliamentarian.id.in_(active), ~recent))
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.execute(base.order_by(Parliamentarian.full_name, Parliamentarian.id).limit(limit)).all()
    last = _last_statement_on(true(), Pairing.parliamentarian_id, [r.id for r in rows])
    return total, [SimpleNamespace(**r._asdict(), last_on=last.get(r.id)) for r in rows]


def silent_prisoners(f: Filters, today: dt.date, days: int = 90, limit: int | None = 50) -> tuple[int, list]:
    """Prisoners in custody with an active godparent (matching the filter), none of whom made a
    statement about them in the last ``days`` days: (how many, the first ``limit``: humanitarian
    list first, then the longest detained; each with the last statement of an active godparent)."""
    since = today - dt.timedelta(days=days)
    active = _active_pairings(f).subquery()
    recent = (select(Statement.id).join(active, active.c.id == Statement.pairing_id)
              .where(active.c.prisoner_id == Prisoner.id, Statement.made_on >= since).exists())
    base = (select(Prisoner.id, Prisoner.name, Prisoner.is_humanitarian, Prisoner.detained_on)
            .where(Prisoner.status.in_(IN_CUSTODY), Prisoner.is_archived.is_(False),
                   Prisoner.id.in_(select(active.c.prisoner_id)), ~recent))
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.execute(base.order_by(Prisoner.is_humanitarian.desc(), Prisoner.detained_on.asc().nulls_last(),
                                            Prisoner.id).limit(limit)).all()
    last = _last_statement_on(Pairing.status == PairingStatus.ACTIVE, Pairing.prisoner_id, [r.id for r in rows])
    return total, [SimpleNamespace(**r._asdict(), last_on=last.get(r.id)) for r in rows]


# -- coverage over time -----------------------------------------------------------------------
def coverage_over_time(f: Filters, today: dt.date, by: tuple = ("country", "group")) -> dict:
    """Prisoners with a godparent on the last day of each month of the period, by the godparents'
    country and by political group (a prisoner with godparents from two countries counts in both;
    the total counts each prisoner once): {"months": [...], "country": {month: {key: n}},
    "group": {...}, "total": {month: n}}."""
    cols = {"country": Parliamentarian.country, "group": Parliamentarian.political_group}
    days = [min(add_months(m, 1) - dt.timedelta(days=1), today) for m in f.months if m <= today]
    out = {"months": [f"{d:%Y-%m}" for d in days], "total": {}, **{b: defaultdict(dict) for b in by}}
    if not days:
        return out
    cal = union_all(*[select(literal(d).label("d"), literal(f"{d:%Y-%m}").label("m")) for d in days]).subquery()
    # Only pairings that overlap the period, then (month, key, prisoner) made distinct by hashing:
    # far cheaper than count(DISTINCT) per group.
    spans = (select(Pairing.prisoner_id, Pairing.started_on, Pairing.ended_on,
                    *[cols[b].label(b) for b in by])
             .join(Parliamentarian, Parliamentarian.id == Pairing.parliamentarian_id)
             .where(Pairing.status.in_((PairingStatus.ACTIVE, PairingStatus.ENDED)), Pairing.started_on <= days[-1],
                    or_(Pairing.ended_on.is_(None), Pairing.ended_on > days[0]), *_parl_conditions(f))
             .subquery())
    on_day = and_(spans.c.started_on <= cal.c.d, or_(spans.c.ended_on.is_(None), spans.c.ended_on > cal.c.d))
    for b in by:
        pairs = select(cal.c.m, spans.c[b], spans.c.prisoner_id).select_from(cal).join(spans, on_day).distinct().subquery()
        for m, key, n in db.session.execute(select(pairs.c.m, pairs.c[b], func.count()).group_by(pairs.c.m, pairs.c[b])):
            out[b][m][key or "—"] = n
    once = select(cal.c.m, spans.c.prisoner_id).select_from(cal).join(spans, on_day).distinct().subquery()
    out["total"] = dict(db.session.execute(select(once.c.m, func.count()).group_by(once.c.m)).all())
    return out
