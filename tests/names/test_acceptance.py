"""Acceptance: people stored under ONE spelling only are found by every other spelling.

tests/data/name_variants.csv holds 80 real people in five spellings each. For each way a
register might have been filled (from Viasna's Belarusian Latin list, a Belarusian Cyrillic
list, a Russian Cyrillic list, Russian transliterations or the press), the people are stored
under that spelling only, with no other spellings, and searched by each other spelling that
differs from it. At least 95 % must be in the top 3, on SQLite and on PostgreSQL.
"""
import csv
import pathlib

import pytest
from sqlalchemy import insert

from advocacy.extensions import db
from advocacy.names import variants
from advocacy.prisoners import services
from advocacy.prisoners.models import Prisoner
from advocacy.text import fold

DATA = pathlib.Path(__file__).parent.parent / "data" / "name_variants.csv"
COLUMNS = ("belarusian_latin", "russian_latin", "belarusian_cyrillic", "russian_cyrillic", "press")
PEOPLE = list(csv.DictReader(DATA.open(encoding="utf-8")))
GOAL = 0.95


def _load(column):
    """Store every person under ``column`` only, through the ORM (so on save, as staff would)."""
    prisoners = [Prisoner(name=row[column], alt_names="", source_id=f"csv-{i}") for i, row in enumerate(PEOPLE)]
    db.session.add_all(prisoners)
    db.session.commit()
    return prisoners


def _hit_rate(column):
    prisoners = _load(column)
    tries, misses = 0, []
    for person, row in zip(prisoners, PEOPLE):
        for other in COLUMNS:
            query = row[other]
            if other == column or query == row[column]:
                continue
            tries += 1
            top = [p.id for p in services.search(query, limit=3)]
            if person.id not in top:
                misses.append(f"{query!r} (stored as {row[column]!r})")
    return tries, misses


def test_list_is_real_sized_and_varied():
    assert len(PEOPLE) >= 60
    for row in PEOPLE:
        assert len({row[c] for c in COLUMNS}) >= 3, row
        assert row["source"].strip()
    text = " ".join(row[c] for row in PEOPLE for c in COLUMNS)
    assert "ь" in text and "'" in text  # soft signs and apostrophes
    assert any(fold(r["belarusian_latin"]) != fold(r["russian_latin"]) and "a" in r["belarusian_latin"]
               for r in PEOPLE)  # akanne pairs
    assert any(c in text for c in "čšžŭłć")  # diacritics


@pytest.mark.parametrize("column", COLUMNS)
def test_people_stored_under_one_spelling_are_found_by_the_others(column):
    tries, misses = _hit_rate(column)
    rate = 1 - len(misses) / tries
    print(f"\nname search | stored as {column} | {tries - len(misses)}/{tries} in top 3 = {rate:.1%} | goal ≥ {GOAL:.0%}")
    for m in misses:
        print("  missed:", m)
    assert tries > 200
    assert rate >= GOAL, misses


@pytest.mark.parametrize("query", ["Kolesnikova", "Колесникова", "Olga Kolesnikova", "Вольга Калеснікава", "KALESNIKAVA"])
def test_volha_kalesnikava_is_found_by_any_spelling(create_prisoner, query):
    volha = create_prisoner(name="Volha Kalesnikava", alt_names="")
    for name in ("Olga Ivanova", "Kolesnik Andrei", "Volha Kavalkova", "Maryia Kalesnik", "Aleh Kolas"):
        create_prisoner(name=name, alt_names="")
    assert services.search(query, limit=3)[0] == volha


def test_dvorak_finds_dvorak_with_diacritics(create_parliamentarian):
    from advocacy.parliamentarians import services as parl_services

    dvorak = create_parliamentarian(full_name="Martin Dvořák", country="CZ")
    create_parliamentarian(full_name="Martin Dvorský", country="CZ")
    create_parliamentarian(full_name="Anna Novak", country="CZ")
    import datetime as dt

    assert parl_services.search("Dvorak", today=dt.date(2026, 11, 25))[0] == dvorak
    assert parl_services.search("Dvořák", today=dt.date(2026, 11, 25))[0] == dvorak


def test_bulk_rows_without_variants_are_not_found_until_refreshed():
    """The variants come from save/import hooks; a raw INSERT bypasses them (the migration
    backfills existing rows). This guards the test above against passing by accident."""
    db.session.execute(insert(Prisoner), [dict(name="Ihar Losik", alt_names="", search_text="ihar losik",
                                               languages="", ties_countries="")])
    db.session.commit()
    assert services.search("Losik") == []
    p = db.session.query(Prisoner).one()
    from advocacy.names.services import refresh

    refresh(p)
    db.session.commit()
    assert services.search("Igor Losik") == [p]
    assert variants.key("Kalesnikava".lower()) == variants.key("kolesnikova")
