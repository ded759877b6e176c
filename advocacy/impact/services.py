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
from collections import defaultdict
from types import SimpleNamespace

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import and_, delete, func, literal, or_, select, true, union_all
from sqlalchemy.orm import aliased

from advocacy import charts
from advocacy.charts import Table
from advocacy.extensions import db
from advocacy.impact.models import EffectFact, EffectRefresh
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import IN_CUSTODY, Prisoner
from advocacy.reminders.models import Reminder, ReminderStatus, RuleKind
from advocacy.statements.models import Statement, StatementKind

WINDOW_DAYS = 14
MIN_CASES = 20
MAX_MONTHS = 36
SILENT_DAYS = (90, 180)
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


def _parl_conditions(f: Filters, parl=Parliamentarian) -> list:
    conds = []
    if f.country:
        conds.append(parl.country == f.country)
    if f.group:
        conds.append(parl.political_group == f.group)
    if f.parliament:
        conds.append(parl.parliament == f.parliament)
    return conds


def filter_choices() -> dict:
    def values(col):
        return [v for v in db.session.scalars(select(col).distinct().order_by(col)) if v]
    return {"countries": values(Parliamentarian.country), "groups": values(Parliamentarian.political_group),
            "parliaments": values(Parliamentarian.parliament)}


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


# -- reminder effectiveness -------------------------------------------------------------------
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


def _by_month(intervals, counter, key):
    """Add the days of ``intervals`` (ordinals) to ``counter[(month, *key)]``."""
    for lo, hi in intervals:
        while lo <= hi:
            day = dt.date.fromordinal(lo)
            month_end = (add_months(day, 1) - dt.timedelta(days=1)).toordinal()
            upto = min(hi, month_end)
            counter[(first_of_month(day), *key)] += upto - lo + 1
            lo = upto + 1


def refresh_effectiveness(today: dt.date, now: dt.datetime) -> EffectRefresh:
    """Recompute every effectiveness fact as of ``today`` (replacing the previous ones). Only
    windows closed by ``today`` count. Idempotent; flushes, the caller commits."""
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
        _by_month(free, cases, key)
        _by_month(_intersect(free, covered), followed, key)

    db.session.execute(delete(EffectFact))
    rows = [dict(month=k[0], kind=k[1], country=k[2], parliament=k[3], political_group=k[4], cases=n,
                 followed=followed.get(k, 0)) for k, n in cases.items()]
    if rows:
        db.session.execute(EffectFact.__table__.insert(), rows)
    refresh = EffectRefresh(computed_on=today, finished_at=now, pairings=len(pairings))
    db.session.add(refresh)
    db.session.flush()
    return refresh


def last_refresh() -> EffectRefresh | None:
    return db.session.scalar(select(EffectRefresh).order_by(EffectRefresh.id.desc()).limit(1))


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
    conds = [EffectFact.month >= first_of_month(f.start), EffectFact.month <= f.end]
    if f.country:
        conds.append(EffectFact.country == f.country)
    if f.group:
        conds.append(EffectFact.political_group == f.group)
    if f.parliament:
        conds.append(EffectFact.parliament == f.parliament)
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
