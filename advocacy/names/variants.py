"""Every spelling of a name, and the keys search compares them by. Pure functions, no database.

A Belarusian name reaches staff as Belarusian Latin (Kalesnikava), a Russian transliteration
(Kolesnikova), Cyrillic in either language (Калеснікава / Колесникова), Łacinka with
diacritics (Cichanoŭski) or the press's own spelling (Olga Kolesnikova). From whichever
spellings were typed we derive the others with maintained transliterators rather than our own
tables:

* ICU (PyICU): ``Belarusian-Latin/BGN``, ``Russian-Latin/BGN`` (BGN/PCGN) and
  ``Cyrillic-Latin`` (ISO 9, with diacritics) from Cyrillic;
* ``cyrtranslit``: the Belarusian national Latin / Russian scholarly forms from Cyrillic, and
  Cyrillic from Latin (Belarusian and Russian rules), which we then transliterate back;
* Unidecode: the plain-ASCII, passport-like form (Ц→Ts, Я→Ia, ў→u) and diacritics removed.

Search compares *words*, folded to lower-case ASCII, by trigram similarity (the measure of
PostgreSQL's pg_trgm, reproduced exactly in :func:`trigram_similarity` for SQLite) and by a
phonetic :func:`key` that merges the usual Belarusian–Russian differences.

Soft signs, hard signs and apostrophes never split a word: Мельников, Мельнікаў, Mel'nikov and
Melnikov all fold to one word.
"""
import functools
import re
import unicodedata

import cyrtranslit
import icu
from unidecode import unidecode

from advocacy.text import drop_in_word_marks, fold, words  # noqa: F401  (fold is re-exported)

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_BELARUSIAN_ONLY = set("іІўЎ")
_RUSSIAN_ONLY = set("иИщЩ")
_NON_WORD = re.compile(r"[^a-z0-9]+")
#: Latin letters whose diacritic is a sound: spelled out as digraphs (Łacinka, Czech, Polish)
#: before stripping the rest, so "Ščyrakova" also yields "shchyrakova" and not only "scyrakova"
_DIGRAPHS = str.maketrans({"č": "ch", "Č": "Ch", "š": "sh", "Š": "Sh", "ž": "zh", "Ž": "Zh",
                           "ř": "rzh", "Ř": "Rzh", "ć": "ts", "Ć": "Ts"})

MIN_WORD = 2


@functools.lru_cache(maxsize=None)
def _icu(transform_id: str):
    return icu.Transliterator.createInstance(transform_id)


def _transliterate(transform_id: str, text: str) -> str:
    return _icu(transform_id).transliterate(text)


def is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text or ""))


def _languages(text: str) -> tuple[str, ...]:
    letters = set(text)
    if letters & _BELARUSIAN_ONLY:
        return ("be",)
    if letters & _RUSSIAN_ONLY:
        return ("ru",)
    return ("be", "ru")


def _latin_forms_of_cyrillic(text: str) -> list[str]:
    forms = [text, unidecode(text), _transliterate("Cyrillic-Latin", text)]  # passport-like ASCII, ISO 9
    for lang in _languages(text):
        if lang == "be":
            forms += [_transliterate("Belarusian-Latin/BGN", text), cyrtranslit.to_latin(text, "by")]
        else:
            forms += [_transliterate("Russian-Latin/BGN", text), cyrtranslit.to_latin(text, "ru")]
    return forms


def _cyrillic_forms_of_latin(text: str) -> list[str]:
    return [cyrtranslit.to_cyrillic(text, "by"), cyrtranslit.to_cyrillic(text, "ru")]


def spellings(name: str) -> list[str]:
    """Spellings derived from one typed spelling: Latin transliterations (BGN/PCGN, ISO 9,
    national) of a Cyrillic name; Cyrillic (Belarusian and Russian rules) of a Latin name and
    their transliterations back; each with and without diacritics. The typed form comes first."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        return []
    cleaned = drop_in_word_marks(name)
    if is_cyrillic(cleaned):
        forms = _latin_forms_of_cyrillic(cleaned)
    else:
        cyrillic = _cyrillic_forms_of_latin(cleaned)
        forms = [cleaned, cleaned.translate(_DIGRAPHS), *cyrillic]
        for c in cyrillic:
            forms += _latin_forms_of_cyrillic(drop_in_word_marks(c))
    out, seen = [], set()
    for form in forms:
        for f in (form, form.translate(_DIGRAPHS)):
            f = drop_in_word_marks(f)
            if f and f not in seen:
                seen.add(f)
                out.append(f)
    return out


def digraphs(text: str) -> str:
    """Łacinka/Czech/Polish letters spelled out: "Ščyrakova" → "Shchyrakova"."""
    return text.translate(_DIGRAPHS)


def query_forms(word: str) -> list[str]:
    """The folded forms a typed query word is compared by: plain ASCII (diacritics removed) and,
    when it has Łacinka/Czech letters, their digraph reading ("Ščyrakova" → shchyrakova)."""
    forms = []
    for f in (word, word.translate(_DIGRAPHS)):
        for w in words(f):
            if w not in forms:
                forms.append(w)
    return forms


# -- phonetic key --------------------------------------------------------------------------
_VOWELS = "aeiou"
_KEY_STEPS = (
    # whole-word Polish/Czech/Łacinka and English digraphs first, longest first
    (re.compile(r"shch|sch|szcz|shh"), "x"),
    (re.compile(r"sh|sz"), "x"),
    (re.compile(r"tch|ch|cz"), "q"),     # ч
    (re.compile(r"ic$"), "iq"),          # a final -ič that lost its caron: Statkievič
    (re.compile(r"zh|rz"), "z"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ts|tz|c"), "t"),       # ц; Belarusian ць ↔ Russian т (Ціханоўскі/Тихановский)
    (re.compile(r"dz"), "d"),            # дзеканне: Дзмітрый ↔ Дмитрий
    (re.compile(r"g"), "h"),             # г is h in Belarusian, g in Russian
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"^v(?=[ou])"), ""),     # prothetic в: Вольга ↔ Ольга
    (re.compile(r"^u(?=[^aeiou])"), "v"),  # Уладзімір ↔ Владимир
    (re.compile(r"(?<=[aeiou])u"), "v"),   # ў after a vowel: Bykau ↔ Bykov
    (re.compile(r"i+(?=[aeou])"), ""),     # iotation: ia/ya/ja, ie, iu, io → the vowel
    (re.compile(r"[aoe]"), "a"),         # akanne a↔o, яканне e↔a
    (re.compile(r"i+"), "i"),            # -ii, -iy, -ij → i
    (re.compile(r"(.)\1+"), r"\1"),      # double letters
)


@functools.lru_cache(maxsize=65536)
def key(word: str) -> str:
    """A phonetic key that merges the usual differences between Belarusian and Russian
    spellings of one name: akanne (a/o, and e/я), h/g, ia/ya/ja, ŭ/u/v, ts/c, дз/д, -ich/-ič,
    soft signs. ``key("Kalesnikava") == key("Kolesnikova")``. Input: one folded word."""
    k = word.lower()
    for pattern, repl in _KEY_STEPS:
        k = pattern.sub(repl, k)
    return k or word


# -- trigram similarity, exactly as pg_trgm computes it -----------------------------------
@functools.lru_cache(maxsize=65536)
def _trigrams(text: str) -> frozenset:
    grams = set()
    for w in _NON_WORD.split(text.lower()):
        if w:
            padded = f"  {w} "
            grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's ``similarity(a, b)``: shared trigrams over all trigrams, each word padded with
    two spaces before and one after. Used on SQLite so both databases rank alike."""
    if not a or not b:
        return 0.0
    ta, tb = _trigrams(a), _trigrams(b)
    if not ta or not tb:
        return 0.0
    common = len(ta & tb)
    return common / (len(ta) + len(tb) - common)


def variant_rows(typed: list[str]) -> list[dict]:
    """The rows stored for one person: every distinct folded word of every spelling derived
    from the ``typed`` spellings, its phonetic key, and whether staff typed it (exact)."""
    given = {w for s in typed for w in words(s) if len(w) >= MIN_WORD}
    rows = {}
    for w in given:
        rows[w] = {"word": w[:100], "key": key(w)[:100], "is_given": True}
    for s in typed:
        # Word by word (transliteration does not cross spaces), each word's forms computed once
        # per process: names share their words (Aliaksandr, -ič, -ava), and a 100,000-row import
        # spent most of its time re-deriving the same ones.
        for token in s.split():
            for w in _token_words(token):
                if w not in rows:
                    rows[w] = {"word": w[:100], "key": key(w)[:100], "is_given": False}
    return list(rows.values())


@functools.lru_cache(maxsize=200_000)
def _token_words(token: str) -> tuple[str, ...]:
    out = []
    for form in spellings(token):
        for w in query_forms(form):
            if len(w) >= MIN_WORD and w not in out:
                out.append(w)
    return tuple(out)
