"""Reading CSV files as staff send them: RFC 4180 quoting, only the delimiter is detected.

``csv.Sniffer`` guesses the whole dialect (quote character, escaping) from a sample; when the
sample holds no escaped quote it guesses wrong and every later ``""`` is misread, silently.
Excel, LibreOffice and ``csv.writer`` all write the standard dialect (fields in double quotes,
a quote doubled inside), so that is the only dialect read here; what differs between files is
the delimiter (comma; semicolon in locales with a decimal comma; tab in Excel's "Unicode
text"), and that is taken from the header line, where it is unambiguous.
"""
import codecs
import csv
import io

from flask_babel import gettext as _

DELIMITERS = (",", ";", "\t")
#: a bio or an address may be long; the csv module's default limit (128 KB) is not a data rule
csv.field_size_limit(16 * 1024 * 1024)


class FileError(ValueError):
    """The whole file cannot be read (encoding, format); the message says why and what to do."""


def decode(content: bytes) -> str:
    """The file's text. UTF-8 (with or without Excel's byte-order mark) and UTF-16 with a BOM
    (Excel's "Unicode text") are read; anything else is refused with what to do about it."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileError(_("The file says it is UTF-16 but byte %(byte)d is not: save it again as 'CSV UTF-8'.",
                              byte=exc.start)) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise FileError(_(
            "The file is not UTF-8 text (line %(line)d, byte %(byte)d). Excel's plain 'CSV' uses a Windows code page "
            "(e.g. cp1252, cp1251): in Excel choose 'Save as' → 'CSV UTF-8 (Comma delimited)', in LibreOffice "
            "tick 'Edit filter settings' and pick 'Unicode (UTF-8)', then upload again.", line=line,
            byte=exc.start)) from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileError(_("The file holds a NUL character (line %(line)d): it is not a text file, or it is UTF-16 "
                          "without a byte-order mark. Save it as 'CSV UTF-8'.", line=line))
    return text


def detect_delimiter(text: str) -> str:
    """The delimiter used in the first record (the header): whichever of comma, semicolon and
    tab occurs most often outside quotes. Only the header is looked at; cell text elsewhere
    cannot mislead it."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted  # a doubled quote toggles twice: still right
        elif not quoted:
            if ch in "\r\n":
                break
            if ch in counts:
                counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(content: bytes):
    """``(header, records)``: the header's cells and an iterator of ``(line, cells)`` for every
    non-blank record, where ``line`` is the line the record starts on. Cells are returned
    exactly as written (no trimming); a record may have more or fewer cells than the header,
    which the caller reports as a bad line."""
    text = decode(content)
    if not text.strip():
        raise FileError(_("The file is empty."))
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        skipinitialspace=False, strict=False)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise FileError(_("The first line cannot be read as CSV: %(error)s.", error=exc)) from exc

    def records():
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileError(_("Line %(line)d cannot be read as CSV: %(error)s.", line=start, error=exc)) from exc
            if cells:  # a blank line is no record
                yield start, cells
            start = reader.line_num + 1

    return header, records()
