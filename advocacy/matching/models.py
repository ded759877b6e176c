"""Matching: adjustable weights, prisoners who belong together, and stored coverage plans."""
from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from flask_babel import lazy_gettext as _l

from advocacy.db_types import LabelledEnum, UTCDateTime, enum_type, utcnow
from advocacy.extensions import db

#: (attribute, label, default, explanation) of every score part's weight
WEIGHTS = [
    ("w_uncovered", "No active godparent", 50.0, "the prisoner has nobody yet"),
    ("w_humanitarian", "Humanitarian list", 20.0, "serious illness, disability, over 60…"),
    ("w_detention", "Time detained (per year)", 3.0, "longer detention ranks higher, per year behind bars"),
    ("w_incommunicado", "Incommunicado", 10.0, "held without contact: public attention matters most"),
    ("w_language", "Shared language", 8.0, "the godparent speaks one of the prisoner's languages"),
    ("w_country", "Country link", 12.0, "the prisoner has ties with the godparent's country"),
    ("w_affinity", "Occupation ↔ committee", 10.0, "e.g. journalist ↔ culture/media, lawyer ↔ legal affairs"),
    ("w_load", "Current load (per adoption)", 6.0, "subtracted for each prisoner the godparent already has"),
    ("w_successor", "Same country and group (handover)", 25.0, "for a successor: same country, same group as before"),
]


class MatchingSettings(db.Model):
    __tablename__ = "matching_settings"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    default_capacity = db.Column(db.Integer, nullable=False, default=1)
    w_uncovered = db.Column(db.Float, nullable=False, default=50.0)
    w_humanitarian = db.Column(db.Float, nullable=False, default=20.0)
    w_detention = db.Column(db.Float, nullable=False, default=3.0)
    w_incommunicado = db.Column(db.Float, nullable=False, default=10.0)
    w_language = db.Column(db.Float, nullable=False, default=8.0)
    w_country = db.Column(db.Float, nullable=False, default=12.0)
    w_affinity = db.Column(db.Float, nullable=False, default=10.0)
    w_load = db.Column(db.Float, nullable=False, default=6.0)
    w_successor = db.Column(db.Float, nullable=False, default=25.0)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint("default_capacity >= 0", name="capacity_not_negative"),)

    def weights(self) -> dict:
        return {attr: getattr(self, attr) for attr, *_ in WEIGHTS}


class GodparentCapacity(db.Model):
    """How many new adoptions a parliamentarian may be invited to (overrides the default)."""

    __tablename__ = "godparent_capacities"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"),
                                   nullable=False, unique=True)
    capacity = db.Column(db.Integer, nullable=False)

    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity_not_negative"),)


class PrisonerLink(db.Model):
    """Prisoners who belong together (e.g. a married couple): planned with one godparent."""

    __tablename__ = "prisoner_links"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    prisoner_a_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"), nullable=False)
    prisoner_b_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"), nullable=False)
    note = db.Column(db.String(200))

    prisoner_a = db.relationship("Prisoner", foreign_keys=[prisoner_a_id])
    prisoner_b = db.relationship("Prisoner", foreign_keys=[prisoner_b_id])

    __table_args__ = (UniqueConstraint("prisoner_a_id", "prisoner_b_id", name="uq_prisoner_links_pair"),
                      CheckConstraint("prisoner_a_id < prisoner_b_id", name="ordered"))


class PlanStatus(LabelledEnum):
    DRAFT = ("draft", _l("Draft"))
    ACCEPTED = ("accepted", _l("Accepted"))


class CoveragePlan(db.Model):
    __tablename__ = "coverage_plans"
    __audited__ = True

    id = db.Column(db.Integer, primary_key=True)
    status = db.Column(enum_type(PlanStatus), nullable=False, default=PlanStatus.DRAFT)
    total_score = db.Column(db.Float, nullable=False, default=0)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    accepted_at = db.Column(UTCDateTime)

    items = db.relationship("CoveragePlanItem", back_populates="plan", cascade="all, delete-orphan",
                            order_by="CoveragePlanItem.score.desc()")


class CoveragePlanItem(db.Model):
    __tablename__ = "coverage_plan_items"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("coverage_plans.id", ondelete="CASCADE"), nullable=False)
    prisoner_id = db.Column(db.Integer, db.ForeignKey("prisoners.id", ondelete="CASCADE"), nullable=False)
    parliamentarian_id = db.Column(db.Integer, db.ForeignKey("parliamentarians.id", ondelete="CASCADE"), nullable=False)
    score = db.Column(db.Float, nullable=False)
    parts = db.Column(db.JSON, nullable=False, default=dict)
    is_selected = db.Column(db.Boolean, nullable=False, default=True)
    pairing_id = db.Column(db.Integer, db.ForeignKey("pairings.id", ondelete="SET NULL"))
    outcome = db.Column(db.String(300))

    plan = db.relationship("CoveragePlan", back_populates="items")
    prisoner = db.relationship("Prisoner")
    parliamentarian = db.relationship("Parliamentarian")

    __table_args__ = (Index("ix_coverage_plan_items_plan_id", "plan_id"),)
