"""The CSV reader: standard quoting, only the delimiter detected, every table read back as written."""
import codecs
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.transfer.csvfile import FileError, decode, read_table

# Column names are what a header holds: words, digits, underscores, spaces. At least two
# columns: a one-column header holds no delimiter to detect (and no import has one column).
header_names = st.lists(st.from_regex(r"[A-Za-z_][A-Za-z0-9_ ]{0,15}", fullmatch=True), min_size=2, max_size=6,
                        unique_by=str.casefold)
# Any Unicode but NUL (not text), surrogates (not encodable): quotes, delimiters, CR/LF, BOMs, scripts.
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), delimiter=st.sampled_from([",", ";", "\t"]), bom=st.booleans())
def test_any_table_written_by_csv_writer_reads_back_identically(data, delimiter, bom):
    header = data.draw(header_names)
    rows = data.draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=8))
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    content = (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")
    got_header, records = read_table(content)
    assert got_header == header
    assert [cells for _, cells in records] == rows


def test_escaped_quote_after_the_first_4_kb_is_read_exactly():
    lines = ["name,source_id,articles"] + [f"Person {i},s-{i},342" for i in range(300)]
    lines.append('"Mikalai ""Kolya"" Statkevich, Jr.",s-300,"293, 342"')
    content = "\r\n".join(lines).encode()
    assert len(content) > 4096
    header, records = read_table(content)
    last = list(records)[-1]
    assert last == (302, ['Mikalai "Kolya" Statkevich, Jr.', "s-300", "293, 342"])


def test_record_line_numbers_count_newlines_inside_cells():
    content = b'name,bio\nA,"two\nlines"\nB,x\n'
    assert list(read_table(content)[1]) == [(2, ["A", "two\nlines"]), (4, ["B", "x"])]


def test_delimiter_is_taken_from_the_header_not_from_cells():
    content = 'name;source_id\n"A, B";1\n"C; D";2\n'.encode()
    assert list(read_table(content)[1]) == [(2, ["A, B", "1"]), (3, ["C; D", "2"])]


def test_excel_unicode_text_utf16_tab_separated_is_read():
    content = codecs.BOM_UTF16_LE + "name\tsource_id\r\nŁukasz\t1\r\n".encode("utf-16-le")
    assert list(read_table(content)[1]) == [(2, ["Łukasz", "1"])]


@pytest.mark.parametrize("content,message", [
    ("name,source_id\nŁukasz Жук,1\n".encode("cp1250", errors="replace"), r"not UTF-8 text \(line 2"),
    ("name,source_id\n€uro,1\n".encode("cp1252"), "CSV UTF-8"),
    (b"name,source_id\nA\x00,1\n", "NUL"),
    (b"  \n\n", "empty"),
])
def test_unreadable_files_say_why_and_what_to_do(content, message):
    with pytest.raises(FileError, match=message):
        decode(content) if b"\x00" not in content and content.strip() else read_table(content)
