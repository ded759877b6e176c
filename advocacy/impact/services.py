"""Impact figures for staff: statements over time, who is active or silent, coverage over time,
and reminder effectiveness. Each figure is one SQL aggregate (or a sum over pre-aggregated
facts), whatever the data size. Nothing here commits: callers do.

Reminder effectiveness, defined exactly (``WINDOW_DAYS`` = 14):

* a **case of a reminder kind** is a reminder of that kind actually sent (status ``sent``),
  counted in the month of its send day (``Reminder.send_on``); it is **followed** when that
  godparent made a statement about that prisoner (through any of their pairings) dated
  (``made_on``) from the send day to 14 days after it, both included;
* a **base-rate case** is a pairing-day: a day on which the pairing was active (from
  ``started_on``, up to the day before ``ended_on``) and on which no reminder to that godparent
  about that prisoner was sent that day or in the 14 days before; it is **followed** when such a
  statement is dated from that day to 14 days after it;
* only cases whose window has closed count (send day or pairing-day at least 14 days before
  the day the facts were computed), so a fresh reminder does not drag its kind's rate down;
* the ratio is the kind's rate over the base rate, shown only when the kind has at least
  ``MIN_CASES`` cases.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
import time
from collections import defaultdict
from types import SimpleNamespace

from cachelib import SimpleCache
from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import Date, and_, delete, func, literal, or_, select, text, union_all

from advocacy import charts
from advocacy.i18n import current_locale
from advocacy.charts import Table
from advocacy.extensions import db
from advocacy.impact.models import (ALL_DIMS, COUNTRY, GROUP, PARLIAMENT, ActivePairingFact, CoverageMonth, EffectFact,
                                     EffectRefresh, GodparentFact, GodparentMonth, PrisonerFact, StatementMonth)
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import IN_CUSTODY, Prisoner
from advocacy.reminders.models import Reminder, ReminderStatus, RuleKind
from advocacy.statements.models import Statement, StatementKind

WINDOW_DAYS = 14
MIN_CASES = 20
MAX_MONTHS = 36
SILENT_DAYS = (90, 180)
#: every grain (models.py): each filter combination reads rows of its own grain
GRAINS = tuple(range(ALL_DIMS + 1))
ROLLUPS = (StatementMonth, GodparentMonth, GodparentFact, ActivePairingFact, PrisonerFact, CoverageMonth)
REFRESH_LOCK = 0x1_0018  # advisory lock id: refreshes take turns
BASE_LABEL = _l("Base rate: no reminder in 14 days")
#: reminder kinds named short enough for a chart axis
SHORT_LABELS = {RuleKind.BIRTHDAY: _l("Birthday"), RuleKind.ARREST_ANNIVERSARY: _l("Arrest anniversary"),
                RuleKind.MILESTONE: _l("Days-behind-bars milestone"), RuleKind.HEARING: _l("Before a hearing"),
                RuleKind.HEARING_FOLLOWUP: _l("After a hearing"), RuleKind.VERDICT: _l("Verdict"),
                RuleKind.ADOPTION_ANNIVERSARY: _l("Adoption anniversary"), RuleKind.NUDGE: _l("Staff reminder")}


# -- filters ----------------------------------------------------------------------------------
def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, n: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    return dt.date(y, m + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    out, m = [], first_of_month(start)
    while m <= end:
        out.append(m)
        m = add_months(m, 1)
    return out


@dataclasses.dataclass(frozen=True)
class Filters:
    start: dt.date  # first day of the first month
    end: dt.date  # last day of the last month
    country: str | None = None
    group: str | None = None
    parliament: str | None = None

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)

    def args(self) -> dict:
        return {"from": f"{self.start:%Y-%m}", "to": f"{self.end:%Y-%m}", "country": self.country or "",
                "group": self.group or "", "parliament": self.parliament or ""}


def _parse_month(value: str, name: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise ValueError(_("From must be a month written YYYY-MM, e.g. 2026-01 (got %(value)s).", value=repr(value))
                         if name == "From" else
                         _("To must be a month written YYYY-MM, e.g. 2026-01 (got %(value)s).", value=repr(value))) from None


def parse_filters(args, today: dt.date) -> tuple[Filters, list[str]]:
    """Filters from query arguments. Bad input gives the default filter and a clear message."""
    errors = []
    end_month = first_of_month(today)
    start_month = add_months(end_month, -11)
    if args.get("from"):
        try:
            start_month = _parse_month(args["from"], "From")
        except ValueError as exc:
            errors.append(str(exc))
    if args.get("to"):
        try:
            end_month = _parse_month(args["to"], "To")
        except ValueError as exc:
            errors.append(str(exc))
    if start_month > end_month:
        errors.append(_("From must not be after To; showing the last 12 months."))
        end_month, start_month = first_of_month(today), add_months(first_of_month(today), -11)
    if len(months_between(start_month, end_month)) > MAX_MONTHS:
        errors.append(_("A period is at most %(num)s months; showing the last %(num)s up to To.", num=MAX_MONTHS))
        start_month = add_months(end_month, -(MAX_MONTHS - 1))
    end = add_months(end_month, 1) - dt.timedelta(days=1)
    clean = {k: (args.get(k) or "").strip()[:120] or None for k in ("country", "group", "parliament")}
    return Filters(start_month, end, clean["country"], clean["group"], clean["parliament"]), errors


def filter_choices() -> dict:
    """The countries, groups and parliaments of the snapshot's parliamentarians."""
    def values(col):
        return [v for v in db.session.scalars(select(col).distinct().order_by(col)) if v]
    return {"countries": values(GodparentFact.country), "groups": values(GodparentFact.political_group),
            "parliaments": values(GodparentFact.parliament)}


# -- what a page built, kept per snapshot -----------------------------------------------------
def cached(refresh: Snapshot | EffectRefresh | None, parts: tuple, build):
    """``build()``, kept in this worker's memory under the snapshot and ``parts``.

    Every figure is a function of the snapshot, the filters and the day, so a kept value can
    never be stale: a refresh makes a new key (nothing is ever deleted; old keys expire or are
    pushed out). Without a snapshot there is nothing to keep: build it every time."""
    if refresh is None:
        return build()
    # tables and charts carry words: one copy per language
    raw = repr((refresh.id, refresh.finished_at.isoformat(), current_locale(), parts))
    key = hashlib.sha256(raw.encode()).hexdigest()
    store = current_app.extensions.setdefault("impact_figures", SimpleCache(threshold=500, default_timeout=6 * 3600))
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value)
    return value


def cached_table(refresh: Snapshot | EffectRefresh | None, name: str, f: Filters, today: dt.date) -> Table:
    return cached(refresh, ("table", name, today, f), lambda: TABLES[name](f, today))


# -- the snapshot: reads --------------------------------------------------------------------
def _mask(f: Filters) -> int:
    return (COUNTRY if f.country else 0) | (GROUP if f.group else 0) | (PARLIAMENT if f.parliament else 0)


def _grain_conditions(model, f: Filters, grain: int) -> list:
    """The rows of ``grain`` that match the filter: every dimension constrained (NULL outside the
    grain), so that the (grain, country, political_group, parliament, month) index is one range."""
    wanted = {COUNTRY: (model.country, f.country), GROUP: (model.political_group, f.group),
              PARLIAMENT: (model.parliament, f.parliament)}
    conds = [model.grain == grain]
    for bit, (col, value) in wanted.items():
        if not grain & bit:
            conds.append(col.is_(None))
        elif value:
            conds.append(col == value)
    return conds


def _fact_conditions(model, f: Filters) -> list:
    """Godparent filters on a snapshot table with country / parliament / political_group columns."""
    conds = []
    if f.country:
        conds.append(model.country == f.country)
    if f.group:
        conds.append(model.political_group == f.group)
    if f.parliament:
        conds.append(model.parliament == f.parliament)
    return conds


def statements_per_month(f: Filters) -> dict:
    """{"months": [...], "kinds": [...], "rows": [(month, {kind: n}, total)]} in the period."""
    stmt = (select(StatementMonth.month, StatementMonth.kind, func.sum(StatementMonth.n))
            .where(StatementMonth.month >= f.start, StatementMonth.month <= f.end,
                   *_grain_conditions(StatementMonth, f, _mask(f)))
            .group_by(StatementMonth.month, StatementMonth.kind))
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for month, kind, n in db.session.execute(stmt):
        counts[f"{month:%Y-%m}"][kind] += int(n)
    kinds = [k for k in StatementKind if any(k in c for c in counts.values())]
    months = [f"{m:%Y-%m}" for m in f.months]
    rows = [(m, counts.get(m, {}), sum(counts.get(m, {}).values())) for m in months]
    return {"months": months, "kinds": kinds, "rows": rows}


def godparents_ranked(f: Filters, limit: int = 25) -> list:
    """Godparents by the number of statements they made in the period (most first)."""
    g, gm = GodparentFact, GodparentMonth
    n = func.sum(gm.n).label("n")
    per_parl = select(gm.parliamentarian_id.label("parl_id"), n, func.max(gm.last_on).label("last_on"))
    if _mask(f):  # the filter's godparents first, then their months
        per_parl = per_parl.join(g, g.parliamentarian_id == gm.parliamentarian_id).where(*_fact_conditions(g, f))
    per_parl = per_parl.where(gm.month >= f.start, gm.month <= f.end).group_by(gm.parliamentarian_id).subquery()
    stmt = (select(g.parliamentarian_id.label("id"), g.full_name, g.country, g.political_group, per_parl.c.n,
                   per_parl.c.last_on)
            .join(per_parl, per_parl.c.parl_id == g.parliamentarian_id)
            .order_by(per_parl.c.n.desc(), g.full_name, g.parliamentarian_id).limit(limit))
    return db.session.execute(stmt).all()


def silent_godparents(f: Filters, today: dt.date, days: int, limit: int | None = 50) -> tuple[int, list]:
    """Godparents with an active pairing and no statement (about anyone, through any pairing)
    in the last ``days`` days: (how many, the first ``limit`` by name, each with its last
    statement date)."""
    since = today - dt.timedelta(days=days)
    g = GodparentFact
    conds = [g.has_active_pairing.is_(True), or_(g.last_statement_on.is_(None), g.last_statement_on < since),
             *_fact_conditions(g, f)]
    total = db.session.scalar(select(func.count()).select_from(g).where(*conds)) or 0
    rows = db.session.execute(
        select(g.parliamentarian_id.label("id"), g.full_name, g.country, g.political_group, g.email,
               g.last_statement_on.label("last_on"))
        .where(*conds).order_by(g.full_name, g.parliamentarian_id).limit(limit)).all()
    return total, [SimpleNamespace(**r._asdict()) for r in rows]


def silent_prisoners(f: Filters, today: dt.date, days: int = 90, limit: int | None = 50) -> tuple[int, list]:
    """Prisoners in custody with an active godparent (matching the filter), none of whom made a
    statement about them in the last ``days`` days: (how many, the first ``limit``: humanitarian
    list first, then the longest detained; each with the last statement of an active godparent)."""
    since = today - dt.timedelta(days=days)
    p = PrisonerFact
    if _mask(f):
        a = ActivePairingFact
        last = func.max(a.last_statement_on)
        quiet = (select(a.prisoner_id).where(*_fact_conditions(a, f)).group_by(a.prisoner_id)
                 .having(or_(last.is_(None), last < since)))
        conds = [p.prisoner_id.in_(quiet)]
    else:  # every active godparent counts: the prisoner's own last statement says it
        conds = [or_(p.last_statement_on.is_(None), p.last_statement_on < since)]
    total = db.session.scalar(select(func.count()).select_from(p).where(*conds)) or 0
    rows = db.session.execute(
        select(p.prisoner_id.label("id"), p.name, p.is_humanitarian, p.detained_on, p.last_statement_on.label("last_on"))
        .where(*conds).order_by(p.is_humanitarian.desc(), p.detained_on.asc().nulls_last(), p.prisoner_id)
        .limit(limit)).all()
    return total, [SimpleNamespace(**r._asdict()) for r in rows]


def coverage_over_time(f: Filters, today: dt.date, by: tuple = ("country", "group")) -> dict:
    """Prisoners with a godparent on the last day of each month of the period (the refresh day
    for its own month), by the godparents' country and by political group (a prisoner with
    godparents from two countries counts in both; the total counts each prisoner once):
    {"months": [...], "country": {month: {key: n}}, "group": {...}, "total": {month: n}}.
    Months after the snapshot's day are left out, as days after today were before."""
    cols = {"country": CoverageMonth.country, "group": CoverageMonth.political_group}
    bits = {"country": COUNTRY, "group": GROUP}
    refresh = current_snapshot()
    upto = min(today, refresh.computed_on) if refresh else today
    months = [m for m in f.months if m <= upto]
    out = {"months": [f"{m:%Y-%m}" for m in months], "total": {}, **{b: defaultdict(dict) for b in by}}
    if not months:
        return out
    c = CoverageMonth
    period = [c.month >= months[0], c.month <= months[-1]]
    for b in by:
        for month, key, n in db.session.execute(
                select(c.month, cols[b], c.n).where(*period, *_grain_conditions(c, f, _mask(f) | bits[b]))):
            out[b][f"{month:%Y-%m}"][key or "—"] = n
    out["total"] = {f"{m:%Y-%m}": n for m, n in db.session.execute(
        select(c.month, c.n).where(*period, *_grain_conditions(c, f, _mask(f))))}
    return out


def coverage_tables(f: Filters, today: dt.date, by: tuple = ("country", "group")) -> dict:
    """{"coverage_country": Table, "coverage_group": Table}: at most nine columns each, the rest
    summed as "Others", and the total of prisoners covered (each once)."""
    data = coverage_over_time(f, today, by)
    tables = {}
    for b in by:
        counts = data[b]
        ordered = sorted({k for c in counts.values() for k in c}, key=lambda k: (-sum(c.get(k, 0) for c in counts.values()), k))
        keys, rest = ordered[:9], ordered[9:]
        header = [_("Month"), *keys, *([_("Others")] if rest else []), _("All (each prisoner once)")]
        rows = [[m, *[counts.get(m, {}).get(k, 0) for k in keys],
                 *([sum(counts.get(m, {}).get(k, 0) for k in rest)] if rest else []), data["total"].get(m, 0)]
                for m in data["months"]]
        title = {"country": _("Prisoners with a godparent at the end of each month, by the godparent's country"),
                 "group": _("Prisoners with a godparent at the end of each month, by the godparent's political group")}[b]
        tables[f"coverage_{b}"] = Table(f"coverage_{b}", title, header, rows)
    return tables


# -- the snapshot: refresh ------------------------------------------------------------------
# The roll-ups are INSERT ... SELECT statements run on one connection (the session's, or the
# migration's when i18b fills them for existing data): no rows travel through Python.
def _month_of(conn, col):
    """The first day of ``col``'s month, in SQL."""
    if conn.dialect.name == "postgresql":
        return func.cast(func.date_trunc("month", col), Date)
    return func.date(col, "start of month")


def _insert(conn, model, select_stmt, columns):
    conn.execute(model.__table__.insert().from_select(columns, select_stmt))


def _bulk_insert(conn, table, columns, rows):
    """Many rows at once: COPY on PostgreSQL (in the same transaction), executemany elsewhere."""
    if conn.dialect.name == "postgresql":
        with conn.connection.dbapi_connection.cursor() as cur:
            with cur.copy(f'COPY {table.name} ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])


def _left_out(dims):
    """GROUPING() of the dimensions, highest bit first, so ``ALL_DIMS`` minus it is the grain."""
    return func.grouping(dims[PARLIAMENT], dims[GROUP], dims[COUNTRY])


def _grains_from_finest(conn, model, value_cols, extra_cols):
    """Insert the rows of every coarser grain, summed from the ``ALL_DIMS`` rows of ``model``."""
    dims = {COUNTRY: model.country, GROUP: model.political_group, PARLIAMENT: model.parliament}
    columns = ["grain", *[c.key for c in extra_cols], "country", "political_group", "parliament",
               *[v.key for v in value_cols]]
    if conn.dialect.name == "postgresql":  # one pass: GROUP BY CUBE, the finest grain left out
        stmt = (select(literal(ALL_DIMS) - _left_out(dims), *extra_cols, *dims.values(), *[func.sum(v) for v in value_cols])
                .where(model.grain == ALL_DIMS).group_by(*extra_cols, func.cube(*dims.values()))
                .having(_left_out(dims) > 0))
        _insert(conn, model, stmt, columns)
        return
    for grain in GRAINS[:-1]:
        keep = [col if grain & bit else literal(None, col.type) for bit, col in dims.items()]
        keys = [col for bit, col in dims.items() if grain & bit]
        stmt = (select(literal(grain), *extra_cols, *keep, *[func.sum(v) for v in value_cols])
                .where(model.grain == ALL_DIMS).group_by(*extra_cols, *keys))
        _insert(conn, model, stmt, ["grain", *[c.key for c in extra_cols], "country", "political_group", "parliament",
                                    *[v.key for v in value_cols]])


def _refresh_statements(conn):
    month = _month_of(conn, Statement.made_on)
    pa = Parliamentarian
    dims = {COUNTRY: pa.country, GROUP: pa.political_group, PARLIAMENT: pa.parliament}
    columns = ["grain", "month", "kind", "country", "political_group", "parliament", "n"]
    stmt = (select(literal(ALL_DIMS), month, Statement.kind, *dims.values(), func.count())
            .join(Pairing, Pairing.id == Statement.pairing_id).join(pa, pa.id == Pairing.parliamentarian_id))
    if conn.dialect.name == "postgresql":  # every grain in one pass over the statements
        stmt = stmt.with_only_columns(literal(ALL_DIMS) - _left_out(dims), month, Statement.kind, *dims.values(),
                                      func.count()).group_by(month, Statement.kind, func.cube(*dims.values()))
        _insert(conn, StatementMonth, stmt, columns)
        return
    _insert(conn, StatementMonth, stmt.group_by(month, Statement.kind, *dims.values()), columns)
    _grains_from_finest(conn, StatementMonth, [StatementMonth.n], [StatementMonth.month, StatementMonth.kind])


def _refresh_godparents(conn):
    month = _month_of(conn, Statement.made_on)
    _insert(conn, GodparentMonth, select(Pairing.parliamentarian_id, month, func.count(), func.max(Statement.made_on))
            .join(Statement, Statement.pairing_id == Pairing.id).group_by(Pairing.parliamentarian_id, month),
            ["parliamentarian_id", "month", "n", "last_on"])
    pa = Parliamentarian
    last = (select(func.max(GodparentMonth.last_on)).where(GodparentMonth.parliamentarian_id == pa.id)
            .scalar_subquery())
    active = (select(Pairing.id).where(Pairing.parliamentarian_id == pa.id, Pairing.status == PairingStatus.ACTIVE)
              .exists())
    _insert(conn, GodparentFact, select(pa.id, pa.full_name, pa.email, pa.country, pa.parliament, pa.political_group,
                                        last, active),
            ["parliamentarian_id", "full_name", "email", "country", "parliament", "political_group",
             "last_statement_on", "has_active_pairing"])


def _refresh_prisoners(conn):
    pa = Parliamentarian
    last = select(func.max(Statement.made_on)).where(Statement.pairing_id == Pairing.id).scalar_subquery()
    _insert(conn, ActivePairingFact,
            select(Pairing.id, Pairing.prisoner_id, Pairing.parliamentarian_id, pa.country, pa.parliament,
                   pa.political_group, last)
            .join(pa, pa.id == Pairing.parliamentarian_id).where(Pairing.status == PairingStatus.ACTIVE),
            ["pairing_id", "prisoner_id", "parliamentarian_id", "country", "parliament", "political_group",
             "last_statement_on"])
    a = ActivePairingFact
    per_prisoner = (select(a.prisoner_id, func.max(a.last_statement_on).label("last_on"))
                    .group_by(a.prisoner_id).subquery())
    _insert(conn, PrisonerFact,
            select(Prisoner.id, Prisoner.name, Prisoner.is_humanitarian, Prisoner.detained_on, per_prisoner.c.last_on)
            .join(per_prisoner, per_prisoner.c.prisoner_id == Prisoner.id)
            .where(Prisoner.status.in_(IN_CUSTODY), Prisoner.is_archived.is_(False)),
            ["prisoner_id", "name", "is_humanitarian", "detained_on", "last_statement_on"])


def _refresh_coverage(conn, today: dt.date):
    live = (PairingStatus.ACTIVE, PairingStatus.ENDED)
    first = conn.scalar(select(func.min(Pairing.started_on)).where(Pairing.status.in_(live)))
    if first is None or first > today:
        return
    months = months_between(first, today)
    pa = Parliamentarian
    spans = (select(Pairing.prisoner_id, Pairing.started_on, Pairing.ended_on, pa.country, pa.political_group,
                    pa.parliament)
             .join(pa, pa.id == Pairing.parliamentarian_id)
             .where(Pairing.status.in_(live), Pairing.started_on.is_not(None))
             .subquery())
    dims = {COUNTRY: spans.c.country, GROUP: spans.c.political_group, PARLIAMENT: spans.c.parliament}
    for chunk in range(0, len(months), 12):  # a year of month-ends at a time: a small calendar to join
        part = months[chunk:chunk + 12]
        cal = union_all(*[select(literal(m).label("m"), literal(min(add_months(m, 1) - dt.timedelta(days=1), today)).label("d"))
                          for m in part]).subquery()
        on_day = and_(spans.c.started_on <= cal.c.d, or_(spans.c.ended_on.is_(None), spans.c.ended_on > cal.c.d))
        columns = ["grain", "month", "country", "political_group", "parliament", "n"]
        distinct = func.count(spans.c.prisoner_id.distinct())
        if conn.dialect.name == "postgresql":
            # every grain in one pass over the join
            stmt = (select(literal(ALL_DIMS) - _left_out(dims), cal.c.m, *dims.values(), distinct)
                    .select_from(cal).join(spans, on_day).group_by(cal.c.m, func.cube(*dims.values())))
            _insert(conn, CoverageMonth, stmt, columns)
            continue
        for grain in GRAINS:
            keys = [col for bit, col in dims.items() if grain & bit]
            keep = [col if grain & bit else literal(None, col.type) for bit, col in dims.items()]
            stmt = (select(literal(grain), cal.c.m, *keep, distinct)
                    .select_from(cal).join(spans, on_day).group_by(cal.c.m, *keys))
            _insert(conn, CoverageMonth, stmt, columns)


def refresh_rollups(conn, today: dt.date) -> None:
    """Replace every roll-up but the effectiveness facts, as of ``today``, on ``conn``."""
    for model in ROLLUPS:
        conn.execute(delete(model))
    _refresh_statements(conn)
    _refresh_godparents(conn)
    _refresh_prisoners(conn)
    _refresh_coverage(conn, today)


def refresh(today: dt.date, now: dt.datetime) -> EffectRefresh:
    """Recompute the whole snapshot as of ``today`` (replacing the previous one): statements per
    month, godparents' and prisoners' last statements, coverage per month and reminder
    effectiveness. Idempotent; on PostgreSQL refreshes take turns (an advisory lock), so two at
    once cannot both insert. Flushes; the caller commits, and readers see the old snapshot until
    then."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": REFRESH_LOCK})
    refresh_rollups(conn, today)
    done = _refresh_effectiveness(today, now)
    if conn.dialect.name == "postgresql":  # fresh rows: statistics now, not when autovacuum gets round to it
        for model in ROLLUPS + (EffectFact,):
            conn.execute(text(f"ANALYZE {model.__tablename__}"))
    forget_snapshot()  # read again on the next page: after the caller's commit
    return done


def _merge(intervals):
    out = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


def _subtract(lo, hi, blocked):
    """[lo, hi] minus merged, sorted ``blocked`` intervals (day ordinals, both ends included)."""
    out, cur = [], lo
    for b_lo, b_hi in blocked:
        if b_hi < cur:
            continue
        if b_lo > hi:
            break
        if b_lo > cur:
            out.append((cur, b_lo - 1))
        cur = max(cur, b_hi + 1)
        if cur > hi:
            break
    if cur <= hi:
        out.append((cur, hi))
    return out


def _intersect(a, b):
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


class _Months:
    """Month boundaries as day ordinals, for folding day intervals into months quickly."""

    def __init__(self, first: dt.date, last: dt.date):
        self.months = months_between(first, add_months(last, 1))
        self.starts = [m.toordinal() for m in self.months]

    def add(self, intervals, counter, key):
        """Add the days of ``intervals`` (ordinals) to ``counter[(month, *key)]``."""
        starts, months = self.starts, self.months
        for lo, hi in intervals:
            i = bisect.bisect_right(starts, lo) - 1
            while lo <= hi:
                upto = min(hi, starts[i + 1] - 1)
                counter[(months[i], *key)] += upto - lo + 1
                lo = upto + 1
                i += 1


def _refresh_effectiveness(today: dt.date, now: dt.datetime) -> EffectRefresh:
    """Recompute every effectiveness fact as of ``today`` (replacing the previous ones). Only
    windows closed by ``today`` count. Flushes, the caller commits."""
    last_day = (today - dt.timedelta(days=WINDOW_DAYS)).toordinal()  # last day whose window closed
    parl_key = {pid: (c, p, g) for pid, c, p, g in db.session.execute(
        select(Parliamentarian.id, Parliamentarian.country, Parliamentarian.parliament, Parliamentarian.political_group))}
    sent: dict[tuple, list[int]] = defaultdict(list)
    sent_rows = db.session.execute(
        select(Reminder.parliamentarian_id, Reminder.prisoner_id, Reminder.send_on, Reminder.kind)
        .where(Reminder.status == ReminderStatus.SENT)).all()
    for parl_id, prisoner_id, send_on, _ in sent_rows:
        sent[(parl_id, prisoner_id)].append(send_on.toordinal())
    said: dict[tuple, list[int]] = defaultdict(list)
    for parl_id, prisoner_id, made_on in db.session.execute(
            select(Pairing.parliamentarian_id, Pairing.prisoner_id, Statement.made_on)
            .join(Statement, Statement.pairing_id == Pairing.id)):
        said[(parl_id, prisoner_id)].append(made_on.toordinal())
    for days in said.values():
        days.sort()

    cases: dict[tuple, int] = defaultdict(int)
    followed: dict[tuple, int] = defaultdict(int)
    for parl_id, prisoner_id, send_on, kind in sent_rows:
        day = send_on.toordinal()
        if day > last_day:
            continue
        key = (first_of_month(send_on), kind, *parl_key[parl_id])
        cases[key] += 1
        days = said.get((parl_id, prisoner_id), [])
        i = bisect.bisect_left(days, day)
        if i < len(days) and days[i] <= day + WINDOW_DAYS:
            followed[key] += 1

    pairings = db.session.execute(
        select(Pairing.parliamentarian_id, Pairing.prisoner_id, Pairing.started_on, Pairing.ended_on)
        .where(Pairing.status.in_((PairingStatus.ACTIVE, PairingStatus.ENDED)), Pairing.started_on.is_not(None))).all()
    calendar = _Months(min((p.started_on for p in pairings), default=today), max(today, dt.date.fromordinal(last_day)))
    for parl_id, prisoner_id, started_on, ended_on in pairings:
        lo = started_on.toordinal()
        hi = min(last_day, ended_on.toordinal() - 1 if ended_on else last_day)
        if hi < lo:
            continue
        pair = (parl_id, prisoner_id)
        blocked = _merge((d, d + WINDOW_DAYS) for d in sent.get(pair, ()))
        free = _subtract(lo, hi, blocked)
        covered = _merge((d - WINDOW_DAYS, d) for d in said.get(pair, ()))
        key = (None, *parl_key[parl_id])
        calendar.add(free, cases, key)
        calendar.add(_intersect(free, covered), followed, key)

    conn = db.session.connection()
    conn.execute(delete(EffectFact))
    columns = ["grain", "month", "kind", "country", "parliament", "political_group", "cases", "followed"]
    rows = [(ALL_DIMS, k[0], k[1] and k[1].value, k[2], k[3], k[4], n, followed.get(k, 0)) for k, n in cases.items()]
    if rows:
        _bulk_insert(conn, EffectFact.__table__, columns, rows)
        _grains_from_finest(conn, EffectFact, [EffectFact.cases, EffectFact.followed], [EffectFact.month, EffectFact.kind])
    refresh = EffectRefresh(computed_on=today, finished_at=now, pairings=len(pairings))
    db.session.add(refresh)
    db.session.flush()
    return refresh


def last_refresh() -> EffectRefresh | None:
    return db.session.scalar(select(EffectRefresh).order_by(EffectRefresh.id.desc()).limit(1))


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The snapshot a page reads: its refresh's id, day and time."""
    id: int
    computed_on: dt.date
    finished_at: dt.datetime


def current_snapshot() -> Snapshot | None:
    """The last refresh, read again at most every ``IMPACT_SNAPSHOT_RECHECK_SECONDS`` per worker
    (a page view then costs no query of its own): another worker's refresh shows here within
    that time, this worker's own at once (``forget_snapshot``)."""
    now = time.monotonic()
    seen = current_app.extensions.get("impact_snapshot")
    if seen and now - seen[0] < current_app.config["IMPACT_SNAPSHOT_RECHECK_SECONDS"]:
        return seen[1]
    r = last_refresh()
    snapshot = Snapshot(r.id, r.computed_on, r.finished_at) if r else None
    current_app.extensions["impact_snapshot"] = (now, snapshot)
    return snapshot


def forget_snapshot() -> None:
    current_app.extensions.pop("impact_snapshot", None)


@dataclasses.dataclass
class Rate:
    kind: RuleKind | None
    cases: int
    followed: int

    @property
    def rate(self) -> float | None:
        return self.followed / self.cases if self.cases else None


@dataclasses.dataclass
class Effectiveness:
    base: Rate
    kinds: list  # [(Rate, ratio or None)]
    refresh: EffectRefresh | None


def effectiveness(f: Filters) -> Effectiveness:
    """Per reminder kind: cases, followed, rate, and the ratio to the base rate (None when the
    kind has fewer than ``MIN_CASES`` cases or there is no base rate), from the facts."""
    conds = [EffectFact.month >= first_of_month(f.start), EffectFact.month <= f.end,
             *_grain_conditions(EffectFact, f, _mask(f))]
    got = {kind: (c or 0, fo or 0) for kind, c, fo in db.session.execute(
        select(EffectFact.kind, func.sum(EffectFact.cases), func.sum(EffectFact.followed))
        .where(*conds).group_by(EffectFact.kind))}
    base = Rate(None, *got.get(None, (0, 0)))
    kinds = []
    for kind in RuleKind:
        r = Rate(kind, *got.get(kind, (0, 0)))
        ratio = None
        if r.cases >= MIN_CASES and base.rate:
            ratio = r.rate / base.rate
        kinds.append((r, ratio))
    return Effectiveness(base, kinds, last_refresh())


# -- tables (what the pages show, chart and CSV alike) --------------------------------------
def _pct(v):
    return None if v is None else f"{100 * v:.1f} %"


def statements_table(f: Filters, today: dt.date) -> Table:
    data = statements_per_month(f)
    header = [_("Month"), *[str(k.label) for k in data["kinds"]], _("Total")]
    rows = [[m, *[c.get(k, 0) for k in data["kinds"]], total] for m, c, total in data["rows"]]
    return Table("statements", _("Statements per month, by kind"), header, rows)


def effectiveness_table(f: Filters, today: dt.date) -> Table:
    eff = effectiveness(f)
    rows = [[str(BASE_LABEL), eff.base.cases, eff.base.followed, _pct(eff.base.rate), None]]
    for r, ratio in eff.kinds:
        if r.cases:
            rows.append([str(SHORT_LABELS[r.kind]), r.cases, r.followed, _pct(r.rate), None if ratio is None else f"{ratio:.2f}"])
    return Table("effectiveness", _("Statements within 14 days: after a reminder and without one"),
                 [_("Case"), _("Cases"), _("Followed"), _("Rate"), _("Ratio to base")], rows)


def godparents_table(f: Filters, today: dt.date) -> Table:
    rows = [[r.full_name, r.country, r.political_group or "", r.n, r.last_on.isoformat()] for r in godparents_ranked(f)]
    return Table("godparents", _("Most active godparents in the period"),
                 [_("Godparent"), _("Country"), _("Group"), _("Statements"), _("Last statement")], rows)


def _silent_table(days):
    def build(f: Filters, today: dt.date) -> Table:
        total, found = silent_godparents(f, today, days, limit=None)
        rows = [[r.full_name, r.country, r.political_group or "", r.last_on.isoformat() if r.last_on else _("never")]
                for r in found]
        return Table(f"silent{days}", ngettext("Godparents silent for %(num)s day (%(total)s)", "Godparents silent for %(num)s days (%(total)s)", days,
                              total=total),
                     [_("Godparent"), _("Country"), _("Group"), _("Last statement")], rows)
    return build


def prisoners_table(f: Filters, today: dt.date) -> Table:
    total, found = silent_prisoners(f, today, 90, limit=None)
    rows = [[r.name, _("yes") if r.is_humanitarian else "", r.last_on.isoformat() if r.last_on else _("never")]
            for r in found]
    return Table("prisoners", _("Prisoners whose godparents said nothing in 90 days (%(total)s)", total=total),
                 [_("Prisoner"), _("Humanitarian list"), _("Last statement of a godparent")], rows)


def _coverage_table(by):
    def build(f: Filters, today: dt.date) -> Table:
        return coverage_tables(f, today, (by,))[f"coverage_{by}"]
    return build


#: every table of the impact pages, by name (the CSV download looks them up here)
TABLES = {
    "statements": statements_table,
    "effectiveness": effectiveness_table,
    "godparents": godparents_table,
    "silent90": _silent_table(90),
    "silent180": _silent_table(180),
    "prisoners": prisoners_table,
    "coverage_country": _coverage_table("country"),
    "coverage_group": _coverage_table("group"),
}


def stacked_chart(t: Table, title: str):
    """Bars per first column, stacked by the middle columns (the last is the total)."""
    return charts.bar_chart([r[0] for r in t.rows], [(h, [r[i] for r in t.rows]) for i, h in enumerate(t.header[1:-1], 1)],
                            title=title)


def lines_chart(t: Table, title: str):
    return charts.line_chart([r[0] for r in t.rows], [(h, [r[i] for r in t.rows]) for i, h in enumerate(t.header[1:], 1)],
                             title=title)


def rates_chart(t: Table, title: str):
    rows = [r for r in t.rows if r[1]]
    return charts.hbar_chart([_("No recent reminder") if r[0] == str(BASE_LABEL) else r[0] for r in rows],
                             [round(100 * r[2] / r[1], 1) for r in rows], title=title, unit=" %")
