"""Signed links mailed to a user (invitation, password reset, sign-in links).

The token carries the user id, the user's ``password_version`` and ``session_version``.
Setting a password bumps the first, so a link works once; "sign out everywhere", a role change,
deactivation and a password change bump the second, so every link mailed before is refused.
It also expires (``max_age``). New kinds of link use ``make_token(user, "<purpose>")`` and
``read_token(token, "<purpose>", max_age)``: the session version comes with them."""
import datetime as dt

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from advocacy.auth.models import User
from advocacy.extensions import db
from advocacy.security import signing_keys


class TokenError(ValueError):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(), salt=f"advocacy-{purpose}")


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "v": user.password_version or 0, "s": user.session_version or 0})


def read_token(token: str, purpose: str, max_age: int, now: dt.datetime | None = None) -> User:
    s = _serializer(purpose)
    try:
        if now is None:
            data = s.loads(token, max_age=max_age)
        else:  # testable expiry: check the signature, then the age against the given time
            data, signed_at = s.loads(token, return_timestamp=True)
            if (now - signed_at).total_seconds() > max_age:
                raise SignatureExpired("expired")
    except SignatureExpired as exc:
        raise TokenError("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise TokenError("This link is not valid. Check that you copied all of it.") from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("v") != (user.password_version or 0):
        raise TokenError("This link has already been used. Ask for a new one if you need it.")
    from advocacy.auth.services import session_version_matches

    if not session_version_matches(user, data.get("s")):
        raise TokenError("This link is no longer valid: the account was signed out everywhere or changed since. "
                         "Ask for a new one.")
    return user
