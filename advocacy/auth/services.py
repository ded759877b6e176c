"""Authentication logic: plain functions, no request."""
import datetime as dt

from sqlalchemy import func

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


def home_endpoint(user: User) -> str:
    return "dashboard.index" if user.is_staff else "portal.index"


class AccountError(ValueError):
    """A refused account change; the message is for the person."""


def create_godparent_account(parliamentarian, *, password: str | None = None) -> User:
    """The account of a parliamentarian who accepted an invitation, linked to their record.
    With no password they sign in by emailed links until they choose one. Flushes."""
    from advocacy.auth.models import Role

    if parliamentarian.user is not None:
        raise AccountError("You already have an account: sign in with your password or ask for a sign-in link.")
    if not parliamentarian.email:
        raise AccountError("We have no email address for you; please write to the campaign team.")
    if find_user_by_email(parliamentarian.email) is not None:
        raise AccountError("An account with your email address already exists: sign in, or ask for a sign-in link.")
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
