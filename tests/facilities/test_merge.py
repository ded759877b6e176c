"""Finding and merging facilities that earlier imports duplicated."""
from advocacy.extensions import db
from advocacy.facilities.services import closest, normalise, similarity
from advocacy.prisoners.models import Facility, FacilityKind, Prisoner


def test_normalised_names_ignore_punctuation_filler_and_spelling():
    assert normalise("Pre-trial detention center No. 1") == normalise("PRE-TRIAL DETENTION CENTRE №1")
    assert similarity(normalise("Pre-trial detention center No. 1"),
                      normalise("Pre-trial detention center No. 1, Minsk (Valadarka)")) >= 90
    assert similarity(normalise("Penal colony No. 2"), normalise("Penal colony No. 3")) < 60


def test_closest_prefers_the_same_city(create_facility):
    minsk = create_facility(name="SIZO No. 1", city="Minsk")
    hrodna = create_facility(name="SIZO No. 1", city="Hrodna")
    assert [f for _, f in closest("SIZO No. 1", "Hrodna", [minsk, hrodna])][0] == hrodna


def test_cli_lists_duplicates_and_merges_them(runner, create_facility, create_prisoner):
    keep = create_facility(name="Pre-trial detention center No. 1, Minsk (Valadarka)", city="Minsk", address_cyrillic=None,
                           kind=FacilityKind.UNKNOWN)
    dup = create_facility(name="Pre-trial detention center No. 1", city="Minsk", address_cyrillic="г. Минск, ул. Володарского, 2",
                          kind=FacilityKind.PRE_TRIAL)
    other = create_facility(name="Penal colony No. 9", city="Horki")
    people = [create_prisoner(facility=dup), create_prisoner(facility=dup), create_prisoner(facility=other)]
    out = runner.invoke(args=["facilities", "duplicates"]).output
    assert f"#{keep.id}" in out and f"#{dup.id}" in out and "Penal colony No. 9" not in out
    result = runner.invoke(args=["facilities", "merge", str(keep.id), str(dup.id)])
    assert result.exit_code == 0 and "2 prisoner(s) moved" in result.output
    db.session.expire_all()
    assert db.session.get(Facility, dup.id) is None
    assert [db.session.get(Prisoner, p.id).facility_id for p in people] == [keep.id, keep.id, other.id]
    keep = db.session.get(Facility, keep.id)
    assert keep.address_cyrillic == "г. Минск, ул. Володарского, 2" and keep.kind == FacilityKind.PRE_TRIAL
    assert runner.invoke(args=["facilities", "merge", str(keep.id), "9999"]).exit_code != 0
    assert runner.invoke(args=["facilities", "merge", str(keep.id), str(keep.id)]).exit_code != 0
    assert db.session.get(Facility, keep.id) is not None
