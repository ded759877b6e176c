"""Parliamentarian lists kept current: mandates per term, EP groups by identity in every
language edition, older lists never overwriting newer ones, "mark missing" for every import."""
import csv
import datetime as dt
import os
from xml.sax.saxutils import escape

import pytest

from advocacy.extensions import db
from advocacy.matching import scoring
from advocacy.parliamentarians import ep_groups
from advocacy.parliamentarians.models import Mandate, Parliamentarian
from advocacy.transfer import services

NAMES_CSV = os.path.join(os.path.dirname(__file__), "..", "data", "ep_group_names.csv")
TODAY = dt.date(2025, 3, 1)


def _group_names():
    with open(NAMES_CSV, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _xml(meps) -> bytes:
    body = "".join(f"<mep><fullName>{escape(n)}</fullName><country>DE</country><politicalGroup>{escape(g)}"
                   f"</politicalGroup><id>{i}</id><nationalPoliticalGroup>P</nationalPoliticalGroup></mep>"
                   for i, n, g in meps)
    return f"<meps>{body}</meps>".encode()


def _by_ext():
    return {m.external_id: m for m in db.session.scalars(db.select(Parliamentarian))}


def test_every_published_group_name_maps_to_its_canonical_group():
    rows = _group_names()
    assert {r["language"] for r in rows} >= {"en", "fr", "de"}
    wrong = [(r["name"], r["canonical"], ep_groups.canonical_group(r["name"])) for r in rows
             if ep_groups.canonical_group(r["name"]) != r["canonical"]]
    assert wrong == []
    assert ep_groups.canonical_group("Group of Friends of Cheese") is None


@pytest.mark.parametrize("term,listed_on", [("9", dt.date(2020, 5, 4)), ("10", dt.date(2025, 2, 1))])
def test_english_french_and_german_editions_give_the_same_groups(term, listed_on):
    rows = [r for r in _group_names() if r["term"] == term]
    canonical = sorted({r["canonical"] for r in rows})
    ids = {g: str(1000 + i) for i, g in enumerate(canonical)}  # one MEP per group
    results = {}
    for language in ("en", "fr", "de"):
        names = {r["canonical"]: r["name"] for r in rows if r["language"] == language}
        assert set(names) == set(canonical), f"the {language} edition lacks groups"
        for m in db.session.scalars(db.select(Parliamentarian)):
            db.session.delete(m)
        db.session.flush()
        report = services.run("ep-xml", _xml([(ids[g], f"MEP {g}", names[g]) for g in canonical]), write=True,
                              today=TODAY, listed_on=listed_on)
        assert not any(n.startswith("Warning") for n in report.notes), report.notes
        results[language] = {m.external_id: m.political_group for m in _by_ext().values()}
        mandate_groups = {m.parliamentarian.external_id: m.political_group for m in db.session.scalars(db.select(Mandate))}
        assert mandate_groups == results[language]
    assert results["en"] == results["fr"] == results["de"] == {ids[g]: g for g in canonical}


def test_a_second_edition_after_the_first_changes_nothing():
    services.run("ep-xml", _xml([("1", "A", "Group of the Greens/European Free Alliance")]), write=True, today=TODAY)
    again = services.run("ep-xml", _xml([("1", "A", "Fraktion der Grünen/Freie Europäische Allianz")]),
                         write=False, today=TODAY)
    assert again.summary() == {"create": 0, "update": 0, "unchanged": 1, "error": 0}


def test_csv_import_maps_group_names_and_warns_of_unknown_ones():
    content = ("external_id,full_name,country,political_group\n"
               "1,A,DE,Groupe des Verts/Alliance libre européenne\n"
               "2,B,DE,Fraktion Patrioten für Europa\n"
               "3,C,DE,Friends of the Cheese\n").encode()
    dry = services.run("parliamentarians", content, write=False, today=TODAY)
    warnings = [n for n in dry.notes if n.startswith("Warning")]
    assert len(warnings) == 1 and "'Friends of the Cheese'" in warnings[0] and "line(s) 4" in warnings[0]
    services.run("parliamentarians", content, write=True, today=TODAY)
    groups = {k: m.political_group for k, m in _by_ext().items()}
    assert groups == {"1": "Greens/EFA", "2": "PfE", "3": "Friends of the Cheese"}


NEW_LIST = ("external_id,full_name,country,political_group,national_party,mandate_start_on\n"
            "1,Anna SITTING,DE,EPP,CDU,2024-07-16\n").encode()
OLD_LIST = ("external_id,full_name,country,political_group,national_party,mandate_start_on,mandate_end_on\n"
            "1,Anna SITTING,DE,S&D,SPD,2019-07-02,\n"
            "2,Bob UK,GB,Renew,LD,2019-07-02,2020-01-31\n").encode()


def test_an_older_list_after_a_newer_one_changes_no_current_mandate_and_shows_the_conflict():
    services.run("parliamentarians", NEW_LIST, write=True, today=TODAY, listed_on=dt.date(2024, 9, 1))
    db.session.commit()
    dry = services.run("parliamentarians", OLD_LIST, write=False, today=TODAY, listed_on=dt.date(2020, 3, 1))
    [conflict] = [r for r in dry.rows if r.action == "conflict"]
    assert conflict.key == "1" and conflict.changes["national_party"] == ["CDU", "SPD"]
    assert "older" in conflict.error and "2024-09-01" in conflict.error
    services.run("parliamentarians", OLD_LIST, write=True, today=TODAY, listed_on=dt.date(2020, 3, 1))
    db.session.commit()
    anna = _by_ext()["1"]
    assert (anna.political_group, anna.national_party, anna.mandate_start_on, anna.mandate_end_on) == (
        "EPP", "CDU", dt.date(2024, 7, 16), None)
    # the older term is kept beside the current one, as its own record
    assert [(m.term, m.political_group, m.start_on) for m in anna.mandates] == [
        ("9", "S&D", dt.date(2019, 7, 2)), ("10", "EPP", dt.date(2024, 7, 16))]
    # the member who left in 2020 is not offered for matching; the sitting one is
    pool_ids = {p.external_id for p in scoring.load_pool(TODAY).parls}
    assert pool_ids == {"1"}


def test_an_older_list_never_overwrites_a_mandate_set_by_a_newer_one():
    later = "external_id,full_name,country,political_group\n1,A,DE,Renew\n".encode()
    earlier = "external_id,full_name,country,political_group\n1,A,DE,EPP\n".encode()
    services.run("parliamentarians", later, write=True, today=TODAY, listed_on=dt.date(2025, 2, 1))
    report = services.run("parliamentarians", earlier, write=True, today=TODAY, listed_on=dt.date(2024, 10, 1))
    [conflict] = [r for r in report.rows if r.action == "conflict"]
    assert conflict.changes == {"mandate 10 political_group": ["Renew", "EPP"]}
    assert _by_ext()["1"].political_group == "Renew"


def test_a_list_of_a_past_term_gives_no_one_a_running_mandate():
    services.run("ep-xml", _xml([("7", "Old UK MEP", "Non-inscrits")]), write=True, today=TODAY,
                 listed_on=dt.date(2016, 5, 1))
    m = _by_ext()["7"]
    assert m.mandate_end_on == dt.date(2019, 7, 1) and m.mandates[0].term == "8"
    assert scoring.load_pool(TODAY).parls == []


def test_mark_missing_from_a_csv_import_lists_them_and_ends_their_mandate(create_parliamentarian):
    gone = create_parliamentarian(full_name="Gone Member", parliament="Bundestag", external_id="b-1")
    other = create_parliamentarian(full_name="Other Parliament", parliament="Sejm", external_id="s-1")
    content = "parliament,external_id,full_name,country\nBundestag,b-2,Stays,DE\n".encode()
    dry = services.run("parliamentarians", content, write=False, end_missing=True, today=TODAY)
    assert [(r.action, r.label, r.changes) for r in dry.rows if r.action == "left"] == [
        ("left", "Gone Member", {"mandate_end_on": [None, "2025-02-28"]})]
    assert gone.mandate_end_on is None  # a dry run writes nothing
    services.run("parliamentarians", content, write=True, end_missing=True, today=TODAY)
    db.session.commit()
    db.session.refresh(gone)
    db.session.refresh(other)
    assert gone.mandate_end_on == dt.date(2025, 2, 28) and [m.end_on for m in gone.mandates] == [dt.date(2025, 2, 28)]
    assert other.mandate_end_on is None  # not in the file's parliament
    assert "b-1" not in {p.external_id for p in scoring.load_pool(TODAY).parls}


def test_an_older_list_does_not_mark_members_of_a_newer_one_as_left():
    newer = "external_id,full_name,country,mandate_start_on,mandate_end_on\n1,A,DE,2019-07-02,\n".encode()
    services.run("parliamentarians", newer, write=True, today=TODAY, listed_on=dt.date(2024, 9, 1))
    old = "external_id,full_name,country\n9,Someone Else,DE\n".encode()
    report = services.run("parliamentarians", old, write=True, end_missing=True, today=TODAY,
                          listed_on=dt.date(2020, 1, 1))
    assert [r.action for r in report.rows if r.key == "1"] == ["conflict"]
    assert _by_ext()["1"].mandate_end_on is None


def test_a_future_list_date_is_refused():
    with pytest.raises(services.ImportError_, match="future"):
        services.run("parliamentarians", NEW_LIST, write=False, today=TODAY, listed_on=dt.date(2026, 1, 1))


def test_upload_page_takes_the_list_date_and_marks_missing_for_a_csv(client, login_as, create_parliamentarian):
    import io

    from advocacy.transfer import jobs

    login_as("staff")
    create_parliamentarian(full_name="Gone Member", parliament="Bundestag", external_id="b-1")
    data = {"kind": "parliamentarians", "source": "bundestag", "listed_on": "2025-01-10", "end_missing": "y",
            "file": (io.BytesIO(b"parliament,external_id,full_name,country\nBundestag,b-2,Stays,DE\n"), "l.csv")}
    resp = client.post("/transfer/", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "1 left" in page and "Gone Member" in page and "2025-01-09" in page
    client.post(resp.headers["Location"] + "/confirm")
    assert jobs.run_jobs() == 1
    gone = db.session.scalar(db.select(Parliamentarian).filter_by(external_id="b-1"))
    assert gone.mandate_end_on == dt.date(2025, 1, 9)
    future = {**data, "listed_on": "2999-01-01",
              "file": (io.BytesIO(b"parliament,external_id,full_name,country\nBundestag,b-2,Stays,DE\n"), "l.csv")}
    assert client.post("/transfer/", data=future, content_type="multipart/form-data").status_code == 400
