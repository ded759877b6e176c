"""Export → import into an empty database → export again gives the same bytes, for the
prisoner and parliamentarian registers, also after random edits of every column."""
import datetime as dt
import random

import pytest

from advocacy.exports.services import stream_vocabulary_csv
from advocacy.extensions import db
from advocacy.parliamentarians.models import Chamber, Parliamentarian
from advocacy.prisoners.models import (Facility, FacilityKind, Gender, Prisoner, PrisonerStatus, RISK_FLAGS,
                                       Visibility)
from advocacy.transfer import services
from tests.conftest import _wipe

# Text as the world writes it: scripts, quotes, delimiters, line breaks, formula starts.
NASTY = ['Mikalai "Kolya" Statkevich', "Sierž, Ciachanoŭski; jr.", "Партыя \"ВІЕНАТІСЬ\"\"\"", "-", "'-", "=1+2",
         "@home", "+375 29", "a\r\nb", "line one\nline two", "tab\tinside", "ʻOkina ʼapostrophe", "日本語", "x" * 200,
         "ends with quote\"", "'plain apostrophe", "\u200bzero width", "Ё ё Ў ў І і"]


def _text(rng, max_len):
    value = rng.choice(NASTY + [f"plain {rng.randint(0, 10**6)}"])
    return value[:max_len].strip() or "x"


def _date(rng, start=dt.date(1950, 1, 1), days=25000):
    return start + dt.timedelta(days=rng.randint(0, days))


def _export(name):
    db.session.expire_all()
    return "".join(stream_vocabulary_csv(name)).encode("utf-8")


def _reimport(app, kind, content):
    db.session.remove()  # end this test's transaction: the wipe truncates from another session
    _wipe(app)  # an empty database
    report = services.run(kind, content, write=True, facility_choices=None)
    assert report.errors == [] and report.undecided_facilities == []
    db.session.commit()
    return report


def _prisoner_world(rng, n=40):
    facilities = [Facility(name="Penal colony No. 4, Homiel", kind=FacilityKind.PENAL_COLONY, city="Homiel",
                           address_cyrillic="246035, г. Гомель, ул. Антошкина, 3"),
                  Facility(name="SIZO No. 1, Minsk (Valadarka)", kind=FacilityKind.PRE_TRIAL, city="Minsk"),
                  Facility(name="Unknown place \"X\", Vitebsk", kind=FacilityKind.UNKNOWN)]
    db.session.add_all(facilities)
    for i in range(n):
        consent = rng.random() < 0.6
        p = Prisoner(name=_text(rng, 200), alt_names="\n".join(_text(rng, 80) for _ in range(rng.randint(0, 3))),
                     source_id=None if rng.random() < 0.3 else f"viasna-{i}", status=rng.choice(list(PrisonerStatus)),
                     has_family_consent=consent, visibility=rng.choice(list(Visibility)),
                     facility=rng.choice(facilities + [None]))
        if rng.random() < 0.5:
            p.birth_date = _date(rng)
        elif rng.random() < 0.5:
            p.birth_year = rng.randint(1930, 2005)
        _edit_prisoner(rng, p, fields=rng.randint(0, 12))
        db.session.add(p)
    db.session.commit()


TEXT_FIELDS = ["city", "region", "occupation", "articles", "court", "judge", "sentence_text", "mailing_address", "bio"]
DATE_FIELDS = ["detained_on", "verdict_on", "sentence_start_on", "release_expected_on", "status_on", "incommunicado_since"]


def _edit_prisoner(rng, p, fields=3):
    for _ in range(fields):
        what = rng.choice(TEXT_FIELDS + DATE_FIELDS + list(RISK_FLAGS) + ["gender", "languages", "sentence_months",
                                                                          "source_url", "is_archived", "name"])
        if what in TEXT_FIELDS:
            setattr(p, what, None if rng.random() < 0.2 else _text(rng, Prisoner.__table__.c[what].type.length or 500))
        elif what in DATE_FIELDS:
            setattr(p, what, None if rng.random() < 0.2 else _date(rng, dt.date(2020, 8, 9), 2000))
        elif what in RISK_FLAGS or what == "is_archived":
            setattr(p, what, rng.random() < 0.5)
        elif what == "gender":
            p.gender = rng.choice(list(Gender) + [None])
        elif what == "languages":
            p.languages = rng.choice(["", "be", "be,ru", "be, ru, pl"])
        elif what == "sentence_months":
            p.sentence_months = rng.choice([None, 0, 18, 132])
        elif what == "source_url":
            p.source_url = rng.choice([None, "https://prisoners.spring96.org/en/person/1?a=1,2&b=\"q\""])
        elif what == "name":
            p.name = _text(rng, 200)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prisoner_export_imports_back_byte_identical_also_after_random_edits(app, seed):
    rng = random.Random(seed)
    _prisoner_world(rng)
    first = _export("prisoners")
    _reimport(app, "prisoners", first)
    assert _export("prisoners") == first
    # random edits, then the same round trip
    prisoners = db.session.scalars(db.select(Prisoner)).all()
    for p in rng.sample(prisoners, 15):
        _edit_prisoner(rng, p, fields=4)
    db.session.commit()
    edited = _export("prisoners")
    assert edited != first
    _reimport(app, "prisoners", edited)
    assert _export("prisoners") == edited
    # and importing the export into the database it came from changes nothing
    assert services.run("prisoners", edited, write=False).summary()["unchanged"] == len(prisoners)


def _edit_member(rng, m):
    what = rng.choice(["full_name", "political_group", "national_party", "email", "languages", "committees",
                       "time_zone", "mandate_start_on", "mandate_end_on", "chamber", "is_archived", "parliament"])
    if what in ("full_name", "political_group", "national_party"):
        setattr(m, what, _text(rng, 120))
    elif what == "email":
        m.email = rng.choice([None, f"m{rng.randint(0, 999)}@bundestag.de"])
    elif what in ("languages", "committees"):
        setattr(m, what, rng.choice(["", "de", "de,en", "AFET, DROI"] if what == "committees" else ["", "de", "de,en"]))
    elif what == "time_zone":
        m.time_zone = rng.choice(["Europe/Berlin", "Europe/Vilnius", "America/Toronto"])
    elif what.startswith("mandate"):
        setattr(m, what, None if rng.random() < 0.3 else _date(rng, dt.date(2014, 1, 1), 4000))
    elif what == "chamber":
        m.chamber = rng.choice(list(Chamber))
    elif what == "is_archived":
        m.is_archived = rng.random() < 0.5
    elif what == "parliament" and not m.external_id:
        m.parliament = rng.choice(["Bundestag", "Seimas", "European Parliament"])


@pytest.mark.parametrize("seed", [1, 2])
def test_parliamentarian_export_imports_back_byte_identical_also_after_random_edits(app, seed):
    rng = random.Random(seed)
    for i in range(30):
        m = Parliamentarian(full_name=_text(rng, 200), country=rng.choice(["DE", "LT", "PL", "FR"]),
                            external_id=None if rng.random() < 0.3 else str(100000 + i))
        for _ in range(rng.randint(0, 6)):
            _edit_member(rng, m)
        db.session.add(m)
    db.session.commit()
    first = _export("parliamentarians")
    _reimport(app, "parliamentarians", first)
    assert _export("parliamentarians") == first
    members = db.session.scalars(db.select(Parliamentarian)).all()
    for m in rng.sample(members, 10):
        for _ in range(3):
            _edit_member(rng, m)
    db.session.commit()
    edited = _export("parliamentarians")
    assert edited != first
    _reimport(app, "parliamentarians", edited)
    assert _export("parliamentarians") == edited
