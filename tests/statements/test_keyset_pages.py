"""The statements list pages by keyset (``?after=`` / ``?before=`` cursors): every statement
once, in order, forwards and back, with filters and sorts kept, and no OFFSET however deep."""
import datetime as dt
import html
import re

import pytest

from advocacy.extensions import db

from advocacy.statements.models import StatementKind

DAY = dt.date(2026, 10, 1)


@pytest.fixture()
def statements(app, monkeypatch, create_pairing, create_statement):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    pairing = create_pairing()
    made = []
    # several on one day, so that the id breaks ties across page boundaries
    for i, offset in enumerate([0, 0, 0, 1, 1, 2, 5, 5, 5, 5, 9]):
        kind = StatementKind.SPEECH if i % 2 else StatementKind.MEDIA
        made.append(create_statement(pairing=pairing, made_on=DAY - dt.timedelta(days=offset), kind=kind,
                                     title=f"Statement no {i:02d}"))
    return made


def _titles(text):
    return re.findall(r"Statement no \d\d", text)


def _link(text, rel):
    m = re.search(rf'<a href="([^"]+)" rel="{rel}"', text)
    return html.unescape(m.group(1)) if m else None


def _walk(client, url):
    """Follow Next to the end, then Previous back to the start: the pages' titles both ways."""
    forward, pages = [], []
    while url:
        text = client.get(url).text
        pages.append(_titles(text))
        forward += pages[-1]
        url, last = _link(text, "next"), text
    backward = [pages[-1]]
    url = _link(last, "prev")
    while url:
        text = client.get(url).text
        backward.insert(0, _titles(text))
        url = _link(text, "prev")
    return forward, pages, backward


def _expected(statements, key, reverse, kind=None):
    rows = [s for s in statements if kind is None or s.kind == kind]
    return [s.title for s in sorted(rows, key=lambda s: (key(s), s.id), reverse=reverse)]


@pytest.mark.parametrize("sort,key,reverse", [
    ("-date", lambda s: s.made_on, True),
    ("date", lambda s: s.made_on, False),
    ("-created", lambda s: s.created_at, True),
    ("created", lambda s: s.created_at, False),
])
def test_next_and_previous_walk_every_statement_once_in_order(client, login_as, statements, sort, key, reverse):
    login_as("staff")
    forward, pages, backward = _walk(client, f"/statements/?sort={sort}")
    assert forward == _expected(statements, key, reverse)
    assert len(pages) == 4 and all(len(p) == 3 for p in pages[:-1])
    assert backward == pages  # Previous gives back the very same pages


def test_filters_stay_on_the_page_links(client, login_as, statements):
    login_as("staff")
    forward, pages, backward = _walk(client, "/statements/?kind=speech&sort=date")
    assert forward == _expected(statements, lambda s: s.made_on, False, kind=StatementKind.SPEECH)
    assert backward == pages


def test_first_page_has_no_previous_and_last_has_no_next(client, login_as, statements):
    login_as("staff")
    first = client.get("/statements/").text
    assert _link(first, "prev") is None and _link(first, "next")
    assert 'rel="next"' not in client.get("/statements/?kind=speech&from=2026-10-01").text  # one page only


@pytest.mark.parametrize("cursor", ["after=nonsense", "after=2026-13-01~5", "before=~", "after=2026-10-01~x",
                                    "after=2026-10-01~99999999999999999999999", "sort=created&after=2026-10-01~5",
                                    "sort=created&before=2026-10-01T10:00:00~5"])
def test_a_malformed_cursor_shows_the_first_page(client, login_as, statements, cursor):
    login_as("staff")
    resp = client.get(f"/statements/?{cursor}")
    assert resp.status_code == 200
    if "created" in cursor:  # ?sort=created: oldest first
        assert _titles(resp.text) == _expected(statements, lambda s: s.created_at, False)[:3]
    else:
        assert _titles(resp.text) == _expected(statements, lambda s: s.made_on, True)[:3]


def test_a_deep_page_seeks_instead_of_counting(client, login_as, statements, count_queries):
    login_as("staff")
    last = statements[-1]  # the oldest: everything else comes before it
    with count_queries() as q:
        text = client.get(f"/statements/?before={last.made_on.isoformat()}~{last.id}").text
    assert _titles(text) == _expected(statements, lambda s: s.made_on, True)[-4:-1]
    listing = [s for s in q.statements if "FROM statements" in s]
    listing = [s for s in listing if "(statements.made_on, statements.id) >" in s]
    assert len(listing) == 1, q.statements
    assert "count(" not in listing[0].lower()
    if db.engine.dialect.name == "postgresql":  # (SQLite's dialect writes OFFSET with any LIMIT)
        assert "OFFSET" not in listing[0].upper()
