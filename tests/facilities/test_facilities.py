from advocacy.extensions import db
from advocacy.prisoners.models import Facility


def test_staff_adds_and_edits_a_facility(client, login_as):
    login_as("staff")
    resp = client.post("/facilities/new", data={
        "name": "Penal colony No. 4, Homiel", "name_cyrillic": "ИК-4", "kind": "penal_colony",
        "address_cyrillic": "246035, г. Гомель, ул. Могилевская, 39А, ИК-4"})
    assert resp.status_code == 302
    f = db.session.scalar(db.select(Facility))
    assert f.address_cyrillic.startswith("246035")
    resp = client.post(f"/facilities/{f.id}/edit", data={"name": "", "kind": "penal_colony"})
    assert resp.status_code == 400 and b"This field is required" in resp.data
    db.session.refresh(f)
    assert f.name == "Penal colony No. 4, Homiel"


def test_facility_page_lists_prisoners_held_there(client, login_as, create_facility, create_prisoner):
    login_as("staff")
    f = create_facility(name="Zhodzina prison No. 8")
    create_prisoner(name="Held Here", facility=f)
    resp = client.get(f"/facilities/{f.id}")
    assert b"Held Here" in resp.data and b"Zhodzina prison No. 8" in resp.data


def test_parliamentarian_cannot_reach_facilities(client, login_as, create_facility):
    login_as("parliamentarian")
    f = create_facility()
    assert client.get("/facilities/").status_code == 403
    assert client.get(f"/facilities/{f.id}").status_code == 403
    assert client.post("/facilities/new", data={"name": "x"}).status_code == 403
