"""The staff-data version, and staff figures cached on it.

One row, ``staff_data_version`` (id 1), whose ``version`` goes up in the same transaction as any
change to the registers the dashboard and the matching suggestions are computed from (prisoners,
parliamentarians, mandates, pairings, statements). A figure cached under (version, day, its own
arguments) is therefore never stale: a committed change moves the version together with the data,
so every worker misses at once; nothing is deleted, old keys expire.

How changes are caught (``install()`` hooks every Session):
- unit-of-work changes (add, attribute change, delete) of those models mark the session at
  flush time;
- ORM statements on their tables (``session.execute(update(Statement)...)``, ``delete``,
  ``insert``) mark it in ``do_orm_execute``;
- rows inserted around the ORM (the imports' COPY) are marked by their writer through
  ``advocacy.public.services.note_bulk_insert``, which calls ``mark_changed``.
A marked session bumps the version at commit (``before_commit``, after a last flush), so the
row is locked only for the commit itself, not for a long import or request transaction.
Not caught, as for the public-data version: raw SQL text and changes outside SQLAlchemy; run
``bump_staff_data_version()`` and commit after those.

Unlike the public-data version, this one may say that private work happened: it is never shown
to anyone but staff and never leaves the server (it is not an ETag).
"""
import datetime as dt
import hashlib
import hmac
import logging
import time

from flask import current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event

from advocacy.db_types import UTCDateTime
from advocacy.extensions import cache, db
from advocacy.sql import bump_counter, counter_value

log = logging.getLogger(__name__)
_last_warning = [0.0]


class StaffDataVersion(db.Model):
    """A single row (id 1). See the module's docstring."""
    __tablename__ = "staff_data_version"

    id = db.Column(db.Integer, primary_key=True)
    version = db.Column(db.BigInteger, nullable=False, default=1)
    changed_at = db.Column(UTCDateTime)


def _staff_tables() -> set[str]:
    """Every table a value or a page part cached on the version reads (see ``render_cached``)."""
    from advocacy.matching.models import GodparentCapacity, MatchingSettings, PrisonerLink
    from advocacy.names.models import NameVariant
    from advocacy.pairings.models import Pairing
    from advocacy.parliamentarians.models import Mandate, Parliamentarian
    from advocacy.prisoners.models import Facility, KeyDate, Prisoner, PrisonerStatusChange
    from advocacy.statements.models import Statement

    return {m.__table__.name for m in (Prisoner, Parliamentarian, Mandate, Pairing, Statement, Facility, KeyDate,
                                       PrisonerStatusChange, NameVariant, GodparentCapacity, PrisonerLink,
                                       MatchingSettings)}


_TABLES: set[str] = set()
_FLAG = "_staff_data_changed"


def staff_tables() -> set[str]:
    if not _TABLES:
        _TABLES.update(_staff_tables())
    return _TABLES


def staff_data_version(session=None) -> int:
    """The current staff-data version (one primary-key read), as this transaction sees it."""
    return counter_value(StaffDataVersion, session)


def bump_staff_data_version(session=None, *, now: dt.datetime | None = None) -> None:
    """Count one change to staff data, in the caller's transaction."""
    bump_counter(StaffDataVersion, session, now=now)


def mark_changed(session, table_name: str) -> None:
    """Rows of ``table_name`` changed in this session's transaction: bump at commit if it is
    one of the staff tables."""
    if table_name in staff_tables():
        session.info[_FLAG] = True


def _after_flush(session, flush_context):
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__tablename__", None)
        if table in staff_tables() and (obj not in session.dirty or session.is_modified(obj)):
            session.info[_FLAG] = True
            return


def _on_orm_execute(state):
    if state.is_update or state.is_delete or state.is_insert:
        mark_changed(state.session, getattr(state.statement.table, "name", None))


def _before_commit(session):
    session.flush()  # the last flush happens after this hook: its changes must count too
    if session.info.pop(_FLAG, False):
        bump_staff_data_version(session)


def _after_rollback(session, previous_transaction):
    if not session.in_transaction():  # the whole transaction, not a savepoint
        session.info.pop(_FLAG, None)


def install() -> None:
    """Attach the hooks to every Session (idempotent)."""
    from sqlalchemy.orm import Session

    for name, fn in (("after_flush", _after_flush), ("do_orm_execute", _on_orm_execute),
                     ("before_commit", _before_commit), ("after_soft_rollback", _after_rollback)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


# -- values cached on the version --------------------------------------------------------------
def _local():
    from cachelib import SimpleCache

    return current_app.extensions.setdefault("staff_cache_local", SimpleCache(threshold=500, default_timeout=3600))


def _warn(action: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        log.warning("staff figure cache unavailable (%s: %s); computing uncached", action, exc)


def cached(name: str, compute, *parts, today: dt.date):
    """``compute()`` (a picklable value) cached under the staff-data version, ``today`` and
    ``parts``: in this worker's memory, then in the shared cache (Redis in production). A cache
    that fails is skipped (the value is computed), never an error. A transaction that has
    changed staff data itself (not yet committed) computes: no cached value has seen its change."""
    version = staff_data_version()  # (autoflushes: pending changes mark the session first)
    if db.session.info.get(_FLAG):
        return compute()
    raw = "|".join(str(x) for x in (version, today.isoformat(), name, *parts))
    key = "staff:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
    mine = _local()
    value = mine.get(key)
    if value is not None:
        return value
    try:
        value = cache.get(key)
    except Exception as exc:  # noqa: BLE001  any backend error: compute, never a 500
        _warn("get", exc)
        value = None
    if value is None:
        value = compute()
        try:
            cache.set(key, value)
        except Exception as exc:  # noqa: BLE001
            _warn("set", exc)
    mine.set(key, value)
    return value


# -- page parts rendered once per version ------------------------------------------------------
def _csrf_hole() -> str:
    """What ``csrf_token()`` writes while a shared part is rendered: the same in every worker (a
    part rendered by one is served by all), not guessable (derived from SECRET_KEY), replaced by
    the reader's own token when the part is served."""
    hole = current_app.extensions.get("staff_csrf_hole")
    if hole is None:
        digest = hmac.new(str(current_app.secret_key).encode(), b"advocacy csrf hole", "sha256").hexdigest()[:32]
        hole = current_app.extensions["staff_csrf_hole"] = f"csrf-{digest}"
    return hole


def _csrf_token() -> str:
    """The ``csrf_token()`` of templates: the hole inside a shared part, else the session's token."""
    return g.get("_staff_csrf_hole") or generate_csrf()


def render_cached(template: str, context, *parts, today: dt.date) -> Markup:
    """``render_template(template, **context())``, rendered once per staff-data version, day,
    language, role, query string and ``parts`` (a portal page passes the user's id), and shared
    by every worker and every staff member (``cached``). ``context`` is called only on a miss, so
    the queries are skipped too.

    The part may hold POST forms: their ``csrf_token()`` is a hole filled with the reader's own
    token. Everything else in it must depend only on the key: no ``current_user`` details (keep
    a greeting outside, or pass what it shows in ``parts``), no ``form.csrf_token`` fields, no
    flashed messages (a view flashes before calling this), no clock finer than the day."""
    from advocacy.i18n import current_locale

    hole = _csrf_hole()

    def compute():
        g._staff_csrf_hole = hole
        try:
            html = render_template(template, **context())
        finally:
            g.pop("_staff_csrf_hole", None)
        token = g.get("csrf_token")
        if token and token in html:  # a form field rendered the reader's own token: never share it
            raise RuntimeError(f"{template}: a session's CSRF token in a shared part; use csrf_token()")
        return str(html)
    html = cached("html:" + template, compute, current_locale(), getattr(current_user.role, "value", ""),
                  sorted(request.args.items(multi=True)), *parts, today=today)
    if hole in html:
        html = html.replace(hole, generate_csrf())
    return Markup(html)


def init_app(app) -> None:
    app.jinja_env.globals["csrf_token"] = _csrf_token
