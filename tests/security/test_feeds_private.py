"""Point 8: private names left through the calendar feeds."""
import re

import pytest
from icalendar import Calendar

from tests.public.conftest import SECRET_SPELLINGS, world  # noqa: F401  (fixture)


def _feed(client, page):
    html = client.post("/feeds/new", data={"name": "Work phone"}, follow_redirects=True).get_data(as_text=True)
    path = re.search(r"http://localhost(/feeds/[^<\s]+\.ics)", html).group(1)
    client.post("/auth/logout")
    return client.get(path)


@pytest.mark.parametrize("who", ["staff", "godparent"])
def test_private_prisoners_appear_only_under_a_code(client, login_as, world, who):
    private = world["private"]
    private.court = "Secret District Court"
    private.birth_date = private.birth_date.replace(year=1975)
    if who == "staff":
        login_as("staff")
        resp = _feed(client, "/feeds/staff")
    else:
        login_as("parliamentarian", parliamentarian=world["mep"])
        resp = _feed(client, "/feeds/mine")
    text = resp.get_data(as_text=True)
    for spelling in SECRET_SPELLINGS + ("Tajnaja", "Тайная", "Minsk City Court", "Secret District Court", "1975"):
        assert spelling not in text, spelling
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(resp.data).walk("VEVENT")]
    code = f"HT-{private.id}"
    assert f"Trial hearing: {code}" in summaries and f"Birthday: {code}" in summaries
    assert "Birthday: Ihar Losik" in summaries  # public prisoners keep their names
    trial = next(e for e in Calendar.from_ical(resp.data).walk("VEVENT") if str(e["SUMMARY"]) == f"Trial hearing: {code}")
    assert f"/{private.id}" in str(trial["DESCRIPTION"])  # the entry links into the app
