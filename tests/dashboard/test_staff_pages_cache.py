"""Staff list pages and the portal are rendered once per staff-data version and shared
(``staff_version.render_cached``): every kind of change shows on the next view, a part is never
served to someone it was not rendered for (another godparent, another language), and the forms
inside carry the reader's own CSRF token."""
import datetime as dt
import re

import pytest
from flask import g
from sqlalchemy import update

from advocacy.extensions import db
from advocacy.prisoners.models import KeyDateKind, Prisoner
from advocacy.statements.models import Statement

TODAY = dt.date.today()


@pytest.fixture()
def world(create_prisoner, create_pairing, create_statement, create_facility):
    facility = create_facility(name="Navapolatsk colony No. 1")
    prisoner = create_prisoner(name="Maria Kalesnikava", facility=facility)
    pairing = create_pairing(prisoner=prisoner)
    statement = create_statement(pairing=pairing, title="Free Maria", made_on=TODAY - dt.timedelta(days=2))
    db.session.commit()
    return {"facility": facility, "prisoner": prisoner, "pairing": pairing, "statement": statement}


def _view(client, url, *, twice=True):
    """The page as a reader sees it; by default after a first view, so the second one comes from
    the cache (when there is a cache: the point of these tests)."""
    db.session.commit()  # a request of its own
    if twice:
        client.get(url)
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_data(as_text=True)


def _rename_prisoner_in_bulk(w):  # an ORM bulk UPDATE: no flush event
    db.session.execute(update(Prisoner).where(Prisoner.id == w["prisoner"].id).values(name="Maryja Kalesnikava"))


def _rename_facility(w):
    w["facility"].name = "Homiel women's colony No. 4"


def _retitle_statement(w):
    w["statement"].title = "Solidarity with Maria"


def _rename_godparent(w):
    w["pairing"].parliamentarian.full_name = "Jan Dvořák"


CHANGES = {  # url -> (change, text before, text after)
    "/prisoners/ after a facility is renamed": ("/prisoners/", _rename_facility, "Navapolatsk colony", "Homiel women"),
    "/prisoners/ after a bulk rename": ("/prisoners/", _rename_prisoner_in_bulk, "Maria Kalesnikava", "Maryja Kalesnikava"),
    "/pairings/ after a bulk rename": ("/pairings/", _rename_prisoner_in_bulk, "Maria Kalesnikava", "Maryja Kalesnikava"),
    "/pairings/ after a godparent is renamed": ("/pairings/", _rename_godparent, None, "Jan Dvořák"),
    "/statements/ after a retitle": ("/statements/", _retitle_statement, "Free Maria", "Solidarity with Maria"),
    "/statements/ after a bulk rename": ("/statements/", _rename_prisoner_in_bulk, "Maria Kalesnikava", "Maryja Kalesnikava"),
    "/parliamentarians/ after a rename": ("/parliamentarians/", _rename_godparent, None, "Jan Dvořák"),
}


@pytest.mark.parametrize("name", CHANGES)
def test_every_change_shows_on_the_next_view(client, login_as, world, name):
    url, change, before, after = CHANGES[name]
    login_as("staff")
    page = _view(client, url)
    if before:
        assert before in page
    assert after not in page
    change(world)
    db.session.commit()
    page = _view(client, url, twice=False)
    assert after in page, url
    if before:
        assert before not in page


def test_the_second_view_reads_no_list(client, login_as, world, count_queries):
    login_as("staff")
    for url in ("/prisoners/", "/pairings/", "/statements/", "/parliamentarians/", "/staff/"):
        _view(client, url)
        with count_queries() as q:
            assert client.get(url).status_code == 200
        reads = [s for s in q.statements if re.search(r"\bFROM (prisoners|pairings|statements|parliamentarians)\b", s)]
        assert not reads, (url, reads)


def test_a_new_key_date_shows_on_the_portal(client, auth, world, create_user, create_key_date):
    user = create_user(role="parliamentarian", parliamentarian=world["pairing"].parliamentarian)
    auth.login(user)
    assert "Verdict" not in _view(client, "/portal/")
    create_key_date(world["prisoner"], kind=KeyDateKind.VERDICT, occurs_on=TODAY + dt.timedelta(days=5))
    db.session.commit()
    assert "Verdict" in _view(client, "/portal/", twice=False)


def test_each_godparent_sees_only_their_own_portal(app, world, create_user, create_pairing, create_prisoner):
    other_prisoner = create_prisoner(name="Ihar Losik")
    other = create_pairing(prisoner=other_prisoner)
    mine = create_user(role="parliamentarian", parliamentarian=world["pairing"].parliamentarian, name="First MEP")
    theirs = create_user(role="parliamentarian", parliamentarian=other.parliamentarian, name="Second MEP")
    db.session.commit()
    pages = {}
    for user in (mine, theirs, mine, theirs):  # each twice: the second from the cache
        c = app.test_client()
        assert c.post("/auth/login", data={"email": user.email, "password": "correct horse battery"}).status_code == 302
        pages.setdefault(user.id, []).append(c.get("/portal/").get_data(as_text=True))
    for page in pages[mine.id]:
        assert "Maria Kalesnikava" in page and "Ihar Losik" not in page and "First MEP" in page
    for page in pages[theirs.id]:
        assert "Ihar Losik" in page and "Maria Kalesnikava" not in page and "Second MEP" in page


def test_each_language_has_its_own_copy(client, login_as, world):
    login_as("staff")
    english = _view(client, "/prisoners/")
    german = client.get("/prisoners/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    again = client.get("/prisoners/").get_data(as_text=True)
    assert "Add a prisoner" in english and "Add a prisoner" in again
    assert "Add a prisoner" not in german and 'lang="de"' in german


def _tokens(page):
    return re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)


def _get(c, url):
    # the tests' requests share one app context, where Flask-WTF keeps the token it made
    # (g.csrf_token); in a server each request has its own
    g.pop("csrf_token", None)
    return c.get(url).get_data(as_text=True)


def test_forms_in_a_shared_part_carry_the_readers_own_token(app, csrf_enabled, world, create_user):
    users = [create_user(role="staff", email=f"staff{i}@example.org") for i in range(2)]
    db.session.commit()
    clients = []
    for user in users:
        c = app.test_client()
        page = _get(c, "/auth/login")
        assert c.post("/auth/login", data={"email": user.email, "password": "correct horse battery",
                                            "csrf_token": _tokens(page)[0]}).status_code == 302
        clients.append(c)
    pages = [_get(c, "/statements/") for c in clients]  # the second one from the cache
    statement_id = world["statement"].id
    for c, page in zip(clients, pages):
        g.pop("csrf_token", None)
        tokens = set(_tokens(page))
        assert len(tokens) == 1 and "csrf-" not in page, tokens  # no hole left unfilled
        resp = c.post(f"/statements/{statement_id}/verify", data={"csrf_token": tokens.pop()})
        assert resp.status_code == 302, resp.status_code
    assert _tokens(pages[0])[0] != _tokens(pages[1])[0]
    db.session.expire_all()
    assert db.session.get(Statement, statement_id).verified_at is None  # verified, then unverified: both went through


def test_a_bad_date_is_flashed_on_every_view(client, login_as, world):
    login_as("staff")
    for _ in range(2):
        page = client.get("/statements/?from=2026-13-01").get_data(as_text=True)
        assert "Ignored the &#39;from&#39; date" in page or "Ignored the 'from' date" in page


def test_a_form_field_token_is_never_shared(app, client, login_as, monkeypatch):
    """A part that renders a session's own token (``form.csrf_token``) is refused, not cached."""
    from flask import render_template_string
    from flask_wtf import FlaskForm

    from advocacy import staff_version

    login_as("staff")
    with app.test_request_context("/prisoners/"):
        from flask_login import login_user

        from advocacy.auth.models import User

        login_user(db.session.scalars(db.select(User)).first())
        monkeypatch.setattr(staff_version, "render_template",
                            lambda name, **kw: render_template_string("{{ form.csrf_token() }}", form=FlaskForm()))
        app.config["WTF_CSRF_ENABLED"] = True
        with pytest.raises(RuntimeError, match="CSRF token in a shared part"):
            staff_version.render_cached("any.html", dict, today=TODAY)


def test_new_weights_show_on_a_prisoners_suggestions(client, login_as, create_prisoner, create_parliamentarian):
    from advocacy.matching import scoring

    prisoner = create_prisoner(name="Ihar Losik")
    create_parliamentarian(full_name="Anna Fotyga")
    login_as("staff")
    url = f"/matching/prisoners/{prisoner.id}"

    def scores():
        return re.findall(r"<td>(\d+\.\d)</td>", _view(client, url, twice=False))
    before = scores()
    assert before and scores() == before  # (the second from the cache)
    settings = scoring.settings()
    settings.w_uncovered = settings.w_uncovered + 40
    db.session.add(settings)
    db.session.commit()
    after = scores()
    assert float(after[0]) == pytest.approx(float(before[0]) + 40, abs=0.11)
