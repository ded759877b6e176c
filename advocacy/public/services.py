"""The one definition of what is public. Everything shown without login (pages, counts,
public export, API's public reads) goes through these selects.

A prisoner is public only with the family's consent AND public visibility, and not archived.
A pairing is public when its prisoner is and it is active. A statement is public when it is
marked public, verified by staff, and its prisoner is public.

The campaign report (``/campaign/report``) and the public timelines may use, and only use:
public prisoners; their pairings that are active or ended (never invited or declined ones);
their hearings and verdicts (key dates of kind trial, appeal, verdict, without notes); their
status history (without notes); and public statements. Every report figure is computed from
these selects alone, so no figure changes when a private row changes.
"""
import datetime as dt

from sqlalchemy import event, select
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Facility, KeyDate, KeyDateKind, Prisoner, PrisonerStatusChange, Visibility
from advocacy.public.models import PublicDataVersion
from advocacy.sql import bump_counter, counter_value
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


def public_prisoner(public_id: str) -> Prisoner | None:
    """By its random public id only: the internal integer id never appears publicly."""
    return db.session.scalar(public_prisoners_select().where(Prisoner.public_id == public_id))


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


# -- the public-data version ---------------------------------------------------------------------
#
# One row, ``public_data_version`` (id 1), whose ``version`` goes up in the same transaction as
# any change to public data, and only then. Reading it is one primary-key lookup, so the ETag of
# public pages (and any cache of them) can key on it cheaply. Nothing else about private work
# (a private pairing, a statement verified on a private case) moves it: that was the side channel.
#
# How changes are caught (``install()`` hooks every Session):
# - unit-of-work changes (add, attribute change, delete): ``before_flush`` asks the database
#   whether any changed row is public *before* the flush, ``after_flush`` whether any is public
#   *after* it; either way the version is bumped through the same connection.
# - ORM bulk statements (``session.execute(update(Prisoner).where(...))``, ``delete(...)``):
#   ``do_orm_execute`` collects the ids the WHERE clause matches, checks them before and after.
# Publicness is judged by the selects above, the one definition of what is public.
# - rows inserted around the ORM (the imports' COPY): the writer calls ``note_bulk_insert``.
# Not caught: raw SQL text and changes made outside SQLAlchemy (psql); bump by hand after those
# with ``bump_public_data_version()`` and commit (README, "Deploying safely").

def _public_ids(model, ids):
    """A select of those ``ids`` of ``model`` whose rows the public pages show."""
    if model is Prisoner:
        return select(Prisoner.id).where(public_prisoner_filter(), Prisoner.id.in_(ids))
    if model is Pairing:
        # Active pairings are on the public pages; ended ones of public prisoners in the report
        # and the public timelines.
        return (public_pairings_select().with_only_columns(Pairing.id).where(Pairing.id.in_(ids))
                .union(report_pairings_select().with_only_columns(Pairing.id).where(Pairing.id.in_(ids))))
    if model is Facility:  # the public letter page shows the address of a public prisoner's facility
        return (select(Facility.id).join(Prisoner, Prisoner.facility_id == Facility.id)
                .where(public_prisoner_filter(), Facility.id.in_(ids)))
    if model is KeyDate:
        return report_key_dates_select().with_only_columns(KeyDate.id).where(KeyDate.id.in_(ids))
    if model is PrisonerStatusChange:
        return report_status_changes_select().with_only_columns(PrisonerStatusChange.id) \
            .where(PrisonerStatusChange.id.in_(ids))
    if model is Statement:
        return public_statements_select().with_only_columns(Statement.id).where(Statement.id.in_(ids))
    if model is Parliamentarian:
        return public_pairings_select().with_only_columns(Pairing.parliamentarian_id) \
            .where(Pairing.parliamentarian_id.in_(ids))
    raise TypeError(model)


PUBLIC_MODELS = (Prisoner, Pairing, Statement, Parliamentarian, KeyDate, PrisonerStatusChange, Facility)
_BY_TABLE = {m.__table__.name: m for m in PUBLIC_MODELS}


def _any_public(session, model, ids) -> bool:
    ids = [i for i in ids if i is not None]
    return bool(ids) and session.execute(_public_ids(model, ids).limit(1)).first() is not None


def public_data_version() -> int:
    """The current public-data version: one primary-key read. 0 before any public change."""
    return counter_value(PublicDataVersion)


def committed_public_data_version() -> int:
    """The last committed public-data version, read outside the session's transaction: one round
    trip on an autocommit connection (no BEGIN, no ROLLBACK), for the public pages' cache key.
    A request that wrote public data in its own open transaction must use
    ``public_data_version()``."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return conn.scalar(select(PublicDataVersion.version).where(PublicDataVersion.id == 1)) or 0


def bump_public_data_version(session=None, *, now: dt.datetime | None = None) -> None:
    """Count one change to public data, in the caller's transaction (the row stays locked until
    it commits, so two writers cannot both read the same version)."""
    bump_counter(PublicDataVersion, session, now=now)


def note_bulk_insert(model, ids, session=None) -> None:
    """Rows inserted around the ORM (imports' COPY, ``advocacy.sql.bulk_insert``) get no flush
    event: their writer calls this in the same transaction, and the version moves if any of
    them is public."""
    session = session or db.session
    from advocacy.staff_version import mark_changed

    mark_changed(session, model.__table__.name)
    if model in PUBLIC_MODELS and _any_public(session, model, list(ids)):
        bump_public_data_version(session)


def _before_flush(session, flush_context, instances):
    changed, after = {}, []
    for obj in (*session.new, *session.dirty, *session.deleted):
        model = type(obj)
        if model not in PUBLIC_MODELS or (obj in session.dirty and not session.is_modified(obj)):
            continue
        if obj not in session.new:
            changed.setdefault(model, set()).add(obj.id)
        if obj not in session.deleted:
            after.append(obj)
    public = session.info.pop("_public_changed", False)
    with session.no_autoflush:
        public = public or any(_any_public(session, m, ids) for m, ids in changed.items())
    session.info["_public_changed"] = public
    session.info["_public_after"] = after


def _after_flush(session, flush_context):
    public = session.info.pop("_public_changed", False)
    after = session.info.pop("_public_after", [])
    if not public:
        by_model = {}
        for obj in after:
            by_model.setdefault(type(obj), set()).add(obj.id)
        public = any(_any_public(session, m, ids) for m, ids in by_model.items())
    if public:
        bump_public_data_version(session)


def _on_orm_execute(state):
    if not (state.is_update or state.is_delete):
        return None
    model = _BY_TABLE.get(getattr(state.statement.table, "name", None))
    if model is None:
        return None
    session = state.session
    where = state.statement.whereclause
    ids = session.execute(select(model.id).where(where) if where is not None else select(model.id)).scalars().all()
    was_public = _any_public(session, model, ids)
    result = state.invoke_statement()
    if was_public or (state.is_update and _any_public(session, model, ids)):
        bump_public_data_version(session)
    return result


def install() -> None:
    """Attach the hooks to every Session (idempotent)."""
    from sqlalchemy.orm import Session

    for name, fn in (("before_flush", _before_flush), ("after_flush", _after_flush),
                     ("do_orm_execute", _on_orm_execute)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


# -- what the campaign report and the public timelines may use -------------------------------
REPORT_PAIRING_STATUSES = (PairingStatus.ACTIVE, PairingStatus.ENDED)
REPORT_KEY_DATE_KINDS = (KeyDateKind.TRIAL, KeyDateKind.APPEAL, KeyDateKind.VERDICT)


def report_pairings_select():
    """Active and ended pairings of public prisoners (with a start date)."""
    return (select(Pairing).join(Prisoner, Prisoner.id == Pairing.prisoner_id)
            .where(public_prisoner_filter(), Pairing.status.in_(REPORT_PAIRING_STATUSES), Pairing.started_on.is_not(None)))


def report_key_dates_select():
    """Hearings and verdicts of public prisoners."""
    return (select(KeyDate).join(Prisoner, Prisoner.id == KeyDate.prisoner_id)
            .where(public_prisoner_filter(), KeyDate.kind.in_(REPORT_KEY_DATE_KINDS)))


def report_status_changes_select():
    """Status history of public prisoners."""
    return (select(PrisonerStatusChange).join(Prisoner, Prisoner.id == PrisonerStatusChange.prisoner_id)
            .where(public_prisoner_filter()))
