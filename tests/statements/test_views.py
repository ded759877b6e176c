import pytest

from advocacy.extensions import db
from advocacy.statements.models import Statement, StatementKind

VALID = {"kind": "speech", "made_on": "2026-10-01", "title": "Plenary speech for Maryia",
         "url": "https://www.europarl.europa.eu/plenary/speech", "summary": "Free her now.", "language": "en",
         "is_public": "y"}


@pytest.fixture()
def staff(login_as):
    return login_as("staff")


def test_staff_records_and_edits_a_statement(client, staff, create_pairing):
    p = create_pairing()
    assert client.post(f"/statements/new/{p.id}", data=VALID).status_code == 302
    s = db.session.scalar(db.select(Statement))
    assert s.kind == StatementKind.SPEECH and not s.is_verified and s.created_by_id == staff.id
    assert client.post(f"/statements/{s.id}/edit", data={**VALID, "title": "Changed"}).status_code == 302
    db.session.refresh(s)
    assert s.title == "Changed"


@pytest.mark.parametrize("change,message", [
    ({"title": ""}, b"This field is required"),
    ({"url": "ftp://x.org/a"}, b"http:// or https://"),
    ({"made_on": "2099-01-01"}, b"cannot be in the future"),
    ({"made_on": "1950-01-01"}, b"too long ago"),
    ({"title": "t" * 301}, b"longer than 300"),
    ({"language": "xx"}, b"Unknown language code"),
    ({"kind": "propaganda"}, b"Not a valid choice"),
])
def test_bad_statement_input_writes_nothing(client, staff, create_pairing, change, message):
    p = create_pairing()
    resp = client.post(f"/statements/new/{p.id}", data={**VALID, **change})
    assert resp.status_code == 400 and message in resp.data
    assert db.session.scalar(db.select(db.func.count(Statement.id))) == 0


def test_verify_records_who_and_when(client, staff, create_statement):
    s = create_statement()
    client.post(f"/statements/{s.id}/verify")
    db.session.refresh(s)
    assert s.verified_by_id == staff.id and s.verified_at is not None
    client.post(f"/statements/{s.id}/verify")
    db.session.refresh(s)
    assert s.verified_at is None


def test_toggle_public_and_delete(client, staff, create_statement):
    s = create_statement(is_public=True)
    client.post(f"/statements/{s.id}/public")
    db.session.refresh(s)
    assert s.is_public is False
    client.post(f"/statements/{s.id}/delete", data={"confirmed": "yes"})
    assert db.session.get(Statement, s.id) is None


def test_list_filters_unverified(client, staff, create_statement):
    create_statement(title="Needs checking")
    from advocacy.db_types import utcnow
    create_statement(title="Already checked", verified_at=utcnow())
    resp = client.get("/statements/?verified=0")
    assert b"Needs checking" in resp.data and b"Already checked" not in resp.data


def test_bad_date_filter_is_ignored_with_message_not_500(client, staff):
    resp = client.get("/statements/?from=yesterday")
    assert resp.status_code == 200 and b"Ignored the" in resp.data


def test_parliamentarian_gets_403_on_staff_statement_pages(client, login_as, create_statement):
    s = create_statement()
    login_as("parliamentarian", parliamentarian=s.pairing.parliamentarian)
    assert client.get("/statements/").status_code == 403
    assert client.get(f"/statements/{s.id}/edit").status_code == 403
    assert client.post(f"/statements/{s.id}/verify").status_code == 403
    assert client.post(f"/statements/{s.id}/delete").status_code == 403
    assert db.session.get(Statement, s.id) is not None


def test_statement_list_query_count_bounded(client, staff, create_statement, count_queries):
    for _ in range(3):
        create_statement()
    with count_queries() as small:
        client.get("/statements/")
    for _ in range(30):
        create_statement()
    with count_queries() as large:
        client.get("/statements/")
    assert small.count == large.count


def test_verify_goes_back_only_to_our_own_pages(client, staff, create_statement):
    s = create_statement()
    resp = client.post(f"/statements/{s.id}/verify", headers={"Referer": "https://evil.example/phish"})
    assert resp.headers["Location"] == "/statements/"
    resp = client.post(f"/statements/{s.id}/verify", headers={"Referer": "http://localhost/statements/?verified=0"})
    assert resp.headers["Location"] == "/statements/?verified=0"  # our own page, as a relative path
