import datetime as dt

import pytest

from advocacy.extensions import db
from advocacy.parliamentarians.models import Chamber, Parliamentarian

VALID = {"full_name": "Petras Auštrevičius", "parliament": "European Parliament", "chamber": "single",
         "country": "lt", "political_group": "Renew", "email": "Petras@Example.org", "languages": "lt, en, ru",
         "committees": "AFET, DROI", "time_zone": "Europe/Vilnius", "external_id": "124766",
         "mandate_start_on": "2024-07-16"}


@pytest.fixture()
def staff(login_as):
    return login_as("staff")


def test_staff_adds_a_parliamentarian(client, staff):
    assert client.post("/parliamentarians/new", data=VALID).status_code == 302
    m = db.session.scalar(db.select(Parliamentarian))
    assert (m.country, m.email, m.languages, m.chamber) == ("LT", "petras@example.org", "lt,en,ru", Chamber.SINGLE)


def test_national_upper_house_member(client, staff):
    data = {**VALID, "full_name": "Anna Senator", "parliament": "Senat RP", "chamber": "upper", "country": "PL",
            "external_id": "S-12", "time_zone": "Europe/Warsaw"}
    assert client.post("/parliamentarians/new", data=data).status_code == 302
    assert db.session.scalar(db.select(Parliamentarian)).chamber == Chamber.UPPER


@pytest.mark.parametrize("change,message", [
    ({"full_name": ""}, b"This field is required"),
    ({"country": "XX"}, b"Choose a country from the list"),
    ({"email": "not-an-email"}, b"is not valid"),
    ({"time_zone": "Mars/Olympus"}, b"Choose a time zone from the list"),
    ({"languages": "klingon"}, b"Unknown language code"),
    ({"mandate_end_on": "2020-01-01"}, b"cannot end before it starts"),
])
def test_bad_parliamentarian_input_writes_nothing(client, staff, change, message):
    resp = client.post("/parliamentarians/new", data={**VALID, **change})
    assert resp.status_code == 400 and message in resp.data
    assert db.session.scalar(db.select(db.func.count(Parliamentarian.id))) == 0


def test_duplicate_external_id_in_same_parliament_refused(client, staff, create_parliamentarian):
    create_parliamentarian(external_id="124766", parliament="European Parliament")
    resp = client.post("/parliamentarians/new", data=VALID)
    assert resp.status_code == 400 and b"has this external id" in resp.data


def test_search_ignores_case_and_diacritics(client, staff, create_parliamentarian):
    create_parliamentarian(full_name="Petras AUŠTREVIČIUS")
    create_parliamentarian(full_name="Reinhard BÜTIKOFER")
    resp = client.get("/parliamentarians/?q=austrevicius")
    assert b"Petras AU" in resp.data and b"Reinhard" not in resp.data


def test_ended_mandate_marks_open_pairings_as_needing_successor(client, staff, create_parliamentarian, create_pairing):
    gone = create_parliamentarian(full_name="Former Member", mandate_end_on=dt.date(2024, 7, 15))
    create_pairing(parliamentarian=gone)
    current = create_pairing()
    resp = client.get(f"/parliamentarians/{gone.id}")
    assert b"needs a new godparent" in resp.data
    resp = client.get("/parliamentarians/needs-successor")
    assert b"Former Member" in resp.data and current.parliamentarian.full_name.encode() not in resp.data
    resp = client.get("/parliamentarians/?mandate_ended=1")
    assert b"Former Member" in resp.data


def test_parliamentarian_role_cannot_reach_register(client, login_as, create_parliamentarian):
    login_as("parliamentarian")
    other = create_parliamentarian()
    for url in ("/parliamentarians/", f"/parliamentarians/{other.id}", f"/parliamentarians/{other.id}/edit",
                "/parliamentarians/new", "/parliamentarians/needs-successor"):
        assert client.get(url).status_code == 403, url


def test_unknown_parliamentarian_404(client, staff):
    assert client.get("/parliamentarians/424242").status_code == 404


def test_list_query_count_is_bounded(client, staff, count_queries):
    def fill(n):
        for i in range(n):
            db.session.add(Parliamentarian(full_name=f"Bulk {i}", country="DE"))
        db.session.commit()
    fill(10)
    with count_queries() as small:
        client.get("/parliamentarians/")
    fill(990)
    with count_queries() as large:
        client.get("/parliamentarians/?page=3")
    assert small.count == large.count
