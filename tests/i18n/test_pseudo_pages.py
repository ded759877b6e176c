"""Every page each role can reach, rendered in the pseudo-locale: no user-facing text may skip the
translation calls (issue 20). The pages and the ids in their URLs come from the access matrix's
world (tests/security/access.py); a page is checked for every role its row lets in."""
import pytest

from advocacy.extensions import db
from tests.i18n import pseudo
from tests.security.access import SESSION_WAYS, build_world, client_for
from tests.security.test_access_matrix import ACCESS

#: pages that are not interface: downloads, feeds, machine formats, redirects
NOT_PAGES = ("static", "api.", "feeds.calendar", "exports.", "public.robots", "public.report_csv")


def _get_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and not rule.endpoint.startswith(NOT_PAGES):
            yield rule


@pytest.fixture()
def world(app, smtp_server):
    return build_world()


def _pages(app, world, ways=SESSION_WAYS):
    adapter = app.url_map.bind("localhost")
    for rule in _get_rules(app):
        row = ACCESS.get(rule.endpoint)
        letters = (row.get("GET") if isinstance(row, dict) else row or "").split()
        values = {**world["values"], **world["links"].get(rule.endpoint, {})}
        path = adapter.build(rule.endpoint, {a: values[a] for a in rule.arguments})
        for i, way in enumerate(SESSION_WAYS):
            if way in ways and i < len(letters) and letters[i] == "O":
                yield rule.endpoint, way, path


def check_pages(app, world, monkeypatch, ways=SESSION_WAYS):
    pseudo.install(monkeypatch)
    data = pseudo.data_strings(db)
    problems, seen = [], 0
    for n, (endpoint, way, path) in enumerate(_pages(app, world, ways)):
        client, headers = client_for(app, way, world, addr=f"10.9.{n % 250}.{n // 250 + 1}")
        resp = client.get(path, headers=headers, follow_redirects=True)
        if resp.status_code != 200 or not resp.mimetype.startswith("text/html"):
            continue
        seen += 1
        for text in pseudo.leftovers(resp.get_data(as_text=True), data):
            problems.append(f"{way:22} {path}: {text}")
    return seen, problems


@pytest.mark.parametrize("way", SESSION_WAYS)
def test_pseudo_locale_every_page_every_role(app, world, monkeypatch, way):
    seen, problems = check_pages(app, world, monkeypatch, ways=(way,))
    assert seen > 3
    assert problems == [], f"{len(problems)} texts outside a translation call:\n" + "\n".join(problems)


def test_the_checker_finds_untranslated_text():
    """The checker itself: a sentence outside brackets is found; data and brackets are not."""
    page = ("<html><head><title>⟦Prisoners⟧</title></head><body><h1>⟦Edit %s⟧</h1>"
            "<p>⟦Read <a href='/x'>the guide</a>⟧</p><p>Forgotten sentence</p>"
            "<button aria-label='Close me'>×</button><p>Ales Bialiatski · 5 Nov 2026 · EPP</p></body></html>")
    found = pseudo.leftovers(page, ["Ales Bialiatski"])
    assert found == ["Forgotten sentence", "Close me"]
