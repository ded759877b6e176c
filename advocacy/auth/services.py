"""Authentication logic: plain functions, no request."""
import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import event, func
from sqlalchemy import inspect as sa_inspect

from advocacy.auth.models import User
from advocacy.extensions import db


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str, *, now: dt.datetime) -> User | None:
    """The user if the password matches and the account is active, else None (no hint which)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active or not user.check_password(password):
        return None
    user.last_login_at = now
    db.session.flush()
    return user


def user_for_session_id(session_id: str | None) -> User | None:
    """The active user a session or remember cookie names (``User.get_id()``), or None when the
    cookie is malformed, the account inactive, or its session version outdated."""
    user_id, _, version = (session_id or "").partition(".")
    if not (user_id.isdigit() and version.isdigit() and len(user_id) < 11 and len(version) < 11):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or not session_version_matches(user, int(version)):
        return None
    return user


def session_version_matches(user: User, version) -> bool:
    """THE check for anything that carries a session version: cookies, and every emailed link
    that signs in or acts for a user (``advocacy.auth.tokens.make_token`` embeds it, and
    ``read_token`` checks it with this). Embed ``user.session_version`` and check here."""
    return isinstance(version, int) and not isinstance(version, bool) and version == (user.session_version or 0)


def end_all_sessions(user: User) -> None:
    """"Sign out everywhere": every session, remember cookie and emailed link of ``user`` stops
    working. Flushes; the caller commits."""
    user.end_sessions()
    db.session.flush()


def home_endpoint(user: User) -> str:
    return "dashboard.index" if user.is_staff else "portal.index"


class AccountError(ValueError):
    """A refused account change; the message is for the person."""


def create_godparent_account(parliamentarian, *, password: str | None = None) -> User:
    """The account of a parliamentarian who accepted an invitation, linked to their record.
    With no password they sign in by emailed links until they choose one. Flushes."""
    from advocacy.auth.models import Role

    if parliamentarian.user is not None:
        raise AccountError(_("You already have an account: sign in with your password or ask for a sign-in link."))
    if not parliamentarian.email:
        raise AccountError(_("We have no email address for you; please write to the campaign team."))
    if find_user_by_email(parliamentarian.email) is not None:
        raise AccountError(_("An account with your email address already exists: sign in, or ask for a sign-in link."))
    user = User(email=parliamentarian.email, name=parliamentarian.full_name, role=Role.PARLIAMENTARIAN,
                parliamentarian_id=parliamentarian.id, is_active_account=True)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def sign_in(user: User, *, now: dt.datetime) -> None:
    """Record a sign-in (by password or by link). This also uses up every sign-in link sent
    before it. Flushes."""
    user.last_login_at = now
    db.session.flush()
#: a change to any of these ends the user's sessions (and, for role and account, API tokens)
_SESSION_ENDING = ("password_hash", "role", "is_active_account")
_TOKEN_ENDING = {"role": "the owner's role changed", "is_active_account": "the owner's account was deactivated"}


def _before_flush(session, flush_context, instances):
    """Whatever code changes a password, a role or the active flag (admin pages, reset links,
    CLI, API), the user's older sessions and links stop working, and a role change or
    deactivation revokes the user's API tokens, with the reason shown on the tokens page."""
    for user in [o for o in session.dirty if isinstance(o, User)]:
        state = sa_inspect(user)
        changed = [a for a in _SESSION_ENDING if state.attrs[a].history.has_changes()]
        if not changed:
            continue
        if not state.attrs["session_version"].history.has_changes():
            user.end_sessions()
        reasons = [_TOKEN_ENDING[a] for a in changed if a in _TOKEN_ENDING]
        if reasons:
            from advocacy.api.models import ApiToken

            with session.no_autoflush:
                for token in session.scalars(db.select(ApiToken).where(ApiToken.created_by_id == user.id,
                                                                       ApiToken.revoked_at.is_(None))):
                    token.revoked_at = dt.datetime.now(dt.timezone.utc)
                    token.revoked_reason = f"Revoked automatically: {', '.join(reasons)}."


def install() -> None:
    """Attach the hook to every Session (idempotent)."""
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
