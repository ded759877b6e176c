"""A pseudo-locale: every message that passes through Flask-Babel comes out as ⟦message⟧, so any
user-facing text left outside brackets did not go through a translation call.

``install(monkeypatch)`` swaps Flask-Babel's translations for ``PseudoTranslations``.
``leftovers(html, data)`` lists the words of a page (its text and its user-facing attributes)
that lie outside every bracket, after removing what is data, not interface: the database's own
strings (``data_strings()``), numbers, addresses, codes and the names Babel itself localises
(months, countries, languages).
"""
from __future__ import annotations

import functools
import html.parser
import re

from babel import Locale
from babel.support import NullTranslations

OPEN, CLOSE = "⟦", "⟧"


def wrap(message: str) -> str:
    return f"{OPEN}{message}{CLOSE}"


class PseudoTranslations(NullTranslations):
    def gettext(self, message):
        return wrap(message)

    def ngettext(self, singular, plural, n):
        return wrap(singular if n == 1 else plural)

    def pgettext(self, context, message):
        return wrap(message)

    def npgettext(self, context, singular, plural, n):
        return wrap(singular if n == 1 else plural)

    ugettext, ungettext, upgettext, unpgettext = gettext, ngettext, pgettext, npgettext


def install(monkeypatch) -> None:
    import flask_babel

    pseudo = PseudoTranslations()
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: pseudo)


# -- reading a page -------------------------------------------------------------------------
_ATTRS = ("title", "aria-label", "placeholder", "alt", "aria-description", "data-confirm")
_SKIP = {"script", "style", "template", "code", "kbd", "samp"}  # code is not interface


#: text written in these languages on purpose (the sample letters for the censor): not interface
FOREIGN = ("ru", "be")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.attrs, self._skip, self._open = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in _VOID:
            skip = tag in _SKIP or (attrs.get("lang") or "").split("-")[0] in FOREIGN
            self._open.append((tag, skip))
            self._skip += skip
        for name in _ATTRS:
            if attrs.get(name):
                self.attrs.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.attrs.append(attrs["value"])
        if tag in ("br", "p", "div", "li", "td", "th", "tr", "option", "h1", "h2", "h3", "dt", "dd", "title"):
            self.text.append(" ")  # a block boundary is a word boundary (brackets still span it)

    def handle_endtag(self, tag):
        while self._open:
            open_tag, skip = self._open.pop()
            self._skip -= skip
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _unbracket(text: str) -> str:
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:
        new = inner.sub(" ", text)
        if new == text:
            return new
        text = new


#: interface-free tokens: addresses, paths, numbers, codes, time zones, dates in ISO form
_NOT_WORDS = [
    re.compile(r"https?://\S+"), re.compile(r"\S+@\S+"), re.compile(r"/[\w./?=&%-]*"),
    re.compile(r"\b[A-Z][a-z]+/[A-Za-z_/+-]+\b"),  # Europe/Berlin
    re.compile(r"\b[A-Z0-9&\-]{2,}\b"),  # codes: EPP, S&D, DE, AFET, SIZO
    re.compile(r"\d[\d.,:/ -]*"),
]
#: the brand, and the switcher's language names (each in its own language, never translated)
ALLOWED = {"WeStandByYou", "English", "Deutsch", "Français", "Polski", "Lietuvių", "Advocacy"}


@functools.cache
def _babel_words() -> tuple[str, ...]:
    """Month, day, country and language names as CLDR writes them in each of the site's
    languages (pages are formatted in the reader's language, which the pseudo-locale keeps)."""
    names = set()
    for code in ("en_GB", "de", "fr", "pl", "lt"):
        loc = Locale.parse(code)
        for width in ("abbreviated", "wide"):
            for ctx in ("format", "stand-alone"):
                names.update(loc.months[ctx][width].values())
                names.update(loc.days[ctx][width].values())
        names.update(loc.territories.values())
        names.update(loc.languages.values())
    from advocacy.pickers import _zones_by_region

    names.update(label for _zone, label, _region in _zones_by_region())  # IANA's city names
    return tuple(names)


_PATTERNS: dict = {}


def _values_pattern(values) -> re.Pattern:
    """One pattern for many literal values, each matched as whole words, longest first."""
    key = tuple(values)
    if key not in _PATTERNS:
        alts = "|".join(re.escape(v) for v in sorted(set(values), key=len, reverse=True) if v)
        _PATTERNS.clear() if len(_PATTERNS) > 8 else None
        _PATTERNS[key] = re.compile(rf"(?<!\w)(?:{alts})(?!\w)") if alts else re.compile(r"(?!x)x")
    return _PATTERNS[key]


def leftovers(page: str, data: list[str] = ()) -> list[str]:
    """Text of ``page`` outside every ⟦…⟧, with data and formatted values removed: [] if clean."""
    reader = _Reader()
    reader.feed(page)
    found = []
    removable = _values_pattern(tuple(data) + tuple(_babel_words()))
    for chunk in ["".join(reader.text), *reader.attrs]:
        rest = removable.sub(" ", _unbracket(chunk))
        for pattern in _NOT_WORDS:
            rest = pattern.sub(" ", rest)
        words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", rest) if w not in ALLOWED and len(w) > 1]
        if words:
            found.append(" ".join(words)[:300])
    return found


def data_strings(db) -> list[str]:
    """Every string stored in the database (names, places, titles, codes, …): data, not interface.
    Longest first, so that a name is removed before a word inside it. Enum columns are not data:
    their values must reach a page through their translated labels."""
    import sqlalchemy as sa

    values = set()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            cols = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text)) and not isinstance(c.type, sa.Enum)]
            if not cols:
                continue
            for row in conn.execute(sa.select(*cols)):
                for v in row:
                    if isinstance(v, str) and v.strip():
                        values.add(v.strip())
                        values.update(p.strip() for p in v.split(",") if len(p.strip()) > 1)
    from advocacy.names.variants import spellings

    with db.engine.connect() as conn:  # the spellings a prisoner's page derives from their names
        for (name,) in conn.execute(sa.text("SELECT name FROM prisoners")):
            values.update(spellings(name))
    return sorted(values, key=len, reverse=True)
