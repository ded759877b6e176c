"""The one permission check, safe redirects and security headers."""
import functools
from urllib.parse import urljoin, urlsplit

from flask import abort, request
from flask_login import current_user



def roles_required(*roles):
    """Allow the view only to logged-in users holding one of ``roles``.

    Anonymous users are sent to the login page (401 -> login_manager), others get 403.
    """
    allowed = {getattr(r, "value", r) for r in roles}  # Role members or their string values

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from advocacy.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role.value not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required("admin", "staff")
admin_required = roles_required("admin")
parliamentarian_required = roles_required("parliamentarian")


def is_safe_next(target: str | None) -> bool:
    """Only relative redirects to our own host: no scheme-relative ``//evil``, no backslashes."""
    if not target or "\\" in target or target.startswith("//"):
        return False
    host = urlsplit(request.host_url)
    test = urlsplit(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and test.netloc == host.netloc


def back_or(default: str) -> str:
    """Where to send the user back to: the page they came from if it is ours, else ``default``."""
    return request.referrer if is_safe_next(request.referrer) else default


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def refuse_nul_bytes():
    """A NUL character in a form or query value cannot be stored (PostgreSQL refuses it) and is
    never legitimate input: answer 400 before any view sees it."""
    if b"\x00" in request.query_string or b"%00" in request.query_string:
        abort(400, "The request contains a NUL character.")
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if any("\x00" in v for v in request.form.values()):
            abort(400, "The form contains a NUL character.")
