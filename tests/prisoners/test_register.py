import datetime as dt

import pytest

from advocacy.audit.models import AuditEntry
from advocacy.extensions import db
from advocacy.pairings.models import EndReason, PairingStatus
from advocacy.prisoners import services
from advocacy.prisoners.models import KeyDate, Prisoner, PrisonerStatus, Visibility

VALID = {
    "name": "Maryia Kalesnikava",
    "alt_names": "Мария Колесникова\nМарыя Калеснікава\nMaria Kolesnikova",
    "birth_date": "1982-04-24",
    "detained_on": "2020-09-07",
    "status": "sentenced",
    "visibility": "public",
    "has_family_consent": "y",
    "languages": "be, ru, de",
    "ties_countries": "DE",
    "source_id": "viasna-0001",
    "source_url": "https://prisoners.spring96.org/en/person/maryja-kalesnikava",
    "sentence_text": "11 years",
    "sentence_months": "132",
    "facility_id": "0",
}


@pytest.fixture()
def staff(login_as):
    return login_as("staff")


def test_staff_adds_a_prisoner_and_it_is_audited(client, staff):
    resp = client.post("/prisoners/new", data=VALID)
    assert resp.status_code == 302
    p = db.session.scalar(db.select(Prisoner))
    assert p.name == "Maryia Kalesnikava" and p.visibility == Visibility.PUBLIC
    assert p.status_changes[0].status == PrisonerStatus.SENTENCED
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "Prisoner"))
    assert entry.actor == staff.email and entry.changes["name"] == [None, "Maryia Kalesnikava"]


@pytest.mark.parametrize("change,message", [
    ({"name": ""}, b"This field is required"),
    ({"detained_on": "2030-01-01"}, b"cannot be in the future"),
    ({"birth_date": "1990-01-01", "detained_on": "1985-01-01"}, b"Detained before being born"),
    ({"detained_on": "1850-06-01"}, b"too long ago"),
    ({"source_url": "javascript:alert(1)"}, b"http:// or https://"),
    ({"name": "x" * 201}, b"Field cannot be longer than 200"),
    ({"sentence_months": "5000"}, b"Number must be between 0 and 1200"),
    ({"languages": "zz, en"}, b"Unknown language code"),
    ({"ties_countries": "XX"}, b"Unknown country code(s): XX"),
    ({"birth_date": "not-a-date"}, b"Not a valid date value"),
])
def test_bad_prisoner_input_rerenders_and_writes_nothing(client, staff, change, message):
    resp = client.post("/prisoners/new", data={**VALID, **change})
    assert resp.status_code == 400
    assert message in resp.data
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0


def test_duplicate_source_id_is_refused(client, staff, create_prisoner):
    create_prisoner(source_id="viasna-0001")
    resp = client.post("/prisoners/new", data=VALID)
    assert resp.status_code == 400 and b"already has this source id" in resp.data


def test_no_family_consent_keeps_prisoner_private(client, staff):
    data = {**VALID}
    data.pop("has_family_consent")
    client.post("/prisoners/new", data=data)
    assert db.session.scalar(db.select(Prisoner)).visibility == Visibility.PRIVATE


@pytest.mark.parametrize("query", ["Kalesnikava", "Kolesnikova", "Калеснікава", "колесникова",
                                   "kalesnikava maria", "KALESNIKAVA", "Maryja Kalesnikava"])
def test_search_finds_a_prisoner_by_any_spelling(client, staff, create_prisoner, query):
    create_prisoner(name="Maryia Kalesnikava", alt_names="Мария Колесникова\nМарыя Калеснікава\nMaria Kolesnikova\nMaryja")
    create_prisoner(name="Ales Bialiatski", alt_names="Алесь Бяляцкі")
    resp = client.get("/prisoners/", query_string={"q": query})
    assert b"Maryia Kalesnikava" in resp.data
    assert b"Ales Bialiatski" not in resp.data


def test_search_ignores_diacritics(create_prisoner):
    create_prisoner(name="Ihar Losik", alt_names="Ігар Лосік")
    assert [p.name for p in services.search("LOSÍK")] == ["Ihar Losik"]
    assert [p.name for p in services.search("Лосік")] == ["Ihar Losik"]


def test_uncovered_filter_lists_prisoners_without_active_godparent(client, staff, create_prisoner, create_pairing):
    covered = create_prisoner(name="Covered Person")
    create_pairing(prisoner=covered)
    create_prisoner(name="Uncovered Person")
    resp = client.get("/prisoners/?uncovered=1")
    assert b"Uncovered Person" in resp.data and b"Covered Person</a>" not in resp.data


def test_filters_by_status_and_humanitarian(client, staff, create_prisoner):
    create_prisoner(name="Sick Person", risk_serious_illness=True)
    create_prisoner(name="Free Person", status=PrisonerStatus.RELEASED)
    resp = client.get("/prisoners/?humanitarian=1")
    assert b"Sick Person" in resp.data and b"Free Person" not in resp.data
    resp = client.get("/prisoners/?status=released")
    assert b"Free Person" in resp.data and b"Sick Person" not in resp.data


def test_edit_saves_changes(client, staff, create_prisoner):
    p = create_prisoner(**{"name": "Old Name"})
    resp = client.post(f"/prisoners/{p.id}/edit", data={**VALID, "name": "New Name", "source_id": p.source_id})
    assert resp.status_code == 302
    db.session.refresh(p)
    assert p.name == "New Name"


def test_release_ends_open_pairings_with_that_reason(client, staff, create_pairing):
    pairing = create_pairing()
    resp = client.post(f"/prisoners/{pairing.prisoner_id}/status",
                       data={"status": "released", "changed_on": "2026-11-01", "note": "Pardoned and freed"})
    assert resp.status_code == 302
    db.session.refresh(pairing)
    assert pairing.status == PairingStatus.ENDED
    assert pairing.end_reason == EndReason.PRISONER_RELEASED
    assert pairing.prisoner.status_changes[0].status == PrisonerStatus.RELEASED


def test_archive_hides_from_default_list(client, staff, create_prisoner):
    p = create_prisoner(name="Archived Person")
    client.post(f"/prisoners/{p.id}/archive", data={"confirmed": "yes"})
    assert b">Archived Person</a>" not in client.get("/prisoners/").data
    assert b">Archived Person</a>" in client.get("/prisoners/?archived=1").data


def test_key_dates_add_edit_delete_and_validation(client, staff, create_prisoner):
    p = create_prisoner()
    resp = client.post(f"/prisoners/{p.id}/key-dates/new",
                       data={"kind": "trial", "occurs_on": "2026-12-10", "place": "Minsk City Court"})
    assert resp.status_code == 302
    kd = db.session.scalar(db.select(KeyDate))
    resp = client.post(f"/prisoners/key-dates/{kd.id}/edit", data={"kind": "trial", "occurs_on": "1850-12-03"})
    assert resp.status_code == 400 and b"too long ago" in resp.data
    client.post(f"/prisoners/key-dates/{kd.id}/edit", data={"kind": "trial", "occurs_on": "2026-12-03"})
    db.session.refresh(kd)
    assert kd.occurs_on == dt.date(2026, 12, 3)
    client.post(f"/prisoners/key-dates/{kd.id}/delete", data={"confirmed": "yes"})
    assert db.session.scalar(db.select(db.func.count(KeyDate.id))) == 0


def test_unknown_prisoner_is_404(client, staff):
    assert client.get("/prisoners/999999").status_code == 404
    assert client.post("/prisoners/999999/edit", data=VALID).status_code == 404


def test_prisoner_form_needs_csrf_token(client, staff, csrf_enabled):
    resp = client.post("/prisoners/new", data=VALID)
    assert resp.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0


def _fill(n, create_facility):
    from advocacy.pairings.models import Pairing
    from advocacy.parliamentarians.models import Parliamentarian

    facility = create_facility()
    mep = Parliamentarian(full_name="Load Test", country="DE", email="load@example.org")
    db.session.add(mep)
    for i in range(n):
        p = Prisoner(name=f"Bulk {i}", facility=facility, detained_on=dt.date(2021, 1, 1),
                     status=PrisonerStatus.SENTENCED, has_family_consent=bool(i % 2))
        db.session.add(p)
        db.session.add(KeyDate(prisoner=p, kind="trial", occurs_on=dt.date(2027, 1, 1)))
        db.session.add(Pairing(parliamentarian=mep, prisoner=p, status=PairingStatus.ACTIVE))
    db.session.commit()


def test_prisoner_list_query_count_does_not_grow_with_data(client, staff, create_facility, count_queries):
    _fill(10, create_facility)
    with count_queries() as small:
        assert client.get("/prisoners/").status_code == 200
    _fill(990, create_facility)
    with count_queries() as large:
        assert client.get("/prisoners/?page=2").status_code == 200
    assert small.count == large.count, (small.statements, large.statements)
