"""Facility register logic: finding the facilities a name may mean, and merging duplicates.

Lists name the same prison differently ("Pre-trial detention center No. 1" / "SIZO-1, Minsk
(Valadarka)"); an exact-name match creates duplicates. ``closest`` ranks the register's
facilities by similarity of the normalised name (and city), for staff to choose; ``merge``
folds duplicates that already exist into one record.
"""
import difflib
import re

from sqlalchemy import select, update

from advocacy.extensions import db
from advocacy.prisoners.models import Facility, FacilityKind, Prisoner
from advocacy.text import fold

#: words that say nothing about which facility is meant
_FILLER = {"no", "n", "nr", "number", "the", "of", "in", "for", "g", "city", "the"}
_SYNONYMS = {"center": "centre", "centr": "centre", "ik": "colony", "ispravitelnaya": "colony", "kolonia": "colony",
             "kaloniya": "colony", "sizo": "pretrial", "pre": "pre", "tyurma": "prison", "turma": "prison"}


def normalise(name: str | None) -> str:
    """A facility name reduced to what identifies it: folded to ASCII lower case, filler words
    dropped, common spellings unified, numbers kept ("No. 1" → "1")."""
    tokens = []
    for t in re.split(r"[\s\-]+", fold(name)):
        if not t or t in _FILLER:
            continue
        tokens.append(_SYNONYMS.get(t, t))
    return " ".join(tokens)


def similarity(a: str, b: str) -> int:
    """0–100: the better of whole-string similarity and how much of the shorter name's words
    the longer one contains (so a name with the city appended still matches)."""
    if not a or not b:
        return 0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    ta, tb = set(a.split()), set(b.split())
    contained = len(ta & tb) / min(len(ta), len(tb))
    # numbers identify facilities: "colony 2" is not "colony 3" however alike the words
    na, nb = {t for t in ta if t.isdigit()}, {t for t in tb if t.isdigit()}
    score = round(100 * max(ratio, 0.95 * contained))
    if na and nb and not na & nb:
        return min(score, 40)
    return score


def closest(name: str, city: str | None, facilities, *, limit: int = 3, threshold: int = 60):
    """The facilities ``name`` (in ``city``) most likely means, best first, as
    ``(score, facility)``; an exact normalised match scores 100."""
    key = normalise(name)
    city_key = fold(city)
    scored = []
    for f in facilities:
        score = similarity(key, normalise(f.name))
        if city_key and f.city:
            score += 5 if fold(f.city) == city_key else -15
        score = max(0, min(100, score))
        if score >= threshold:
            scored.append((score, f))
    scored.sort(key=lambda sf: (-sf[0], sf[1].name, sf[1].id))
    return scored[:limit]


def find_duplicates(threshold: int = 85):
    """Pairs of facilities whose names are this alike: candidates for ``merge``."""
    facilities = db.session.scalars(select(Facility).order_by(Facility.id)).all()
    keys = [(f, normalise(f.name)) for f in facilities]
    pairs = []
    for i, (a, ka) in enumerate(keys):
        for b, kb in keys[i + 1:]:
            score = similarity(ka, kb)
            if a.city and b.city and fold(a.city) != fold(b.city):
                score -= 15
            if score >= threshold:
                pairs.append((score, a, b))
    return sorted(pairs, key=lambda p: (-p[0], p[1].id, p[2].id))


MERGED_FIELDS = ("name_cyrillic", "city", "region", "address_latin", "address_cyrillic", "notes")


def merge(keep: Facility, duplicates: list[Facility]) -> int:
    """Fold ``duplicates`` into ``keep``: their prisoners move to ``keep``, fields ``keep`` lacks
    are taken from them, a known kind replaces "unknown", and they are deleted. Returns how many
    prisoners moved. Flushes, does not commit."""
    moved = 0
    for dup in duplicates:
        if dup.id == keep.id:
            raise ValueError("A facility cannot be merged into itself.")
        moved += db.session.execute(update(Prisoner).where(Prisoner.facility_id == dup.id)
                                    .values(facility_id=keep.id)).rowcount
        for f in MERGED_FIELDS:
            if not getattr(keep, f) and getattr(dup, f):
                setattr(keep, f, getattr(dup, f))
        if keep.kind == FacilityKind.UNKNOWN and dup.kind != FacilityKind.UNKNOWN:
            keep.kind = dup.kind
        db.session.delete(dup)
    db.session.flush()
    return moved
