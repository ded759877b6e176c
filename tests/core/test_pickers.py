"""Time zones, countries and languages are picked from lists, not typed as codes."""
import re


def test_profile_offers_time_zones_grouped_by_region_with_the_current_one_selected(client, login_as, create_parliamentarian):
    parl = create_parliamentarian(time_zone="Europe/Vilnius")
    login_as("parliamentarian", parliamentarian=parl)
    html = client.get("/portal/profile").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="time_zone".*?</select>', html, re.S).group(0)
    assert "data-time-zone" in select and "data-searchable" in select  # own profile: the device zone is offered
    assert '<optgroup label="Europe">' in select and '<optgroup label="America">' in select
    assert re.search(r'<option selected value="Europe/Vilnius">Vilnius</option>|<option value="Europe/Vilnius" selected>Vilnius</option>', select)
    assert 'value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires<' in select
    resp = client.post("/portal/profile", data={"time_zone": "America/Argentina/Buenos_Aires", "locale": "en"})
    assert resp.status_code == 302 and parl.time_zone == "America/Argentina/Buenos_Aires"


def test_an_alias_zone_already_stored_is_kept_and_offered(client, login_as, create_parliamentarian):
    parl = create_parliamentarian(time_zone="Etc/UTC")
    login_as("parliamentarian", parliamentarian=parl)
    html = client.get("/portal/profile").get_data(as_text=True)
    assert 'value="Etc/UTC"' in html
    assert client.post("/portal/profile", data={"time_zone": "Etc/UTC", "locale": "en"}).status_code == 302


def test_prisoner_languages_and_countries_are_multiple_selects_storing_codes(client, login_as, create_prisoner):
    prisoner = create_prisoner(name="Ihar Losik", languages="be,ru", ties_countries="PL")
    login_as("staff")
    html = client.get(f"/prisoners/{prisoner.id}/edit").get_data(as_text=True)
    langs = re.search(r'<select[^>]*name="languages".*?</select>', html, re.S).group(0)
    assert "multiple" in langs and ">Belarusian<" in langs and ">German<" in langs
    assert re.search(r'<option selected value="be">Belarusian</option>|<option value="be" selected>Belarusian</option>', langs)
    countries = re.search(r'<select[^>]*name="ties_countries".*?</select>', html, re.S).group(0)
    assert re.search(r'selected[^>]*value="PL"|value="PL"[^>]*selected', countries) and ">Lithuania<" in countries


def test_parliamentarian_country_is_a_select_of_country_names(client, login_as, create_parliamentarian):
    parl = create_parliamentarian(country="LT")
    login_as("staff")
    html = client.get(f"/parliamentarians/{parl.id}/edit").get_data(as_text=True)
    country = re.search(r'<select[^>]*name="country".*?</select>', html, re.S).group(0)
    assert ">Lithuania<" in country and "ISO code" not in html


def test_staff_editing_a_parliamentarian_are_not_offered_their_own_device_zone(client, login_as, create_parliamentarian):
    parl = create_parliamentarian(languages="en,de")
    login_as("staff")
    html = client.get(f"/parliamentarians/{parl.id}/edit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="time_zone".*?</select>', html, re.S).group(0)
    assert "data-time-zone" not in select and "data-searchable" in select
    langs = re.search(r'<select[^>]*name="languages".*?</select>', html, re.S).group(0)
    first_two = re.findall(r'<option[^>]*value="(\w+)"', langs)[:2]
    assert sorted(first_two) == ["de", "en"]  # what is chosen comes first in a long list
