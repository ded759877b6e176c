"""Throttling that an attacker cannot turn against a victim (password guessing, reset mails,
sign-in links, API tokens).

Flask-Limiter counts, in Redis in production (``RATELIMIT_STORAGE_URI``); when Redis is down it
logs a warning and counts in each worker's memory instead (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``),
so login keeps working. Three limits guard the login form, and only *failed* attempts count:

- per (account, client): one client guessing one account (``LOGIN_LIMIT_ACCOUNT_CLIENT``);
- per client: one client guessing many accounts (``LOGIN_LIMIT_CLIENT``);
- per account, across all clients (``LOGIN_LIMIT_ACCOUNT``): guesses spread over many addresses.
  A browser where the account logged in before holds a signed *device cookie* and is exempt from
  this one, so an attacker who exhausts it cannot lock the owner out of their own devices
  (OWASP "device cookies").

"Client" is the address Werkzeug sees after ``ProxyFix`` strips ``PROXY_COUNT`` trusted proxies
(without it, everyone behind one proxy would share one counter, and one attacker would lock out
all of them; with too high a count, clients could pick their own address).
"""
from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from advocacy.extensions import limiter
from advocacy.security import signing_keys

DEVICE_COOKIE = "adv_device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def client_key() -> str:
    return f"client:{request.remote_addr or 'unknown'}"


def submitted_account() -> str:
    """The account a form names (its email, folded), "" if none."""
    return (request.form.get("email") or "").strip().lower()[:254]


def account_key() -> str:
    return f"account:{submitted_account()}"


def account_client_key() -> str:
    return f"account:{submitted_account()}|{client_key()}"


def failed_login(response) -> bool:
    """Only a wrong password counts (401); a successful login (302) or an incomplete form never does."""
    return response.status_code == 401


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(signing_keys(), salt="advocacy-device")


def device_cookie_value(user) -> str:
    """Signed proof that ``user`` logged in from this browser (void after "sign out everywhere")."""
    return _device_serializer().dumps({"e": user.email.lower(), "s": user.session_version or 0})


def trusted_device() -> bool:
    """The browser logged in to the submitted account before, and that account has not signed
    out everywhere since."""
    raw, account = request.cookies.get(DEVICE_COOKIE), submitted_account()
    if not raw or not account or len(raw) > 500:
        return False
    try:
        data = _device_serializer().loads(raw)
    except BadSignature:
        return False
    if not isinstance(data, dict) or data.get("e") != account:
        return False
    from advocacy.auth.services import find_user_by_email, session_version_matches

    user = find_user_by_email(account)
    return user is not None and session_version_matches(user, data.get("s"))


def _exempt_from_account_limit() -> bool:
    return not submitted_account() or trusted_device()  # no account named: the client limit is enough


def remember_device(response, user):
    response.set_cookie(DEVICE_COOKIE, device_cookie_value(user), max_age=DEVICE_MAX_AGE, httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False), samesite="Lax")
    return response


def _config(name):
    return lambda: current_app.config[name]


def guarded_by_account(account_client: str, client: str, account: str, deduct_when=failed_login):
    """The three limits above on a view's POSTs, reading their values from configuration keys.
    ``deduct_when=None`` counts every POST (e.g. each one sends a mail)."""
    def decorator(view):
        for limit, key, exempt in ((account_client, account_client_key, None), (client, client_key, None),
                                   (account, account_key, _exempt_from_account_limit)):
            view = limiter.limit(_config(limit), key_func=key, methods=["POST"], deduct_when=deduct_when,
                                 exempt_when=exempt)(view)
        return view
    return decorator
