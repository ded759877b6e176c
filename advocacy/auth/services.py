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
