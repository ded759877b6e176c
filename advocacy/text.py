"""Name normalisation for search across spellings and scripts.

A prisoner's name appears as Belarusian Latin (Kalesnikava), Russian transliteration
(Kolesnikova) and Cyrillic (Калеснікава / Колесникова). We store every spelling the staff know,
and search a folded form of all of them: transliterated to ASCII (Unidecode), lower-cased,
punctuation removed. A query is folded the same way and every word of it must appear, so
"Калеснікава", "kalesnikava maria" and "KALESNIKAVA" all find the same person.
"""
import re

from unidecode import unidecode

_non_word = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    if not text:
        return ""
    return _non_word.sub(" ", unidecode(text).lower()).strip()


def query_terms(query: str | None) -> list[str]:
    return [t for t in fold(query).split(" ") if t]


def split_lines(text: str | None) -> list[str]:
    """Split a textarea / CSV cell of alternatives (newline, ';' or '|' separated)."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"[\n;|]+", text) if p.strip()]


def split_csv(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in re.split(r"[,;\n]+", text) if p.strip()]
