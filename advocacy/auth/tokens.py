"""Signed links mailed to a user (invitation, password reset, sign-in links).

The token carries the user id, the user's ``password_version`` and ``session_version``.
Setting a password bumps the first, so a link works once; "sign out everywhere", a role change,
deactivation and a password change bump the second, so every link mailed before is refused.
It also expires (``max_age``). New kinds of link use ``make_token(user, "<purpose>")`` and
``read_token(token, "<purpose>", max_age)``: the session version comes with them."""
import datetime as dt

from flask import current_app
from flask_babel import gettext as _
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
        raise TokenError(_("This link has expired. Ask for a new one.")) from exc
    except BadSignature as exc:
        raise TokenError(_("This link is not valid. Check that you copied all of it.")) from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("v") != (user.password_version or 0):
        raise TokenError(_("This link has already been used. Ask for a new one if you need it."))
    from advocacy.auth.services import session_version_matches

    if not session_version_matches(user, data.get("s")):
        raise TokenError(_("This link is no longer valid: the account was signed out everywhere or changed since. "
                         "Ask for a new one."))
    return user


# -- sign-in links (passwordless) ------------------------------------------------------------------
def _login_stamp(user: User) -> str:
    return user.last_login_at.isoformat() if user.last_login_at else ""


def _session_version(user: User) -> int:
    return int(getattr(user, "session_version", 0) or 0)


def make_sign_in_token(user: User, next_url: str | None = None) -> str:
    """A link that signs ``user`` in once. It carries the account's password and session
    versions (changing or resetting the password, or signing out everywhere, kills it) and the
    time of the last sign-in (signing in by any means uses it up)."""
    return _serializer("sign-in").dumps({"u": user.id, "v": user.password_version or 0, "s": _session_version(user),
                                         "l": _login_stamp(user), "n": next_url or ""})


def read_sign_in_token(token: str, max_age: int, now: dt.datetime | None = None) -> tuple[User, str]:
    s = _serializer("sign-in")
    try:
        data, signed_at = s.loads(token, return_timestamp=True)
    except BadSignature as exc:
        raise TokenError(_("This sign-in link is not valid. Check that you copied all of it.")) from exc
    now = now or dt.datetime.now(dt.timezone.utc)
    if (now - signed_at).total_seconds() > max_age:
        raise TokenError(_("This sign-in link has expired. Ask for a new one below."))
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active:
        raise TokenError(_("This sign-in link is not valid any more. Ask for a new one below."))
    if (data.get("v") != (user.password_version or 0) or data.get("s") != _session_version(user)
            or data.get("l") != _login_stamp(user)):
        raise TokenError(_("This sign-in link has already been used, or your password changed since it was sent. "
                         "Ask for a new one below."))
    return user, data.get("n") or ""


# -- onboarding: a parliamentarian who accepted an invitation and has no account yet -----------------
def make_onboarding_token(parliamentarian_id: int) -> str:
    return _serializer("onboarding").dumps({"m": parliamentarian_id})


def read_onboarding_token(token: str, max_age: int) -> int:
    try:
        data = _serializer("onboarding").loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError(_("This link has expired. Use the link in your invitation email again.")) from exc
    except BadSignature as exc:
        raise TokenError(_("This link is not valid. Check that you copied all of it.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        raise TokenError(_("This link is not valid."))
    return data["m"]
