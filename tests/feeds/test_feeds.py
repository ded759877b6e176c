import re

from icalendar import Calendar


def _secret_url(client, page, name="My phone"):
    """Make a new named address on ``page`` and read it from the page it is shown on (once)."""
    resp = client.post("/feeds/new", data={"name": name})
    assert resp.status_code == 302
    html = client.get(page).get_data(as_text=True)
    return re.search(r"http://localhost(/feeds/[^<\s]+\.ics)", html).group(1)


def test_parliamentarian_feed_holds_their_prisoners_dates(client, login_as, world, create_pairing, create_prisoner):
    other = create_pairing()  # someone else's prisoner
    login_as("parliamentarian", parliamentarian=world["mep"])
    path = _secret_url(client, "/feeds/mine")
    client.post("/auth/logout")
    resp = client.get(path)  # no login needed: the secret is the key
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(resp.data)
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert "Appeal hearing: Ihar Losik" in summaries
    # private prisoners are the godparent's own, under a code (issue 16)
    assert f"Trial hearing: HT-{world['private'].id}" in summaries
    assert "Birthday: Ihar Losik" in summaries and "Anniversary of the arrest: Ihar Losik" in summaries
    assert not any(other.prisoner.name in s for s in summaries)
    birthday = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Birthday: Ihar Losik")
    assert birthday["RRULE"]["FREQ"] == ["YEARLY"]
    appeal = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Appeal"))
    assert str(appeal["LOCATION"]) == "Supreme Court"


def test_two_devices_have_their_own_addresses_and_revoking_one_leaves_the_other(client, login_as, world):
    login_as("parliamentarian", parliamentarian=world["mep"])
    phone = _secret_url(client, "/feeds/mine", name="Phone")
    laptop = _secret_url(client, "/feeds/mine", name="Outlook on the laptop")
    assert phone != laptop
    assert client.get(phone).status_code == 200 and client.get(laptop).status_code == 200
    page = client.get("/feeds/mine").get_data(as_text=True)
    assert "Phone" in page and "Outlook on the laptop" in page and "never" not in page  # both fetched once
    assert page.count("http://localhost/feeds/") == 0  # a secret is shown only once

    from advocacy.feeds.models import FeedToken
    from advocacy.extensions import db
    phone_id = db.session.scalar(db.select(FeedToken.id).where(FeedToken.name == "Phone"))
    resp = client.post(f"/feeds/{phone_id}/revoke", follow_redirects=True)
    assert "no longer works" in resp.get_data(as_text=True)
    assert client.get(phone).status_code == 404
    assert client.get(laptop).status_code == 200
    page = client.get("/feeds/mine").get_data(as_text=True)
    assert "Outlook on the laptop" in page and ">Phone<" not in page
    assert client.get("/feeds/not-a-token.ics").status_code == 404


def test_feed_needs_a_name_and_one_cannot_revoke_anothers(client, login_as, world, create_user):
    login_as("parliamentarian", parliamentarian=world["mep"])
    resp = client.post("/feeds/new", data={"name": "  "})
    assert resp.status_code == 400 and "Give the device or calendar a name" in resp.get_data(as_text=True)
    from advocacy.feeds import services
    from advocacy.extensions import db
    staff = create_user(role="staff")
    services.create(staff, "Staff laptop")
    from advocacy.feeds.models import FeedToken
    staff_feed = db.session.scalar(db.select(FeedToken.id).where(FeedToken.user_id == staff.id))
    assert client.post(f"/feeds/{staff_feed}/revoke").status_code == 404
    assert db.session.get(FeedToken, staff_feed) is not None


def test_all_addresses_die_with_a_role_change_or_deactivation(client, login_as, world, create_user):
    staff = create_user(role="staff")
    from advocacy.extensions import db
    from advocacy.feeds import services
    secrets_ = [services.create(staff, "Phone"), services.create(staff, "Desk")]
    db.session.commit()
    assert all(client.get(f"/feeds/{s}.ics").status_code == 200 for s in secrets_)
    # A role changed by any code path: the addresses were made for the old role and stop working.
    from advocacy.auth.models import Role
    staff.role = Role.PARLIAMENTARIAN
    db.session.commit()
    assert all(client.get(f"/feeds/{s}.ics").status_code == 404 for s in secrets_)
    staff.role = Role.STAFF
    db.session.commit()
    # Through the admin page, a role change or deactivation deletes them.
    login_as("admin")
    resp = client.post(f"/admin/users/{staff.id}/edit", data={"email": staff.email, "name": staff.name, "role": "admin",
                                                        "parliamentarian_id": "0", "is_active_account": "y"})
    assert resp.status_code == 302
    assert services.feeds_of(staff) == []
    assert all(client.get(f"/feeds/{s}.ics").status_code == 404 for s in secrets_)
    other = create_user(role="staff")
    kept = services.create(other, "Phone")
    db.session.commit()
    client.post(f"/admin/users/{other.id}/edit", data={"email": other.email, "name": other.name, "role": "staff",
                                                 "parliamentarian_id": "0"})  # unticked: deactivated
    assert services.feeds_of(other) == [] and client.get(f"/feeds/{kept}.ics").status_code == 404


def test_staff_feed_has_every_prisoner_in_custody(client, login_as, world):
    login_as("staff")
    assert b'href="/feeds/staff"' in client.get("/staff/").data  # reachable from the dashboard
    cal = Calendar.from_ical(client.get(_secret_url(client, "/feeds/staff")).data)
    names = " ".join(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert "Ihar Losik" in names and f"HT-{world['private'].id}" in names  # private: a code (issue 16)
    assert "Hanna" not in names


def test_birth_year_only_gives_no_birthday_event(client, login_as, create_pairing, create_prisoner):
    pairing = create_pairing(prisoner=create_prisoner(name="Year Only", birth_date=None, birth_year=1970))
    login_as("parliamentarian", parliamentarian=pairing.parliamentarian)
    cal = Calendar.from_ical(client.get(_secret_url(client, "/feeds/mine")).data)
    assert not any("Birthday" in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
