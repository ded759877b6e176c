"""Pre-aggregated facts for reminder effectiveness.

Effectiveness only counts cases whose 14-day window has closed, so facts computed once a day
are exact for that day. The base rate is measured over pairing-days (30,000 pairings at 10x
data are ~11 million pairing-days a year): too many to count per page view, so
``services.refresh_effectiveness`` folds reminders and pairing-days into one row per month,
reminder kind and godparent country / parliament / group, and the page sums those few rows.
"""
from sqlalchemy import Index

from advocacy.db_types import UTCDateTime, enum_type, utcnow
from advocacy.extensions import db
from advocacy.reminders.models import RuleKind


class EffectFact(db.Model):
    """Cases in one month for godparents of one country, parliament and group.

    ``kind`` set: ``cases`` sent reminders of that kind (by send day), ``followed`` of them
    followed by a statement within the window. ``kind`` NULL: the base rate, ``cases``
    pairing-days with no reminder sent in the previous 14 days, ``followed`` of them followed
    by a statement within the window."""

    __tablename__ = "impact_effect_facts"

    id = db.Column(db.Integer, primary_key=True)
    month = db.Column(db.Date, nullable=False)  # the first day of the month
    kind = db.Column(enum_type(RuleKind))
    country = db.Column(db.String(2), nullable=False)
    parliament = db.Column(db.String(120), nullable=False)
    political_group = db.Column(db.String(120))
    cases = db.Column(db.Integer, nullable=False)
    followed = db.Column(db.Integer, nullable=False)

    __table_args__ = (Index("ix_impact_effect_facts_month", "month"),)


class EffectRefresh(db.Model):
    """One computation of the facts: the day it was computed for, and when it finished."""

    __tablename__ = "impact_refreshes"

    id = db.Column(db.Integer, primary_key=True)
    computed_on = db.Column(db.Date, nullable=False)
    finished_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    pairings = db.Column(db.Integer, nullable=False, default=0)
