from advocacy.audit.models import AuditEntry
from advocacy.extensions import db


def test_staff_sees_who_changed_what_on_a_prisoner(client, login_as, create_prisoner):
    staff = login_as("staff")
    p = create_prisoner(name="Before")
    client.post(f"/prisoners/{p.id}/archive", data={"confirmed": "yes"})
    resp = client.get(f"/audit/Prisoner/{p.id}")
    assert resp.status_code == 200
    assert staff.email.encode() in resp.data and b"is_archived" in resp.data


def test_user_changes_are_audited_without_password_hash(client, login_as, create_user):
    login_as("admin")
    other = create_user(name="Original")
    client.post(f"/admin/users/{other.id}/edit", data={"email": other.email, "name": "Renamed", "role": "staff",
                                                       "is_active_account": "y"})
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type == "User",
                                                             AuditEntry.object_id == other.id)).all()
    assert any(e.changes.get("name") == ["Original", "Renamed"] for e in entries)
    assert all("password_hash" not in e.changes for e in entries)


def test_unknown_object_type_is_404_and_parliamentarian_403(client, login_as):
    login_as("staff")
    assert client.get("/audit/Nope/1").status_code == 404
    client.post("/auth/logout")
    login_as("parliamentarian")
    assert client.get("/audit/").status_code == 403
