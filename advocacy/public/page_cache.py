"""Rendered public pages from a shared cache, keyed on the public-data version.

The key is the public-data version (one primary-key read, bumped in the same transaction as any
change to public data: ``services.public_data_version``), the page and its arguments, and the
day ("days behind bars" changes at midnight). A change to public data therefore makes every
worker miss at once, whatever cache it uses: nothing is ever deleted, old keys expire.

Only anonymous visitors without a pending flash message get cached pages, because a logged-in
page carries a menu and a CSRF token, and a flash belongs to one visitor.

If the cache backend fails (Redis down), the page renders uncached and a warning is logged
(at most once a minute per worker); the visitor never sees an error.

In front of the shared cache each worker keeps the last pages it served in its own memory
(``local()``): since a key names one version of one page, a local copy can never be stale, and a
hit costs no round trip to Redis.
"""
import datetime as dt
import hashlib
import logging
import time

from flask import current_app, make_response, request, session
from flask_login import current_user

from cachelib import SimpleCache

from advocacy.extensions import cache
from advocacy.i18n import current_locale
from advocacy.public.services import committed_public_data_version

log = logging.getLogger(__name__)
_last_warning = [0.0]
LOCAL_MAX_BYTES = 512 * 1024  # the public export is larger: see local_large()
LOCAL_LARGE_ENTRIES = 2


def local() -> SimpleCache:
    """This worker's (this app's) copies: at most 300 pages."""
    return current_app.extensions.setdefault("page_cache_local", SimpleCache(threshold=300, default_timeout=24 * 3600))


def local_large() -> dict:
    """This worker's copies of bodies over ``LOCAL_MAX_BYTES`` (the public export: ~18 MB at 10x
    data), at most ``LOCAL_LARGE_ENTRIES``, kept as they are: a SimpleCache would pickle and
    unpickle them on every hit, the shared cache send them over the network."""
    return current_app.extensions.setdefault("page_cache_local_large", {})


def key(version: int, today: dt.date, *parts) -> str:
    """The cache key (and ETag) of a page: version, day and the page's own parts."""
    raw = "|".join(str(x) for x in (version, today.isoformat(), *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def cacheable() -> bool:
    return current_user.is_anonymous and not session.get("_flashes")


def _warn(action: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        log.warning("public page cache unavailable (%s: %s); rendering uncached", action, exc)


def get_or_render(cache_key: str, render):
    """The cached value under ``cache_key`` (this worker's copy, else the shared cache's), or
    ``render()`` stored in both. Returns ``(value, hit)``. Never raises because of the cache."""
    mine, large = local(), local_large()
    value = large.get(cache_key)
    if value is None:
        value = mine.get(cache_key)
    if value is not None:
        return value, True
    try:
        value = cache.get(cache_key)
    except Exception as exc:  # noqa: BLE001  any backend error: serve uncached, never a 500
        _warn("get", exc)
        return render(), False
    if value is None:
        hit, value = False, render()
        try:
            cache.set(cache_key, value)
        except Exception as exc:  # noqa: BLE001
            _warn("set", exc)
    else:
        hit = True
    if len(value) <= LOCAL_MAX_BYTES:
        mine.set(cache_key, value)
    else:
        while len(large) >= LOCAL_LARGE_ENTRIES:
            large.pop(next(iter(large)))  # the oldest: keys name one version, old ones are dead
        large[cache_key] = value
    return value, hit


def response(render, *key_parts, mimetype=None, headers=None, localized=True):
    """A public page or download: a 304 while nothing public changed (weak ETag), else the body
    from the cache, rendered by ``render()`` (a str) on a miss. ``render`` may abort(404).
    A ``localized`` page is cached once per language (data downloads are not localized)."""
    language = current_locale() if localized else ""
    etag = key(committed_public_data_version(), dt.date.today(), request.path, language, *key_parts)
    if request.if_none_match.contains_weak(etag):
        resp = make_response("", 304)
    elif cacheable():
        resp = make_response(get_or_render(etag, render)[0])
    else:
        resp = make_response(render())
    if mimetype:
        resp.mimetype = mimetype
    resp.headers.update(headers or {})
    resp.set_etag(etag, weak=True)
    # Anonymous pages are the same for everyone, but a browser or proxy must ask again every
    # time (a cheap 304 while nothing public changed): a withdrawn consent disappears at once.
    # A logged-in user's page gets "no-store" from advocacy.security.add_security_headers.
    resp.headers["Cache-Control"] = "public, no-cache"
    # the language comes from the switcher's cookie, else the browser's Accept-Language
    resp.headers["Vary"] = "Cookie, Accept-Language" if localized else "Cookie"
    return resp
