"""Pre-aggregated impact figures: one snapshot, recomputed as a whole by ``services.refresh``
(``flask impact refresh``, the scheduler's hourly job, or the "Recompute now" button).

Every figure of the impact pages is read from these tables, so a page costs a few small indexed
reads whatever the data size, and every figure on a page is as of one moment: the last refresh
(``EffectRefresh``), shown on each page. A refresh replaces every row in one transaction.

Reminder effectiveness only counts cases whose 14-day window has closed, so facts computed once
a day are exact for that day. The base rate is measured over pairing-days (30,000 pairings at
10x data are ~11 million pairing-days a year): too many to count per page view.

**Grains.** Tables filtered by godparent country, group and parliament hold rows at several
grains: ``grain`` is a bit mask of the dimensions a row is broken down by (``COUNTRY`` 1,
``GROUP`` 2, ``PARLIAMENT`` 4); a dimension outside the mask is NULL and means "all". A NULL
``political_group`` inside the mask means "no group". All eight grains are kept (distinct
prisoner counts cannot be summed across them; additive counts could, but a filter then reads
only its own few rows).
"""
from sqlalchemy import Index

from advocacy.db_types import UTCDateTime, enum_type, utcnow
from advocacy.extensions import db
from advocacy.reminders.models import RuleKind
from advocacy.statements.models import StatementKind

COUNTRY, GROUP, PARLIAMENT = 1, 2, 4
ALL_DIMS = COUNTRY | GROUP | PARLIAMENT


class EffectFact(db.Model):
    """Cases in one month for godparents of one country, parliament and group (at ``grain``).

    ``kind`` set: ``cases`` sent reminders of that kind (by send day), ``followed`` of them
    followed by a statement within the window. ``kind`` NULL: the base rate, ``cases``
    pairing-days with no reminder sent in the previous 14 days, ``followed`` of them followed
    by a statement within the window."""

    __tablename__ = "impact_effect_facts"

    id = db.Column(db.Integer, primary_key=True)
    grain = db.Column(db.SmallInteger, nullable=False, default=ALL_DIMS)
    month = db.Column(db.Date, nullable=False)  # the first day of the month
    kind = db.Column(enum_type(RuleKind))
    country = db.Column(db.String(2))
    parliament = db.Column(db.String(120))
    political_group = db.Column(db.String(120))
    cases = db.Column(db.Integer, nullable=False)
    followed = db.Column(db.Integer, nullable=False)

    __table_args__ = (Index("ix_impact_effect_facts_grain", "grain", "country", "political_group", "parliament", "month"),)


class StatementMonth(db.Model):
    """Statements made in one month, of one kind, by godparents of one country / group /
    parliament (at ``grain``)."""

    __tablename__ = "impact_statement_months"

    id = db.Column(db.Integer, primary_key=True)
    grain = db.Column(db.SmallInteger, nullable=False)
    month = db.Column(db.Date, nullable=False)
    kind = db.Column(enum_type(StatementKind), nullable=False)
    country = db.Column(db.String(2))
    parliament = db.Column(db.String(120))
    political_group = db.Column(db.String(120))
    n = db.Column(db.Integer, nullable=False)

    __table_args__ = (Index("ix_impact_statement_months_grain", "grain", "country", "political_group", "parliament", "month"),)


class CoverageMonth(db.Model):
    """Prisoners with a godparent of one country / group / parliament (at ``grain``) on the
    last day of one month (the refresh day for its own month), each prisoner counted once."""

    __tablename__ = "impact_coverage_months"

    id = db.Column(db.Integer, primary_key=True)
    grain = db.Column(db.SmallInteger, nullable=False)
    month = db.Column(db.Date, nullable=False)
    country = db.Column(db.String(2))
    parliament = db.Column(db.String(120))
    political_group = db.Column(db.String(120))
    n = db.Column(db.Integer, nullable=False)

    __table_args__ = (Index("ix_impact_coverage_months_grain", "grain", "country", "political_group", "parliament", "month"),)


class GodparentMonth(db.Model):
    """One godparent's statements in one month (through any of their pairings)."""

    __tablename__ = "impact_godparent_months"

    parliamentarian_id = db.Column(db.Integer, primary_key=True)
    month = db.Column(db.Date, primary_key=True)
    n = db.Column(db.Integer, nullable=False)
    last_on = db.Column(db.Date, nullable=False)

    __table_args__ = (Index("ix_impact_godparent_months_month", "month", "parliamentarian_id"),)


class GodparentFact(db.Model):
    """Every parliamentarian as of the refresh: what the filters and lists show, their last
    statement (about anyone) and whether they had an active pairing."""

    __tablename__ = "impact_godparents"

    parliamentarian_id = db.Column(db.Integer, primary_key=True)
    full_name = db.Column(db.String(200), nullable=False)
    email = db.Column(db.String(254))
    country = db.Column(db.String(2))
    parliament = db.Column(db.String(120))
    political_group = db.Column(db.String(120))
    last_statement_on = db.Column(db.Date)
    has_active_pairing = db.Column(db.Boolean, nullable=False)

    __table_args__ = (Index("ix_impact_godparents_active_last", "has_active_pairing", "last_statement_on"),
                      Index("ix_impact_godparents_name", "full_name", "parliamentarian_id"))


class ActivePairingFact(db.Model):
    """An active pairing as of the refresh, its godparent's filter values and its last statement."""

    __tablename__ = "impact_active_pairings"

    pairing_id = db.Column(db.Integer, primary_key=True)
    prisoner_id = db.Column(db.Integer, nullable=False)
    parliamentarian_id = db.Column(db.Integer, nullable=False)
    country = db.Column(db.String(2))
    parliament = db.Column(db.String(120))
    political_group = db.Column(db.String(120))
    last_statement_on = db.Column(db.Date)

    __table_args__ = (Index("ix_impact_active_pairings_prisoner", "prisoner_id"),)


class PrisonerFact(db.Model):
    """A prisoner in custody (not archived) with an active godparent, as of the refresh, and the
    last statement made about them through an active pairing."""

    __tablename__ = "impact_prisoners"

    prisoner_id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    is_humanitarian = db.Column(db.Boolean, nullable=False)
    detained_on = db.Column(db.Date)
    last_statement_on = db.Column(db.Date)

    __table_args__ = (Index("ix_impact_prisoners_order", "is_humanitarian", "detained_on", "prisoner_id"),)


class EffectRefresh(db.Model):
    """One computation of the snapshot: the day it was computed for, and when it finished."""

    __tablename__ = "impact_refreshes"

    id = db.Column(db.Integer, primary_key=True)
    computed_on = db.Column(db.Date, nullable=False)
    finished_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    pairings = db.Column(db.Integer, nullable=False, default=0)
