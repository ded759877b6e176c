import re

from icalendar import Calendar


def _secret_url(client, page):
    html = client.get(page).get_data(as_text=True)
    return re.search(r"http://localhost(/feeds/[^<\s]+\.ics)", html).group(1)


def test_parliamentarian_feed_holds_their_prisoners_dates(client, login_as, world, create_pairing, create_prisoner):
    other = create_pairing()  # someone else's prisoner
    login_as("parliamentarian", parliamentarian=world["mep"])
    client.post("/feeds/rotate")
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


def test_rotation_makes_old_url_404(client, login_as, world):
    login_as("parliamentarian", parliamentarian=world["mep"])
    client.post("/feeds/rotate")
    old = _secret_url(client, "/feeds/mine")
    client.post("/feeds/rotate")
    new = _secret_url(client, "/feeds/mine")
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    assert client.get("/feeds/not-a-token.ics").status_code == 404


def test_staff_feed_has_every_prisoner_in_custody(client, login_as, world):
    login_as("staff")
    assert b'href="/feeds/staff"' in client.get("/staff/").data  # reachable from the dashboard
    client.post("/feeds/rotate")
    cal = Calendar.from_ical(client.get(_secret_url(client, "/feeds/staff")).data)
    names = " ".join(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert "Ihar Losik" in names and f"HT-{world['private'].id}" in names  # private: a code (issue 16)
    assert "Hanna" not in names


def test_birth_year_only_gives_no_birthday_event(client, login_as, create_pairing, create_prisoner):
    pairing = create_pairing(prisoner=create_prisoner(name="Year Only", birth_date=None, birth_year=1970))
    login_as("parliamentarian", parliamentarian=pairing.parliamentarian)
    client.post("/feeds/rotate")
    cal = Calendar.from_ical(client.get(_secret_url(client, "/feeds/mine")).data)
    assert not any("Birthday" in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
