"""Which language a page or a mail is in (advocacy.i18n): the user's choice, the switcher's
cookie, the browser's Accept-Language, the parliamentarian's own locale or their country's."""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from advocacy import i18n
from advocacy.extensions import db


@pytest.mark.parametrize("country, expected", [("DE", "de"), ("AT", "de"), ("FR", "fr"), ("BE", "fr"), ("LU", "fr"),
                                               ("PL", "pl"), ("LT", "lt"), ("lt", "lt"), ("SE", "en"), ("IE", "en"),
                                               (None, "en")])
def test_a_parliamentarian_without_a_locale_gets_their_countrys(country, expected):
    assert i18n.parliamentarian_locale(SimpleNamespace(country=country, locale=None)) == expected


def test_a_parliamentarians_own_locale_wins_over_the_country(create_parliamentarian):
    assert i18n.parliamentarian_locale(create_parliamentarian(country="DE", locale="fr")) == "fr"


def test_a_user_with_no_choice_gets_the_parliamentarians_locale_for_mail(app, create_parliamentarian, create_user):
    from advocacy.auth.models import Role

    parl = create_parliamentarian(country="PL", locale=None)
    user = create_user(role=Role.PARLIAMENTARIAN, parliamentarian=parl)
    assert user.locale is None
    assert i18n.recipient_locale(user=user) == "pl"
    user.locale = "lt"
    assert i18n.recipient_locale(user=user) == "lt"
    staff = create_user(role=Role.STAFF)
    assert i18n.recipient_locale(user=staff) == "en"


def test_public_pages_follow_accept_language_then_the_switcher(client):
    page = client.get("/campaign/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert page.status_code == 200 and '<html lang="de">' in page.get_data(as_text=True)
    assert "Accept-Language" in page.headers["Vary"]
    assert '<html lang="en">' in client.get("/campaign/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    # the switcher remembers the choice in a cookie and goes back to the page
    resp = client.get("/language/lt?next=/campaign/%3Fpage%3D1")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/campaign/?page=1")
    assert "lang=lt" in resp.headers["Set-Cookie"]
    page = client.get("/campaign/", headers={"Accept-Language": "de"})
    assert '<html lang="lt">' in page.get_data(as_text=True)
    assert 'aria-current="true">Lietuvių' in page.get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_the_switcher_never_redirects_away(client, target):
    resp = client.get("/language/de", query_string={"next": target})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/campaign/")


def test_an_unknown_language_is_404(client):
    assert client.get("/language/xx").status_code == 404


def test_each_language_is_cached_apart(client):
    """The public page cache keys on the language: a German visitor never gets the English copy."""
    en = client.get("/campaign/", headers={"Accept-Language": "en"})
    de = client.get("/campaign/", headers={"Accept-Language": "de"})
    assert en.headers["ETag"] != de.headers["ETag"]
    assert '<html lang="de">' in de.get_data(as_text=True)
    again = client.get("/campaign/", headers={"Accept-Language": "de", "If-None-Match": de.headers["ETag"]})
    assert again.status_code == 304


def test_a_signed_in_users_choice_wins(client, login_as):
    user = login_as("parliamentarian")
    resp = client.post("/portal/profile", data={"time_zone": "Europe/Vilnius", "locale": "pl"})
    assert resp.status_code == 302
    db.session.refresh(user)
    assert user.locale == "pl" and user.parliamentarian.locale == "pl"  # their mail follows the choice
    page = client.get("/portal/profile", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="pl">' in page
    # each language is offered in its own name
    for name in ("English", "Deutsch", "Français", "Polski", "Lietuvių"):
        assert f">{name}</option>" in page
    # "no choice" again: the browser decides
    client.post("/portal/profile", data={"time_zone": "Europe/Vilnius", "locale": ""})
    db.session.refresh(user)
    assert user.locale is None
    assert '<html lang="de">' in client.get("/portal/profile", headers={"Accept-Language": "de"}).get_data(as_text=True)


def test_staff_set_a_parliamentarians_locale_and_imports_too(client, login_as, create_parliamentarian):
    from advocacy.transfer import services as transfer

    login_as("staff")
    parl = create_parliamentarian(country="DE", locale=None)
    page = client.get(f"/parliamentarians/{parl.id}").get_data(as_text=True)
    assert "Deutsch" in page
    data = {"full_name": parl.full_name, "parliament": parl.parliament, "chamber": "single", "country": "DE",
            "time_zone": "Europe/Berlin", "locale": "fr", "email": parl.email}
    assert client.post(f"/parliamentarians/{parl.id}/edit", data=data).status_code == 302
    db.session.refresh(parl)
    assert parl.locale == "fr"
    bad = client.post(f"/parliamentarians/{parl.id}/edit", data={**data, "locale": "xx"})
    assert bad.status_code == 400
    content = ("external_id,full_name,country,locale\n"
               f"{parl.external_id},{parl.full_name},DE,lt\n"
               "999,Nowy POSEŁ,PL,\n"
               "998,Bad LOCALE,PL,klingon\n").encode()
    report = transfer.run("parliamentarians", content, write=False)
    assert [r.action for r in report.rows] == ["update", "create", "error"]
    assert report.rows[2].error.startswith("locale:") and "en, de, fr, pl" in report.rows[2].error
    report = transfer.run("parliamentarians", content.rsplit(b"998", 1)[0], write=True)
    db.session.commit()
    db.session.expire_all()
    assert parl.locale == "lt"
    from advocacy.parliamentarians.models import Parliamentarian
    new = db.session.scalar(db.select(Parliamentarian).where(Parliamentarian.external_id == "999"))
    assert new.locale is None and i18n.parliamentarian_locale(new) == "pl"


def test_the_migration_turns_the_old_english_default_into_no_choice(app):
    """i20: every user had "en" because nothing else existed; now null means "no choice yet"."""
    from alembic import command
    from alembic.config import Config as AlembicConfig
    import os
    import tempfile

    from advocacy import create_app

    path = os.path.join(tempfile.mkdtemp(), "i20.db")
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with other.app_context():
        from flask_migrate import upgrade

        upgrade(revision="i14_mandates")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO users (id, email, name, role, password_version, session_version, "
                                 "is_active_account, locale, created_at) VALUES "
                                 "(1, 'a@example.org', 'A', 'staff', 0, 0, 1, 'en', '2026-01-01 00:00:00'), "
                                 "(2, 'b@example.org', 'B', 'staff', 0, 0, 1, 'de', '2026-01-01 00:00:00')"))
        upgrade(revision="i20_locales")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, locale FROM users ORDER BY id")).all()
            cols = {c["name"] for c in sa.inspect(conn).get_columns("parliamentarians")}
        db.session.remove()
        db.engine.dispose()
    assert rows == [(1, None), (2, "de")]
    assert "locale" in cols
