from advocacy.audit.models import AuditEntry
from advocacy.extensions import db


def test_staff_sees_who_changed_what_on_a_prisoner(client, login_as, create_prisoner):
    staff = login_as("staff")
    p = create_prisoner(name="Before")
    client.post(f"/prisoners/{p.id}/archive", data={"confirmed": "yes"})
    resp = client.get(f"/audit/Prisoner/{p.id}")
    assert resp.status_code == 200
    assert staff.name.encode() in resp.data and b"Archived" in resp.data and b"is_archived" not in resp.data
    assert b"History of Before" in resp.data


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


def _audit(client, **args):
    return client.get("/audit/", query_string=args).get_data(as_text=True)


def test_audit_log_names_objects_and_fields_and_resolves_references(client, login_as, create_prisoner, create_facility):
    staff = login_as("staff")
    old, new = create_facility(name="IK-1 Navapolatsk"), create_facility(name="IK-15 Mahiliou")
    prisoner = create_prisoner(name="Ihar Losik", facility=old)
    assert prisoner.facility_id == old.id  # loaded, as an edit form does (the hook records loaded old values)
    prisoner.facility_id = new.id
    prisoner.is_humanitarian = True
    db.session.commit()
    html = _audit(client, type="Prisoner")
    assert "Ihar Losik" in html and "Facility" in html and "Humanitarian" in html
    assert "<del>IK-1 Navapolatsk</del> → <ins>IK-15 Mahiliou</ins>" in html
    assert "facility_id" not in html and "Prisoner #" not in html and "<del>no</del> → <ins>yes</ins>" in html
    # A deleted record keeps the name its entries recorded.
    db.session.delete(prisoner)
    db.session.commit()
    html = _audit(client, type="Prisoner")
    assert "Ihar Losik" in html and "no longer exists" in html
    assert staff  # logged in as staff throughout


def test_audit_times_are_in_the_viewers_zone(client, login_as, create_prisoner):
    import datetime as dt
    login_as("staff")
    p = create_prisoner(name="Zone Test")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "Prisoner", AuditEntry.object_id == p.id))
    entry.created_at = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.timezone.utc)
    db.session.commit()
    assert "1 Jul 2026 12:00 UTC" in _audit(client, object="Zone Test")
    client.set_cookie("tz", "Europe/Vilnius")
    html = _audit(client, object="Zone Test")
    assert "1 Jul 2026 15:00 EEST" in html and "Times in Europe/Vilnius" in html
    client.set_cookie("tz", "Not/AZone")
    assert "1 Jul 2026 12:00 UTC" in _audit(client, object="Zone Test")


def test_audit_log_filters_by_person_object_type_and_date(client, login_as, create_prisoner, create_facility, create_user):
    import datetime as dt
    staff = login_as("staff")
    create_prisoner(name="Maryia Kalesnikava")
    create_facility(name="Zhodzina prison")
    someone = create_user(role="staff", name="Somebody Else")
    db.session.add(AuditEntry(user_id=someone.id, actor=someone.email, action="update", object_type="Prisoner",
                              object_id=999999, changes={"sentence_text": ["5 years", "6 years"]},
                              created_at=dt.datetime(2020, 5, 5, 10, 0, tzinfo=dt.timezone.utc)))
    db.session.commit()
    by_type = _audit(client, type="Facility")
    assert "Zhodzina prison" in by_type and "Maryia Kalesnikava" not in by_type
    by_name = _audit(client, object="kalesnik")
    assert "Maryia Kalesnikava" in by_name and "Zhodzina prison" not in by_name
    by_person = _audit(client, who=f"u{someone.id}")
    assert "Somebody Else" in by_person and "Maryia Kalesnikava" not in by_person
    assert f'value="u{someone.id}" selected' in by_person  # the person filter lists who made changes
    by_date = _audit(client, **{"from": "2020-05-05", "to": "2020-05-05"})
    assert "Prisoner #999999" in by_date and "Maryia Kalesnikava" not in by_date
    assert "Prisoner #999999" not in _audit(client, **{"from": "2020-05-06"})
    assert "Maryia Kalesnikava" in _audit(client, **{"from": "not-a-date"})  # ignored, not a 500


def test_audit_log_is_paginated(client, login_as, create_facility):
    login_as("staff")
    for n in range(35):
        create_facility(name=f"Facility {n:02d}")
    first = _audit(client, type="Facility")
    assert "Page 1 of 2" in first and "Facility 34" in first and "Facility 00" not in first
    second = _audit(client, type="Facility", page=2)
    assert "Facility 00" in second and "Facility 34" not in second
