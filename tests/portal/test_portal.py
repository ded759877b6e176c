import datetime as dt

import pytest

from advocacy.extensions import db
from advocacy.pairings.models import PairingStatus
from advocacy.statements.models import Statement

STATEMENT = {"kind": "social_post", "made_on": "2026-11-01", "title": "Solidarity post", "url": "https://x.example.org/p/1",
             "summary": "Thinking of Maryia", "language": "de"}


@pytest.fixture()
def mine(create_pairing, create_prisoner, create_facility, create_key_date):
    facility = create_facility(address_cyrillic="211440, г. Новополоцк, ул. Тельмана, 1, ИК-1")
    prisoner = create_prisoner(name="Maryia Kalesnikava", alt_names="Марыя Калеснікава", facility=facility,
                               sentence_text="11 years", risk_serious_illness=True, birth_date=dt.date(1982, 4, 24))
    pairing = create_pairing(prisoner=prisoner)
    create_key_date(prisoner, occurs_on=dt.date.today() + dt.timedelta(days=5), place="Minsk Regional Court")
    return pairing


@pytest.fixture()
def me(login_as, mine):
    return login_as("parliamentarian", parliamentarian=mine.parliamentarian)


def test_portal_shows_own_prisoner_with_dates_ahead(client, me, mine):
    resp = client.get("/portal/")
    assert resp.status_code == 200
    for text in (b"Maryia Kalesnikava", b"11 years", b"Serious illness", b"Minsk Regional Court", b"Trial hearing"):
        assert text in resp.data


def test_portal_prisoner_page_shows_other_godparents_statements(client, me, mine, create_pairing, create_parliamentarian,
                                                                create_statement):
    other = create_pairing(prisoner=mine.prisoner, parliamentarian=create_parliamentarian(full_name="Other Godparent"))
    create_statement(pairing=other, title="Other's speech")
    create_statement(pairing=mine, title="My speech")
    resp = client.get(f"/portal/prisoners/{mine.prisoner_id}")
    assert b"Other&#39;s speech" in resp.data and b"My speech" in resp.data and b"Other Godparent" in resp.data


def test_letter_page_has_cyrillic_address_and_rules(client, me, mine):
    resp = client.get(f"/portal/prisoners/{mine.prisoner_id}/letter")
    text = resp.get_data(as_text=True)
    assert "211440, г. Новополоцк, ул. Тельмана, 1, ИК-1" in text
    assert "Марыя Калеснікава, 1982 г.р." in text
    assert "Russian or Belarusian" in text and "No political words" in text
    assert "incommunicado" not in text


def test_letter_page_warns_when_incommunicado(client, me, mine):
    mine.prisoner.incommunicado_since = dt.date(2023, 2, 1)
    db.session.commit()
    resp = client.get(f"/portal/prisoners/{mine.prisoner_id}/letter")
    assert b"held incommunicado since" in resp.data and b"unlikely to arrive" in resp.data


def test_godparent_records_and_edits_own_statement(client, me, mine):
    resp = client.post("/portal/statements/new", data={**STATEMENT, "pairing_id": mine.id})
    assert resp.status_code == 302
    s = db.session.scalar(db.select(Statement))
    assert s.pairing_id == mine.id and s.verified_at is None and s.created_by_id == me.id
    resp = client.post(f"/portal/statements/{s.id}/edit", data={**STATEMENT, "pairing_id": mine.id, "title": "Edited"})
    assert resp.status_code == 302
    db.session.refresh(s)
    assert s.title == "Edited"


def test_statement_for_someone_elses_pairing_is_refused(client, me, create_pairing):
    foreign = create_pairing()
    resp = client.post("/portal/statements/new", data={**STATEMENT, "pairing_id": foreign.id})
    assert resp.status_code == 400 and b"Not a valid choice" in resp.data
    assert db.session.scalar(db.select(db.func.count(Statement.id))) == 0


def test_other_godparents_prisoner_and_statement_are_404(client, me, create_pairing, create_statement):
    foreign = create_pairing()
    s = create_statement(pairing=foreign)
    assert client.get(f"/portal/prisoners/{foreign.prisoner_id}").status_code == 404
    assert client.get(f"/portal/prisoners/{foreign.prisoner_id}/letter").status_code == 404
    assert client.get(f"/portal/statements/{s.id}/edit").status_code == 404
    assert client.post(f"/portal/statements/{s.id}/edit", data={**STATEMENT, "pairing_id": foreign.id}).status_code == 404
    db.session.refresh(s)
    assert s.title != STATEMENT["title"]


def test_ended_pairing_prisoner_is_not_in_portal(client, me, mine):
    mine.status = PairingStatus.ENDED
    db.session.commit()
    assert client.get(f"/portal/prisoners/{mine.prisoner_id}").status_code == 404
    assert b"Maryia Kalesnikava" not in client.get("/portal/").data


STAFF_URLS = ["/staff/", "/prisoners/", "/prisoners/new", "/facilities/", "/parliamentarians/", "/pairings/",
              "/pairings/new", "/statements/", "/parliamentarians/needs-successor"]


def test_parliamentarian_gets_403_on_every_staff_url(client, me, mine):
    for url in STAFF_URLS + [f"/prisoners/{mine.prisoner_id}", f"/prisoners/{mine.prisoner_id}/edit",
                             f"/pairings/{mine.id}", f"/parliamentarians/{mine.parliamentarian_id}"]:
        assert client.get(url).status_code == 403, url


def test_staff_cannot_use_the_portal(client, login_as):
    login_as("staff")
    assert client.get("/portal/").status_code == 403


def test_profile_validates_time_zone(client, me):
    resp = client.post("/portal/profile", data={"time_zone": "Europe/Atlantis", "locale": "en"})
    assert resp.status_code == 400 and b"Choose a time zone from the list" in resp.data
    assert client.post("/portal/profile", data={"time_zone": "Europe/Vilnius", "locale": "en"}).status_code == 302
    db.session.refresh(me)
    assert me.parliamentarian.time_zone == "Europe/Vilnius"


def test_portal_form_rejects_missing_csrf(client, me, mine, csrf_enabled):
    resp = client.post("/portal/statements/new", data={**STATEMENT, "pairing_id": mine.id})
    assert resp.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Statement.id))) == 0


def test_portal_query_count_same_at_10_and_1000_rows(client, login_as, create_parliamentarian, create_pairing,
                                                     create_key_date, create_statement, count_queries):
    """The portal issues the same number of queries whatever the data size (10 vs 1,000 rows)."""
    import datetime as dt

    from sqlalchemy import insert

    from advocacy.prisoners.models import KeyDate

    mep = create_parliamentarian()
    first = create_pairing(parliamentarian=mep)
    create_key_date(first.prisoner)
    for _ in range(8):
        create_statement(pairing=first)
    login_as("parliamentarian", parliamentarian=mep)
    with count_queries() as small:  # 10 rows: a prisoner, a key date, 8 statements
        assert client.get("/portal/").status_code == 200
    pairings = [create_pairing(parliamentarian=mep) for _ in range(19)]
    db.session.execute(insert(KeyDate), [dict(prisoner_id=p.prisoner_id, kind="trial", is_yearly=False,
                                              occurs_on=dt.date.today() + dt.timedelta(days=1 + i % 80))
                                         for i, p in enumerate(pairings * 10)])
    db.session.execute(insert(Statement), [dict(pairing_id=p.id, made_on=dt.date(2026, 1, 1 + i % 28), kind="speech",
                                                title=f"S{i}", is_public=True)
                                           for i, p in enumerate(pairings * 40)])
    db.session.commit()
    with count_queries() as large:  # ~1,000 rows: 20 prisoners, 190 key dates, 760 statements
        assert client.get("/portal/").status_code == 200
    assert small.count == large.count, ([s[:80] for s in small.statements], [s[:80] for s in large.statements])


def test_dates_ahead_include_derived_birthday_and_arrest_anniversary(create_prisoner):
    from advocacy.portal.services import dates_ahead

    today = dt.date(2026, 3, 1)
    prisoner = create_prisoner(name="Ihar Losik", birth_date=dt.date(1992, 3, 20), detained_on=dt.date(2020, 4, 25))
    items = dates_ahead(prisoner, today=today)
    assert (dt.date(2026, 3, 20), "Birthday", None) in items
    assert (dt.date(2026, 4, 25), "6 years since the arrest", None) in items
    # Beyond the 90-day window: neither is listed.
    assert dates_ahead(prisoner, today=dt.date(2026, 5, 1)) == []


def test_portal_prisoner_page_marks_only_one_nav_entry_current(client, me, mine):
    resp = client.get(f"/portal/prisoners/{mine.prisoner_id}")
    assert resp.data.count(b'aria-current="page"') == 1
    assert b'aria-current="page">My prisoners' in resp.data


def test_letter_page_has_sample_letters_name_field_and_belarus(client, me, mine):
    text = client.get(f"/portal/prisoners/{mine.prisoner_id}/letter").get_data(as_text=True)
    ru = text[text.index('id="letter-ru"'):text.index('id="letter-be"')]
    be = text[text.index('id="letter-be"'):text.index('id="letter-messages"')]
    assert "Здравствуйте, Марыя Калеснікава!" in ru and 'lang="ru"' in ru and "[ваше имя]" in ru
    assert "Добры дзень, Марыя Калеснікава!" in be and 'lang="be"' in be and "[ваша імя]" in be
    assert 'id="letter-sender-name"' in text and "Copy the letter" in text
    address = text[text.index('class="address"'):]
    assert address[:address.index("</p>")].rstrip().endswith("Belarus</span> / Беларусь")
    assert "your role as a parliamentarian" in text
