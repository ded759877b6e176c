"""The one definition of what is public. Everything shown without login (pages, counts,
public export, API's public reads) goes through these selects.

A prisoner is public only with the family's consent AND public visibility, and not archived.
A pairing is public when its prisoner is and it is active. A statement is public when it is
marked public, verified by staff, and its prisoner is public.
"""
import datetime as dt
import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Facility, Prisoner, Visibility
from advocacy.statements.models import Statement


def public_prisoner_filter():
    return (Prisoner.visibility == Visibility.PUBLIC) & Prisoner.has_family_consent.is_(True) & \
        Prisoner.is_archived.is_(False)


def public_prisoners_select():
    return select(Prisoner).where(public_prisoner_filter())


def public_pairings_select(country: str | None = None, group: str | None = None):
    stmt = (select(Pairing).join(Pairing.prisoner).join(Pairing.parliamentarian)
            .where(public_prisoner_filter(), Pairing.status == PairingStatus.ACTIVE))
    if country:
        stmt = stmt.where(Parliamentarian.country == country)
    if group:
        stmt = stmt.where(Parliamentarian.political_group == group)
    return stmt


def public_statements_select():
    return (select(Statement).join(Statement.pairing).join(Pairing.prisoner)
            .where(public_prisoner_filter(), Statement.is_public.is_(True), Statement.verified_at.is_not(None)))


def public_prisoner(prisoner_id: int) -> Prisoner | None:
    return db.session.scalar(public_prisoners_select().where(Prisoner.id == prisoner_id))


def public_godparent(parliamentarian_id: int) -> Parliamentarian | None:
    """A parliamentarian is shown publicly only through a public pairing."""
    return db.session.scalar(
        select(Parliamentarian).where(Parliamentarian.id == parliamentarian_id,
                                      Parliamentarian.id.in_(public_pairings_select().with_only_columns(Pairing.parliamentarian_id))))


def campaign_prisoners(country=None, group=None, page=1, per_page=24):
    """Public prisoners with an active public pairing (filtered by godparent country/group),
    with their godparents, paginated, in a fixed number of queries."""
    ids_stmt = public_pairings_select(country, group).with_only_columns(Pairing.prisoner_id).distinct()
    stmt = (select(Prisoner).where(Prisoner.id.in_(ids_stmt))
            .order_by(Prisoner.is_humanitarian.desc(), Prisoner.detained_on.asc().nulls_last(), Prisoner.id))
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    ids = [p.id for p in pagination.items]
    godparents: dict[int, list] = {i: [] for i in ids}
    if ids:
        for pairing in db.session.scalars(public_pairings_select().where(Pairing.prisoner_id.in_(ids))
                                          .options(joinedload(Pairing.parliamentarian))
                                          .order_by(Pairing.started_on)):
            godparents[pairing.prisoner_id].append(pairing.parliamentarian)
    return pagination, godparents


def latest_statements(limit=10, prisoner_id=None, parliamentarian_id=None):
    stmt = public_statements_select().options(joinedload(Statement.pairing).joinedload(Pairing.parliamentarian),
                                              joinedload(Statement.pairing).joinedload(Pairing.prisoner))
    if prisoner_id:
        stmt = stmt.where(Pairing.prisoner_id == prisoner_id)
    if parliamentarian_id:
        stmt = stmt.where(Pairing.parliamentarian_id == parliamentarian_id)
    return db.session.scalars(stmt.order_by(Statement.made_on.desc(), Statement.id.desc()).limit(limit)).all()


def public_letter_address(prisoner: Prisoner) -> str | None:
    """The address to publish for letters: the facility's. A personal address recorded for a
    prisoner is shown to their godparents only, never on the public pages."""
    if prisoner.mailing_address or prisoner.facility is None:
        return None
    return prisoner.facility.address_cyrillic


def filter_choices():
    rows = db.session.execute(public_pairings_select().with_only_columns(
        Parliamentarian.country, Parliamentarian.political_group).distinct()).all()
    return sorted({r[0] for r in rows if r[0]}), sorted({r[1] for r in rows if r[1]})


def version_tag(*parts) -> str:
    """An ETag from what the public pages show: the last change and counts of public rows."""
    agg = db.session.execute(select(
        select(func.max(Prisoner.updated_at)).where(public_prisoner_filter()).scalar_subquery(),
        select(func.count(Prisoner.id)).where(public_prisoner_filter()).scalar_subquery(),
        select(func.max(Pairing.updated_at), ).scalar_subquery(),
        select(func.count(Pairing.id)).scalar_subquery(),
        select(func.max(Statement.updated_at)).scalar_subquery(),
        select(func.count(Statement.id)).scalar_subquery(),
        select(func.max(Facility.updated_at)).scalar_subquery(),  # the letter page shows its address
    )).one()
    raw = "|".join(str(x) for x in (*agg, *parts, dt.date.today()))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
