import pytest

from advocacy.api.models import ApiToken
from advocacy.audit.models import AuditEntry
from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.pairings.models import Pairing
from advocacy.prisoners.models import Prisoner


def test_no_or_bad_or_revoked_token_is_401(client, api_token):
    assert client.get("/api/v1/prisoners").status_code == 401
    assert client.get("/api/v1/prisoners", headers={"Authorization": "Bearer nope"}).get_json()["error"]["code"] == 401
    token = db.session.scalar(db.select(ApiToken))
    token.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/prisoners", headers={"Authorization": f"Bearer {api_token}"}).status_code == 401


def test_prisoner_crud_and_audit_actor(api):
    resp = api.post("/prisoners", json={"name": "Ihar Losik", "alt_names": "Ігар Лосік", "detained_on": "2020-06-25",
                                        "status": "sentenced", "has_family_consent": True, "visibility": "public"})
    assert resp.status_code == 201, resp.get_json()
    pid = resp.get_json()["id"]
    assert api.get(f"/prisoners/{pid}").get_json()["visibility"] == "public"
    resp = api.patch(f"/prisoners/{pid}", json={"has_family_consent": False})
    assert resp.get_json()["visibility"] == "private"  # no consent means private, through the API too
    assert api.delete(f"/prisoners/{pid}").status_code == 204
    assert db.session.get(Prisoner, pid).is_archived
    actors = set(db.session.scalars(db.select(AuditEntry.actor).where(AuditEntry.object_type == "Prisoner")))
    assert actors == {"api:integration tests"}


@pytest.mark.parametrize("body,field", [
    ({"alt_names": "x"}, "name"),
    ({"name": 5}, "name"),
    ({"name": "A", "detained_on": "2021-02-30"}, "detained_on"),
    ({"name": "A", "status": "escaped"}, "status"),
    ({"name": "A", "colour": "red"}, "colour"),
    ({"name": "A", "id": 7}, "id"),
    ({"name": "A", "birth_date": "1990-01-01", "detained_on": "1980-01-01"}, "detained_on"),
    ({"name": "A", "sentence_months": True}, "sentence_months"),
])
def test_invalid_fields_are_422_with_field_errors_and_write_nothing(api, body, field):
    resp = api.post("/prisoners", json=body)
    assert resp.status_code == 422
    assert field in resp.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0


def test_invalid_json_and_wrong_content_type_are_400(api, client, api_token):
    resp = client.post("/api/v1/prisoners", data="{not json", headers={"Authorization": f"Bearer {api_token}",
                                                                       "Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.get_json()["error"]["message"] == "The body is not valid JSON."
    resp = client.post("/api/v1/prisoners", data="name=x", headers={"Authorization": f"Bearer {api_token}"})
    assert resp.status_code == 400
    assert api.post("/prisoners", json=[1, 2]).status_code == 422


def test_unknown_ids_and_resources_are_404(api):
    assert api.get("/prisoners/999").status_code == 404
    assert api.get("/dragons").status_code == 404
    assert api.post("/key_dates", json={"prisoner_id": 999, "kind": "trial", "occurs_on": "2026-12-01"}).status_code == 404


def test_duplicate_open_pairing_is_409(api, create_parliamentarian, create_prisoner):
    m, p = create_parliamentarian(), create_prisoner()
    assert api.post("/pairings", json={"parliamentarian_id": m.id, "prisoner_id": p.id}).status_code == 201
    resp = api.post("/pairings", json={"parliamentarian_id": m.id, "prisoner_id": p.id})
    assert resp.status_code == 409 and "already has an open pairing" in resp.get_json()["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 1


def test_ending_a_pairing_through_patch(api, create_pairing):
    pairing = create_pairing()
    resp = api.patch(f"/pairings/{pairing.id}", json={"status": "ended", "end_reason": "mandate_ended"})
    assert resp.status_code == 200 and resp.get_json()["end_reason"] == "mandate_ended"
    assert api.patch(f"/pairings/{pairing.id}", json={"status": "active"}).status_code == 409
    assert api.delete(f"/pairings/{pairing.id}").status_code == 409


def test_pagination(api, create_prisoner):
    for _ in range(7):
        create_prisoner()
    page = api.get("/prisoners?per_page=3&page=3").get_json()
    assert page["total"] == 7 and page["page"] == 3 and len(page["items"]) == 1
    assert api.get("/prisoners?per_page=500").status_code == 400


def test_statement_and_key_date_crud(api, create_pairing):
    pairing = create_pairing()
    s = api.post("/statements", json={"pairing_id": pairing.id, "made_on": "2026-10-01", "kind": "speech", "title": "Free them"})
    assert s.status_code == 201
    assert api.patch(f"/statements/{s.get_json()['id']}", json={"pairing_id": 5}).status_code == 422
    k = api.post("/key_dates", json={"prisoner_id": pairing.prisoner_id, "kind": "appeal", "occurs_on": "2026-12-20",
                                     "occurs_at_time": "10:30"})
    assert k.status_code == 201 and k.get_json()["occurs_at_time"] == "10:30:00"
    assert api.delete(f"/key_dates/{k.get_json()['id']}").status_code == 204


def test_parliamentarian_validation(api):
    assert api.post("/parliamentarians", json={"full_name": "X", "country": "ZZ"}).status_code == 422
    assert api.post("/parliamentarians", json={"full_name": "X", "country": "LT", "time_zone": "Mars/Base"}).status_code == 422
    resp = api.post("/parliamentarians", json={"full_name": "X", "country": "LT", "time_zone": "Europe/Vilnius"})
    assert resp.status_code == 201 and resp.get_json()["country"] == "LT"


def test_openapi_document_is_valid():
    from openapi_spec_validator import validate

    from advocacy.api.schema import openapi
    validate(openapi())


def test_admin_creates_and_revokes_tokens(client, login_as):
    login_as("admin")
    resp = client.post("/admin/api-tokens/", data={"name": "sync"}, follow_redirects=True)
    text = resp.get_data(as_text=True)
    secret = text.split('<pre class="feed-url">')[1].split("</pre>")[0]
    assert client.get("/api/v1/prisoners", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    token = db.session.scalar(db.select(ApiToken))
    assert token.token_hash != secret and secret not in token.token_hash
    client.post(f"/admin/api-tokens/{token.id}/revoke", data={"confirmed": "yes"})
    assert client.get("/api/v1/prisoners", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    client.post("/auth/logout")
    login_as("staff")
    assert client.get("/admin/api-tokens/").status_code == 403
