"""The public campaign report: figures, a chart over time, a table by country and a timeline per
public prisoner. Built only from the report selects of ``advocacy.public.services`` (public
prisoners, their active and ended pairings, hearings, verdicts, status history, public
statements), so nothing private can move a figure."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from advocacy import charts
from advocacy.charts import Table
from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners import timeline
from advocacy.prisoners.models import FREED, KeyDate, Prisoner, PrisonerStatusChange
from advocacy.public.services import (
    public_prisoner_filter, public_statements_select, report_key_dates_select, report_pairings_select,
    report_status_changes_select,
)
from advocacy.statements.models import Statement

CHART_MONTHS = 24
TIMELINES_PER_PAGE = 25


def _pairings():
    return report_pairings_select().subquery()


def figures(today: dt.date) -> dict:
    """The headline figures: one pass over the report's pairings, one over public statements."""
    p = _pairings()
    active_parl = case((p.c.status == PairingStatus.ACTIVE, p.c.parliamentarian_id))
    released = case((and_(Prisoner.status.in_(FREED), Prisoner.status_on.is_not(None), p.c.started_on <= Prisoner.status_on,
                          or_(p.c.ended_on.is_(None), p.c.ended_on >= Prisoner.status_on)), Prisoner.id))
    row = db.session.execute(
        select(func.count(func.distinct(p.c.parliamentarian_id)), func.count(func.distinct(active_parl)),
               func.count(func.distinct(Parliamentarian.country)), func.count(func.distinct(Parliamentarian.parliament)),
               func.count(func.distinct(p.c.prisoner_id)), func.count(func.distinct(released)))
        .select_from(p).join(Parliamentarian, Parliamentarian.id == p.c.parliamentarian_id)
        .join(Prisoner, Prisoner.id == p.c.prisoner_id)).one()
    keys = ("godparents", "godparents_now", "countries", "parliaments", "prisoners", "released_with_godparent")
    return dict(zip(keys, (v or 0 for v in row)))


def summary(today: dt.date) -> tuple[dict, dict]:
    """(figures, tables) of the report. Statements this year are summed from the monthly table
    (it covers the last 24 months), not counted a second time."""
    tables = {name: build(today) for name, build in TABLES.items()}
    f = figures(today)
    f["statements_this_year"] = sum(n for month, n in tables["statements"].rows if month.startswith(f"{today.year}-"))
    return f, tables


def _months(today: dt.date, n: int) -> list[str]:
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def statements_by_month(today: dt.date) -> Table:
    months = _months(today, CHART_MONTHS)
    first = dt.date.fromisoformat(months[0] + "-01")
    sub = public_statements_select().where(Statement.made_on >= first, Statement.made_on <= today).subquery()
    # Grouped by day (no function per row), folded into months here.
    counts: dict[str, int] = defaultdict(int)
    for day, n in db.session.execute(select(sub.c.made_on, func.count()).group_by(sub.c.made_on)):
        counts[f"{day:%Y-%m}"] += n
    return Table("statements", _("Public statements per month"), [_("Month"), _("Statements")],
                 [[m, counts.get(m, 0)] for m in months])


def by_country(today: dt.date) -> Table:
    p = _pairings()
    rows = db.session.execute(
        select(Parliamentarian.country, func.count(func.distinct(p.c.parliamentarian_id)),
               func.count(func.distinct(p.c.prisoner_id)))
        .join(p, p.c.parliamentarian_id == Parliamentarian.id).group_by(Parliamentarian.country)).all()
    sub = public_statements_select().where(Statement.made_on >= today.replace(month=1, day=1),
                                           Statement.made_on <= today).subquery()
    said = dict(db.session.execute(
        select(Parliamentarian.country, func.count()).select_from(sub)
        .join(Pairing, Pairing.id == sub.c.pairing_id).join(Parliamentarian, Parliamentarian.id == Pairing.parliamentarian_id)
        .group_by(Parliamentarian.country)).all())
    table = sorted(([c, g, n, said.get(c, 0)] for c, g, n in rows), key=lambda r: (-r[1], r[0]))
    return Table("countries", _("By country of the godparents"),
                 [_("Country"), _("Godparents"), _("Prisoners stood by"), _("Statements in %(year)s", year=today.year)], table)


TABLES = {"statements": statements_by_month, "countries": by_country}


def statements_chart(t: Table):
    return charts.bar_chart([r[0] for r in t.rows], [(_("Statements"), [r[1] for r in t.rows])],
                            title=_("Public statements per month"))


def timelines(today: dt.date, page: int = 1):
    """Public prisoners with a godparent (ever), a page at a time, each with their timeline."""
    ids_stmt = report_pairings_select().with_only_columns(Pairing.prisoner_id).distinct()
    stmt = select(Prisoner).where(Prisoner.id.in_(ids_stmt)).order_by(Prisoner.name, Prisoner.id)
    pagination = db.paginate(stmt, page=page, per_page=TIMELINES_PER_PAGE, error_out=False)
    return pagination, events_for([p for p in pagination.items], today)


def events_for(prisoners, today: dt.date) -> dict:
    """{prisoner id: [timeline.Event]} from the report selects only, in five queries."""
    ids = [p.id for p in prisoners]
    if not ids:
        return {}
    kds, scs, prs, sts = (defaultdict(list) for _ in range(4))
    for kd in db.session.scalars(report_key_dates_select().where(KeyDate.prisoner_id.in_(ids))):
        kds[kd.prisoner_id].append(kd)
    for sc in db.session.scalars(report_status_changes_select().where(PrisonerStatusChange.prisoner_id.in_(ids))):
        scs[sc.prisoner_id].append(sc)
    for pr in db.session.scalars(report_pairings_select().where(Pairing.prisoner_id.in_(ids))
                                 .options(joinedload(Pairing.parliamentarian))):
        prs[pr.prisoner_id].append(pr)
    for st in db.session.scalars(public_statements_select().where(Pairing.prisoner_id.in_(ids))
                                 .options(joinedload(Statement.pairing).joinedload(Pairing.parliamentarian))):
        sts[st.pairing.prisoner_id].append(st)
    return {p.id: timeline.build(p, key_dates=kds[p.id], status_changes=scs[p.id], pairings=prs[p.id],
                                 statements=sts[p.id], today=today) for p in prisoners}
