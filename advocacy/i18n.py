"""Languages: which locale a page or a mail is written in, and locale-aware formatting.

Flask-Babel translates; this module decides the locale:

- a signed-in user's own choice (``User.locale``; null means "no choice yet");
- otherwise the language switcher's cookie, then the browser's ``Accept-Language``;
- otherwise, for a parliamentarian, their own locale (see below); otherwise English.

Mail is written in the recipient's locale, inside or outside a request (the scheduler):
``mail_locale(parliamentarian=…, user=…)``. A parliamentarian's locale is the one staff or an
import set, else the one they chose in their profile, else their country's language
(``COUNTRY_LOCALES``), else English.

Catalogues live in ``advocacy/translations/<locale>/LC_MESSAGES/messages.po``; ``make
translations`` compiles them (``make run`` and ``make test`` do it too; .mo files are not
committed).
"""
from __future__ import annotations

import datetime as dt
import functools
import os

from babel import Locale, support
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, has_request_context, request
from flask.globals import _cv_app
from flask_babel import force_locale, get_locale, get_translations

#: the languages of the site and its mail, each named in its own language (for the switcher)
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "pl": "Polski", "lt": "Lietuvių"}
DEFAULT_LOCALE = "en"
#: a parliamentarian with no locale of their own gets their country's language
COUNTRY_LOCALES = {"DE": "de", "AT": "de", "FR": "fr", "BE": "fr", "LU": "fr", "PL": "pl", "LT": "lt"}
#: the cookie the switcher sets (a year; not a secret, so readable by the page)
COOKIE = "lang"
TRANSLATIONS_DIR = os.path.join(os.path.dirname(__file__), "translations")
#: English dates the European way ("5 Nov 2026"), the other languages as their own CLDR data says
_FORMAT_LOCALES = {"en": "en_GB"}


def check_locale(value: str | None) -> None:
    """The one rule for a locale given in a form, an import or the API."""
    if value and value not in LANGUAGES:
        from flask_babel import gettext

        raise ValueError(gettext("Choose one of these languages: %(codes)s.", codes=", ".join(LANGUAGES)))


def locale_for_country(country: str | None) -> str:
    return COUNTRY_LOCALES.get((country or "").upper(), DEFAULT_LOCALE)


def parliamentarian_locale(parl) -> str:
    """The language a parliamentarian is written to, with or without an account."""
    if parl is None:
        return DEFAULT_LOCALE
    if getattr(parl, "locale", None) in LANGUAGES:
        return parl.locale
    return locale_for_country(parl.country)


def user_locale(user) -> str | None:
    """A user's own choice, else None ("no choice yet")."""
    value = getattr(user, "locale", None)
    return value if value in LANGUAGES else None


def recipient_locale(*, parliamentarian=None, user=None) -> str:
    """The locale of a mail: the user's choice, else the parliamentarian's locale, else English."""
    chosen = user_locale(user) if user is not None else None
    if chosen:
        return chosen
    parl = parliamentarian if parliamentarian is not None else getattr(user, "parliamentarian", None)
    return parliamentarian_locale(parl) if parl is not None else DEFAULT_LOCALE


def mail_locale(*, parliamentarian=None, user=None):
    """``with mail_locale(parliamentarian=p):`` renders in the recipient's language."""
    return force_locale(recipient_locale(parliamentarian=parliamentarian, user=user))


def select_locale() -> str:
    """Flask-Babel's locale selector for requests (outside one: English, or a forced locale)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    from flask_login import current_user

    user = current_user._get_current_object() if current_user else None
    if user is not None and getattr(user, "is_authenticated", False):
        chosen = user_locale(user)
        if chosen:
            return chosen
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    best = request.accept_languages.best_match(list(LANGUAGES))
    if best:
        return best
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "parliamentarian", None):
        return parliamentarian_locale(user.parliamentarian)
    return DEFAULT_LOCALE


# -- the current catalogue, fast --------------------------------------------------------------
# Flask-Babel finds the catalogue anew on every call (context, domain, locale, its identifier,
# then a dict): about 7 us, paid some 200 times a page. ``_current()`` keeps (locale, code,
# catalogue) on Flask-Babel's own per-context namespace and reuses it while that namespace holds
# the same Locale object; ``force_locale`` (mail) puts in another object, so it is looked up anew,
# and again when the original comes back. Same catalogues and results as Flask-Babel's
# Jinja callables (see init_app).
_NULL = support.NullTranslations()


def _current():
    """(code, translations) for the locale being rendered now."""
    actx = _cv_app.get(None)
    ns = actx.g.__dict__.get("_flask_babel") if actx is not None else None
    if ns is not None:
        held = ns.__dict__.get("_advocacy_current")
        if held is not None and held[0] is ns.__dict__.get("babel_locale"):
            return held[1], held[2]
    loc = get_locale()  # creates the namespace and chooses the locale when needed
    if loc is None:  # no app context
        return DEFAULT_LOCALE, _NULL
    translations = get_translations()
    ns = actx.g.__dict__.get("_flask_babel")
    if ns is not None:
        ns._advocacy_current = (loc, str(loc), translations)
    return str(loc), translations


def current_locale() -> str:
    """The locale being rendered now, as a code ('de'), English outside a context."""
    return _current()[0]


@functools.lru_cache(maxsize=32)
def _format_locale(code: str) -> Locale:
    return Locale.parse(_FORMAT_LOCALES.get(code, code))


def format_locale() -> Locale:
    return _format_locale(current_locale())


@functools.lru_cache(maxsize=256)
def _skeleton_pattern(code: str, skeleton: str) -> str:
    """The CLDR pattern a locale writes ``skeleton`` with, matched once (as format_skeleton does)."""
    locale = _format_locale(code)
    if skeleton not in locale.datetime_skeletons:
        skeleton = babel_dates.match_skeleton(skeleton, locale.datetime_skeletons)
    return locale.datetime_skeletons[skeleton]


# -- formatting (Jinja filters; also used by Python code that writes text) ------------------
def format_date(value, skeleton: str = "yMMMd") -> str:
    """A date as the reader's language writes it: "5 Nov 2026", "5. Nov. 2026", "2026-11-05"."""
    if not value:
        return ""
    code = current_locale()
    pattern = _skeleton_pattern(code, skeleton)
    if isinstance(value, dt.datetime):
        return babel_dates.format_datetime(value, pattern, locale=_format_locale(code))
    return babel_dates.format_date(value, pattern, locale=_format_locale(code))


def format_time(value) -> str:
    return babel_dates.format_skeleton("Hm", value, locale=format_locale())


def format_number(value) -> str:
    if value is None:
        return ""
    return babel_numbers.format_decimal(value, locale=format_locale())


def format_percent(value, format: str | None = None) -> str:
    if value is None:
        return ""
    return babel_numbers.format_percent(value, format=format, locale=format_locale())


def compile_catalogues(directory: str = TRANSLATIONS_DIR, only_if_stale: bool = True) -> list[str]:
    """Compile every ``<locale>/LC_MESSAGES/messages.po`` into its .mo when the .mo is missing or
    older (fuzzy entries are left out). ``make translations`` runs this; so does the test suite's
    start, for a bare ``pytest``. Returns the locales built."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    built = []
    for code in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        po = os.path.join(directory, code, "LC_MESSAGES", "messages.po")
        mo = po[:-3] + ".mo"
        if not os.path.exists(po):
            continue
        if only_if_stale and os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po):
            continue
        with open(po, "rb") as f:
            catalog = read_po(f, locale=code)
        with open(mo + ".tmp", "wb") as f:
            write_mo(f, catalog)
        os.replace(mo + ".tmp", mo)
        built.append(code)
    return built


def _forget_locale() -> None:
    """Flask-Babel keeps the chosen locale on ``g``, which lives as long as the app context; when
    one context serves several requests (tests, ``flask shell``) each request chooses again."""
    from flask import g

    g.pop("_flask_babel", None)


def init_app(app) -> None:
    from advocacy.extensions import babel

    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_forget_locale)
    # Jinja's _(), ngettext(), pgettext() read the catalogue through _current() (see above);
    # as Flask-Babel's own callables, they only look up: Jinja fills in the variables
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _current()[1].ugettext(s),
        ngettext=lambda s, p, n: _current()[1].ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _current()[1].upgettext(c, s),
        npgettext=lambda c, s, p, n: _current()[1].unpgettext(c, s, p, n))
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["parliamentarian_locale"] = parliamentarian_locale
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks ignore line breaks


if __name__ == "__main__":  # `make translations`
    built = compile_catalogues()
    print(f"compiled {', '.join(built) if built else 'nothing (every .mo is up to date)'}")
