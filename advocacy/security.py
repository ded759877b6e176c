"""The one permission check, safe redirects, bounded integers and security headers."""
import functools
import re
from urllib.parse import unquote, urlsplit

from flask import abort, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

#: the largest id or number any column holds (PostgreSQL ``integer``); larger ones are refused
#: before they reach the database (PostgreSQL: NumericValueOutOfRange, SQLite: OverflowError).
MAX_DB_INT = 2**31 - 1


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


#: a same-origin relative path: one "/", then no second "/" or "\\"; nothing but printable ASCII
_SAFE_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*")


def is_safe_next(target: str | None) -> bool:
    """True only for a same-origin relative path such as ``/prisoners/?page=2``.

    Judged on the target itself, never on a URL joined with our host (``http:evil.com`` joins to
    ``http://host/evil.com`` but a browser reads it as ``http://evil.com``). Refused: any scheme
    (``http:``, ``javascript:``), scheme-relative ``//`` and ``/\\``, backslashes anywhere,
    whitespace and control characters (browsers strip tabs and newlines: ``/\t/evil.com``), and
    the same tricks percent-encoded in the path (``/%2f%2fevil.com``, ``/%5cevil.com``)."""
    if not isinstance(target, str) or not _SAFE_PATH.fullmatch(target) or "\\" in target:
        return False
    parts = urlsplit(target)
    path = unquote(parts.path)  # the query may hold an encoded space; the path may not
    if "\\" in path or path.startswith("//") or any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in path):
        return False
    return not parts.scheme and not parts.netloc


def back_or(default: str) -> str:
    """Where to send the user back to: the page they came from if it is ours, else ``default``."""
    ref = request.referrer or ""
    host = urlsplit(request.host_url)
    parts = urlsplit(ref)
    if (parts.scheme, parts.netloc) != (host.scheme, host.netloc):
        return default
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_safe_next(path) else default


def db_int(value) -> int:
    """``type=`` for ``request.args.get``/``request.form.get``: an integer a column can hold.

    Not a number: ``ValueError`` (Werkzeug then uses the default, as with ``type=int``). Out of
    range: 400, before the database sees it. The one way to read an integer from a request."""
    number = int(value)
    if not -MAX_DB_INT <= number <= MAX_DB_INT:
        abort(400, f"The number {str(value)[:30]} is out of range.")
    return number


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in every URL rule: an id larger than any row's id is simply not found (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


MIN_SECRET_BYTES = 32


def signing_keys() -> list:
    """The keys for every signed link (itsdangerous: oldest first, signs with the last). During a
    rotation ``SECRET_KEY_FALLBACKS`` holds the old keys, so links already mailed (unsubscribe,
    invitations) keep working; Flask does the same for session cookies."""
    from flask import current_app

    return [*(current_app.config.get("SECRET_KEY_FALLBACKS") or []), current_app.config["SECRET_KEY"]]


def secret_key_problems(key, fallbacks, root: str) -> list[str]:
    """Why production must not start with these secrets: a key shorter than 32 bytes, or one
    written anywhere in the repository's ``config/`` or ``tests/`` (a key anyone can read
    forges any session cookie: an admin's, offline)."""
    problems = []
    literals = _repository_text(root)
    for label, value in [("SECRET_KEY", key)] + [(f"SECRET_KEY_FALLBACKS[{i}]", k) for i, k in enumerate(fallbacks)]:
        raw = value.encode() if isinstance(value, str) else bytes(value or b"")
        if len(raw) < MIN_SECRET_BYTES:
            problems.append(f"{label} is {len(raw)} bytes; use at least {MIN_SECRET_BYTES} random bytes "
                            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        elif isinstance(value, str) and value in literals:
            problems.append(f"{label} is written in the repository (config/ or tests/); generate a new one")
    return problems


def _repository_text(root: str) -> str:
    import os

    chunks = []
    for folder in ("config", "tests"):
        for dirpath, _dirs, files in os.walk(os.path.join(root, folder)):
            for name in files:
                if name.endswith((".py", ".cfg", ".ini", ".toml", ".env", ".txt", ".json", ".yml", ".yaml", ".md")):
                    with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as fh:
                        chunks.append(fh.read())
    return "\n".join(chunks)


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
    # A signed-in user's pages hold private data: no browser or proxy may keep a copy.
    if current_user.is_authenticated or request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("ETag", None)
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
