import pytest

from advocacy.audit.models import AuditEntry
from advocacy.extensions import db
from advocacy.pairings.models import EndReason, Pairing, PairingStatus


@pytest.fixture()
def staff(login_as):
    return login_as("staff")


def test_staff_creates_a_pairing_and_it_is_audited(client, staff, create_parliamentarian, create_prisoner):
    mep, prisoner = create_parliamentarian(), create_prisoner()
    resp = client.post("/pairings/new", data={"parliamentarian_id": mep.id, "prisoner_id": prisoner.id, "status": "active"})
    assert resp.status_code == 302
    pairing = db.session.scalar(db.select(Pairing))
    assert pairing.status == PairingStatus.ACTIVE and pairing.created_by_id == staff.id
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "Pairing")).user_id == staff.id


def test_duplicate_open_pairing_rerenders_with_message(client, staff, create_pairing):
    p = create_pairing()
    resp = client.post("/pairings/new", data={"parliamentarian_id": p.parliamentarian_id, "prisoner_id": p.prisoner_id,
                                              "status": "active"})
    assert resp.status_code == 400 and b"already has an open pairing" in resp.data
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 1


def test_unknown_ids_rerender(client, staff):
    resp = client.post("/pairings/new", data={"parliamentarian_id": 999, "prisoner_id": 998, "status": "active"})
    assert resp.status_code == 400 and b"No parliamentarian with this id" in resp.data


def test_end_pairing_with_reason(client, staff, create_pairing):
    p = create_pairing()
    resp = client.post(f"/pairings/{p.id}/end", data={"reason": "withdrew", "ended_on": "2026-11-20", "note": "Left politics", "confirmed": "yes"})
    assert resp.status_code == 302
    db.session.refresh(p)
    assert (p.status, p.end_reason, p.end_note) == (PairingStatus.ENDED, EndReason.WITHDREW, "Left politics")


def test_list_filters_by_status_and_country(client, staff, create_pairing, create_parliamentarian):
    create_pairing(parliamentarian=create_parliamentarian(full_name="German Member", country="DE"))
    create_pairing(parliamentarian=create_parliamentarian(full_name="Lithuanian Member", country="LT"),
                   status=PairingStatus.ENDED)
    resp = client.get("/pairings/?country=LT")
    assert b"Lithuanian Member" in resp.data and b"German Member" not in resp.data
    resp = client.get("/pairings/?status=active")
    assert b"German Member" in resp.data and b"Lithuanian Member" not in resp.data


def test_parliamentarian_gets_403_on_pairing_pages(client, login_as, create_pairing):
    p = create_pairing()
    login_as("parliamentarian", parliamentarian=p.parliamentarian)
    for url in ("/pairings/", f"/pairings/{p.id}", "/pairings/new"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/pairings/{p.id}/end", data={"reason": "withdrew", "ended_on": "2026-11-20"}).status_code == 403
    db.session.refresh(p)
    assert p.status == PairingStatus.ACTIVE


def test_pairing_list_query_count_bounded(client, staff, create_pairing, count_queries):
    for _ in range(3):
        create_pairing()
    with count_queries() as small:
        client.get("/pairings/")
    for _ in range(30):
        create_pairing()
    with count_queries() as large:
        client.get("/pairings/")
    assert small.count == large.count
