"""Name search in the registers, the matching pages and the API: spellings, soft signs,
exact-first ranking, variants kept current on edit and import, privacy on public pages."""
import datetime as dt
import os
import textwrap

import pytest

from advocacy.extensions import db
from advocacy.names import services as names
from advocacy.names import variants
from advocacy.names.models import NameVariant
from advocacy.parliamentarians import services as parl_services
from advocacy.prisoners import services
from advocacy.prisoners.models import Prisoner

TODAY = dt.date(2026, 11, 25)


def test_soft_signs_and_apostrophes_never_split_a_word():
    assert variants.words("Мельников") == ["melnikov"]
    assert variants.words("Мельнікаў") == ["melnikau"]
    assert variants.words("Mel'nikov Mel’nikov Melʹnikov") == ["melnikov"] * 3
    assert variants.words("Дар'я Пальчыс, Подъячев") == ["daria", "palchys", "podiachev"]
    assert variants.words("O'Brien") == ["obrien"]


def test_both_melnikovs_are_found_by_melnikov(create_prisoner):
    a = create_prisoner(name="Мельников Андрей", alt_names="")
    b = create_prisoner(name="Aliaksandr Melnikau", alt_names="")
    create_prisoner(name="Mikalai Mialeshka", alt_names="")
    assert {p.id for p in services.search("Melnikov", limit=2)} == {a.id, b.id}
    assert {p.id for p in services.search("Мельнікаў", limit=2)} == {a.id, b.id}


def test_keys_merge_belarusian_and_russian_forms():
    same = [("Kalesnikava", "Kolesnikova"), ("Ihar", "Igor"), ("Siarhei", "Sergei"), ("Uladzimir", "Vladimir"),
            ("Volha", "Olga"), ("Bykau", "Bykov"), ("Tsikhanouski", "Tikhanovsky"), ("Statkievič", "Statkevich"),
            ("Maryia", "Mariya"), ("Kastusiou", "Kostusev"), ("Dzmitry", "Dmitriy")]
    for a, b in same:
        ka = {variants.key(w) for w in variants.query_forms(a)}
        kb = {variants.key(w) for w in variants.query_forms(b)}
        assert ka & kb, (a, b, ka, kb)
    assert variants.key("kalesnikava") != variants.key("kavalkova")


def test_variants_include_transliterations_both_ways():
    forms = variants.spellings("Сяргей Ціханоўскі")
    assert "Syarhyey Tsikhanowski" in forms  # BGN/PCGN (ICU)
    assert any("Cíhanoŭskí" in f for f in forms)  # ISO 9 with diacritics (ICU)
    assert any("Tsikhanouski" in f for f in forms)  # passport-like, without diacritics
    latin = variants.spellings("Volha Kalesnikava")
    assert any(variants.is_cyrillic(f) for f in latin)  # Cyrillic derived from Latin (cyrtranslit)
    rows = {r["word"]: r for r in variants.variant_rows(["Volha Kalesnikava"])}
    assert rows["volha"]["is_given"] and rows["kalesnikava"]["is_given"]
    assert "volga" in rows and not rows["volga"]["is_given"]


def test_exact_matches_rank_first(create_prisoner):
    fuzzy = create_prisoner(name="Maryia Kalesnikava", alt_names="")
    exact = create_prisoner(name="Maryia Kolesnikova", alt_names="")
    assert services.search("Maryia Kolesnikova")[:2] == [exact, fuzzy]
    assert services.search("Maryia Kalesnikava")[:2] == [fuzzy, exact]


def test_typos_and_beginnings_find_people(create_prisoner):
    losik = create_prisoner(name="Ihar Losik", alt_names="")
    kales = create_prisoner(name="Maryia Kalesnikava", alt_names="")
    create_prisoner(name="Pavel Sevyarynets", alt_names="")
    assert services.search("Kalesnikva")[0] == kales
    assert services.search("Kales")[0] == kales
    assert services.search("Losk Ihar")[0] == losik
    assert services.search("Zzyzx Qwerty") == []


def test_variants_follow_renames_and_alt_names(create_prisoner):
    p = create_prisoner(name="Prisoner Unknown", alt_names="")
    assert services.search("Bialiatski") == []
    p.name = "Ales Bialiatski"
    db.session.commit()
    assert services.search("Беляцкий") == [p]
    p.alt_names = "Viasna founder"
    db.session.commit()
    assert services.search("Viasna")[0] == p
    count = db.session.scalar(db.select(db.func.count(NameVariant.id)).where(NameVariant.prisoner_id == p.id))
    p.city = "Minsk"  # not a name: variants stay as they are
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(NameVariant.id)).where(NameVariant.prisoner_id == p.id)) == count
    db.session.delete(p)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(NameVariant.id))) == 0


def test_imported_prisoners_are_found_by_other_spellings(app):
    from advocacy.transfer import services as transfer

    csv_text = textwrap.dedent("""\
        name,alt_names,birth_date,detained_on,articles,sentence,facility,status,humanitarian,source_id,source_url,family_consent
        Марыя Калеснікава,,1982-04-24,2020-09-07,361-1,11 years,,sentenced,no,viasna-1,https://prisoners.spring96.org/en/person/1,yes
        Мікалай Статкевіч,,1956-08-12,2020-05-31,293,14 years,,sentenced,no,viasna-2,https://prisoners.spring96.org/en/person/2,yes
        """).encode()
    report = transfer.run("prisoners", csv_text, write=True, today=TODAY)
    assert not report.errors, report.rows
    db.session.commit()
    assert [p.name for p in services.search("Maria Kolesnikova", limit=1)] == ["Марыя Калеснікава"]
    assert [p.name for p in services.search("Nikolai Statkevich", limit=1)] == ["Мікалай Статкевіч"]


def test_parliamentarian_register_searches_every_spelling(client, login_as, create_parliamentarian):
    create_parliamentarian(full_name="Martin Dvořák", country="CZ")
    create_parliamentarian(full_name="Anna Novak", country="CZ")
    login_as("staff")
    page = client.get("/parliamentarians/?q=Dvorak").get_data(as_text=True)
    assert "Martin Dvořák" in page and "Anna Novak" not in page
    page = client.get("/parliamentarians/?q=Дворжак").get_data(as_text=True)
    assert "Martin Dvořák" in page


def test_prisoner_register_lists_best_match_first(client, login_as, create_prisoner):
    create_prisoner(name="Andrei Kalesnik", alt_names="")
    create_prisoner(name="Maryia Kalesnikava", alt_names="")
    login_as("staff")
    page = client.get("/prisoners/?q=Колесникова").get_data(as_text=True)
    assert page.index("Maryia Kalesnikava") < page.index("Andrei Kalesnik")  # best match first, not by name
    sorted_page = client.get("/prisoners/?q=Kalesnik&sort=-name").get_data(as_text=True)
    assert sorted_page.index("Maryia Kalesnikava") < sorted_page.index("Andrei Kalesnik")


def test_matching_pages_find_people_by_any_spelling(client, login_as, create_prisoner, create_parliamentarian):
    volha = create_prisoner(name="Volha Kalesnikava", alt_names="")
    other = create_prisoner(name="Ihar Losik", alt_names="")
    create_parliamentarian(full_name="Martin Dvořák", country="CZ")
    login_as("staff")
    page = client.get("/matching/?q=Olga Kolesnikova").get_data(as_text=True)
    assert f"/matching/prisoners/{volha.id}" in page
    page = client.get("/matching/?q=Dvorak").get_data(as_text=True)
    assert "Martin Dvořák" in page
    page = client.get(f"/matching/prisoners/{other.id}?link_q=Колесникова").get_data(as_text=True)
    assert f'name="other_prisoner_id" value="{volha.id}"' in page


def test_api_q_searches_names_and_refuses_it_elsewhere(api, create_prisoner):
    volha = create_prisoner(name="Volha Kalesnikava", alt_names="")
    create_prisoner(name="Ihar Losik", alt_names="")
    body = api.get("/prisoners?q=Колесникова").get_json()
    assert [p["id"] for p in body["items"]] == [volha.id] and body["total"] == 1
    assert api.get("/prisoners").get_json()["total"] == 2
    assert api.get("/statements?q=x").status_code == 400
    assert api.get("/prisoners?q=" + "a" * 201).status_code == 400


def test_public_pages_never_show_private_people_whatever_the_query(client, create_prisoner):
    from advocacy.prisoners.models import Visibility

    secret = create_prisoner(name="Secret Kalesnikava", alt_names="", has_family_consent=False,
                             visibility=Visibility.PRIVATE)
    for url in ("/campaign/", "/campaign/?q=Kalesnikava", "/?q=Kalesnikava"):
        resp = client.get(url, follow_redirects=True)
        assert "Secret Kalesnikava" not in resp.get_data(as_text=True)
    assert client.get(f"/campaign/prisoners/{secret.id}").status_code == 404
    assert client.get("/prisoners/?q=Kalesnikava").status_code in (302, 401, 403)  # the register is for staff


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL run only")
def test_python_similarity_equals_pg_trgm():
    """SQLite ranks with a Python copy of pg_trgm's similarity: it must agree with the real one."""
    import csv
    import pathlib

    rows = list(csv.DictReader((pathlib.Path(__file__).parent.parent / "data" / "name_variants.csv").open(encoding="utf-8")))
    words = sorted({w for r in rows for c in ("belarusian_latin", "russian_latin", "press") for w in variants.words(r[c])})
    pairs = [(a, b) for i, a in enumerate(words) for b in words[i::7]] + [(variants.key(a), variants.key(b)) for a, b in zip(words, words[1:])]
    values = db.session.execute(db.text("SELECT a, b, similarity(a, b) FROM unnest(CAST(:a AS text[]), CAST(:b AS text[])) AS t(a, b)"),
                                {"a": [a for a, _ in pairs], "b": [b for _, b in pairs]}).all()
    assert len(values) > 1000
    for a, b, sim in values:
        assert variants.trigram_similarity(a, b) == pytest.approx(sim, abs=1e-6), (a, b)
    assert db.session.execute(db.text("SHOW pg_trgm.similarity_threshold")).scalar() == str(names.SIMILARITY_THRESHOLD)


def test_prisoner_page_shows_derived_spellings(client, login_as, create_prisoner):
    p = create_prisoner(name="Ихар Лосик", alt_names="")
    login_as("staff")
    page = client.get(f"/prisoners/{p.id}").get_data(as_text=True)
    assert "Search also finds" in page and "Ikhar Losik" in page
