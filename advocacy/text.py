"""Text folding shared by features: any script to lower-case ASCII words.

"Калеснікава", "KALESNIKAVA" and "Kalesnikava" fold to "kalesnikava" (Unidecode). Soft signs,
hard signs and apostrophes are dropped *inside* a word, never turned into a break: "Мельников"
and "Mel'nikov" fold to "melnikov", not "mel nikov". Name search builds on this
(advocacy.names).
"""
import re
import unicodedata

from unidecode import unidecode

#: characters that mark softness or separation inside a word: dropped, never a word break
IN_WORD_MARKS = "'’ʼʹ`´‘·ьЬъЪ\u02bb\u02c8"
_drop_in_word = str.maketrans("", "", IN_WORD_MARKS + '"')
_non_word = re.compile(r"[^a-z0-9]+")


def drop_in_word_marks(text: str) -> str:
    return text.translate(_drop_in_word)


def words(text: str | None) -> list[str]:
    """Lower-case ASCII words of ``text``, any script."""
    if not text:
        return []
    ascii_text = drop_in_word_marks(unidecode(drop_in_word_marks(unicodedata.normalize("NFC", text)))).lower()
    return [w for w in _non_word.split(ascii_text) if w]


def fold(text: str | None) -> str:
    return " ".join(words(text))


def split_lines(text: str | None) -> list[str]:
    """Split a textarea / CSV cell of alternatives (newline, ';' or '|' separated)."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"[\n;|]+", text) if p.strip()]


def split_csv(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in re.split(r"[,;\n]+", text) if p.strip()]
