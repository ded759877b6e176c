"""What the check tells staff before anything is written: ignored columns (and mapping them),
values too long, every bad cell, new facilities with the closest existing ones; and the
learnable parts (template, column help, nothing to import)."""
import csv
import io

from advocacy.extensions import db
from advocacy.prisoners.models import Facility, FacilityKind, Prisoner
from advocacy.transfer import jobs, services
from advocacy.transfer.columns import PRISONERS
from advocacy.transfer.models import ImportBatch, ImportColumnMapping, ImportRow, ImportState
from tests.transfer.test_imports import upload


def _batch(location):
    db.session.expire_all()
    return db.session.get(ImportBatch, location.rsplit("/", 1)[-1])


def test_quoted_comma_cell_after_the_first_4_kb_is_stored_exactly_with_0_bad_rows():
    lines = ["name,source_id,articles,bio"] + [f"Person {i},s-{i},342,plain" for i in range(200)]
    lines.append('"Mikalai ""Kolya"" Statkevich",s-x,"293, 342","Said: ""no"", then left"')
    content = ("\r\n".join(lines) + "\r\n").encode()
    assert len(content) > 4096
    report = services.run("prisoners", content, write=True)
    assert report.summary() == {"create": 201, "update": 0, "unchanged": 0, "error": 0}
    db.session.commit()
    p = db.session.scalar(db.select(Prisoner).where(Prisoner.source_id == "s-x"))
    assert (p.name, p.articles, p.bio) == ('Mikalai "Kolya" Statkevich', "293, 342", 'Said: "no", then left')


def test_older_column_names_formula_guard_and_every_field_are_read():
    content = ("name,source_id,sentence,humanitarian,family_consent,facility_name,verdict_on,bio,occupation\n"
               "A,s-1,3 years,yes,yes,Colony 3,2021-05-01,\"Long\nbio\",'-\n").encode()
    report = services.run("prisoners", content, write=True)
    assert report.ignored == [] and report.mapped["sentence"] == "sentence_text"
    db.session.commit()
    p = db.session.scalar(db.select(Prisoner))
    assert (p.sentence_text, p.is_humanitarian, p.has_family_consent) == ("3 years", True, True)
    assert p.verdict_on.isoformat() == "2021-05-01" and p.bio == "Long\nbio" and p.occupation == "-"
    assert p.facility.name == "Colony 3" and p.facility.kind == FacilityKind.UNKNOWN


def test_empty_birth_date_keeps_the_birth_year_another_column_or_the_record_carries():
    services.run("prisoners", b"name,source_id,birth_date\nA,s-1,1962\n", write=True)
    db.session.commit()
    report = services.run("prisoners", b"name,source_id,birth_date\nA,s-1,\n", write=True)
    db.session.commit()
    p = db.session.scalar(db.select(Prisoner))
    assert p.birth_year == 1962 and p.birth_date is None and report.summary()["unchanged"] == 1
    services.run("prisoners", b"name,source_id,birth_date,birth_year\nA,s-1,,1963\n", write=True)
    db.session.commit()
    db.session.refresh(p)
    assert p.birth_year == 1963


def test_every_bad_cell_is_reported_by_column_name():
    content = ("name,source_id,birth_date,sentence_months,source_url,status\n"
               "A,s-1,1980-13-45,many,ftp://x,jailed\n").encode()
    [row] = services.run("prisoners", content, write=False).errors
    assert row.error.split("\n") == [
        "birth_date: '1980-13-45' is not a date (use YYYY-MM-DD)",
        "sentence_months: 'many' is not a whole number",
        "source_url: Give a web address starting with http:// or https://.",
        "status: 'jailed' is not one of pre_trial, sentenced, released, pardoned, deported, deceased"]


def test_too_long_value_is_a_row_error_and_never_cut(client, login_as):
    login_as("staff")
    long_articles = "342, " * 70  # 350 characters; the field holds 300
    content = f'name,source_id,articles\nA,s-1,"{long_articles}"\nB,s-2,342\n'.encode()
    location = upload(client, content)
    page = client.get(location).data.decode()
    assert "articles: is 349 characters long, at most 300 fit" in page and "1 bad rows" in page
    assert b"Import" not in client.post(location + "/confirm", follow_redirects=True).data.split(b"<h1>")[1][:10]
    assert jobs.run_jobs() == 0 and db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0


def test_ignored_columns_are_listed_and_a_mapping_is_saved_for_the_source(client, login_as):
    login_as("staff")
    content = "ФИО,source_id,Zawód,notes\nA,s-1,teacher,x\n".encode()
    location = upload(client, content, source="memorial-pl", status=302)
    page = client.get(location).data.decode()
    assert _batch(location).state == ImportState.REFUSED and "Missing column(s): name" in page

    content = "name,source_id,Zawód,notes\nA,s-1,teacher,x\n".encode()
    location = upload(client, content, source="memorial-pl")
    batch = _batch(location)
    assert batch.findings["ignored"] == ["Zawód", "notes"]
    page = client.get(location).data.decode()
    assert "Ignored columns" in page and "<code>Zawód</code>" in page
    client.post(location + "/columns", data={"map:Zawód": "occupation", "map:notes": ""})
    batch = _batch(location)
    assert batch.state == ImportState.CHECKED and batch.findings["ignored"] == ["notes"]
    assert batch.findings["mapped"] == {"Zawód": "occupation"}
    client.post(location + "/confirm")
    jobs.run_jobs()
    assert db.session.scalar(db.select(Prisoner)).occupation == "teacher"
    # the next file from that source is read the same way at once
    assert db.session.scalar(db.select(db.func.count(ImportColumnMapping.id))) == 2
    again = upload(client, "name,source_id,Zawód\nB,s-2,doctor\n".encode(), source="memorial-pl")
    assert _batch(again).findings["mapped"] == {"Zawód": "occupation"} and _batch(again).findings["ignored"] == []
    other = upload(client, "name,source_id,Zawód\nB,s-2,doctor\n".encode(), source="elsewhere")
    assert _batch(other).findings["ignored"] == ["Zawód"]
    assert client.post(location + "/columns", data={"map:x": "no_such_field"}).status_code == 302


def test_new_facility_lists_closest_existing_ones_and_staff_choose(client, login_as):
    login_as("staff")
    valadarka = Facility(name="Pre-trial detention center No. 1, Minsk (Valadarka)", kind=FacilityKind.PRE_TRIAL,
                         city="Minsk")
    colony = Facility(name="Penal colony No. 3", kind=FacilityKind.PENAL_COLONY, city="Vitebsk")
    db.session.add_all([valadarka, colony])
    db.session.commit()
    content = ("name,source_id,facility,facility_city,facility_kind,facility_address\n"
               "A,s-1,Pre-trial detention center No. 1,Minsk,,\n"
               "B,s-2,Pre-trial detention centre No.1,Minsk,,\n"
               "C,s-3,Penal colony No. 3,,,\n"
               "D,s-4,Women's colony No. 4,Homiel,penal_colony,\"246035, г. Гомель\"\n").encode()
    location = upload(client, content)
    batch = _batch(location)
    facilities = {f["name"]: f for f in batch.findings["facilities"]}
    # "Penal colony No. 3" is that facility; two spellings of one new name are one proposal
    assert set(facilities) == {"Pre-trial detention center No. 1", "Women's colony No. 4"}
    first = facilities["Pre-trial detention center No. 1"]
    assert first["rows"] == 2 and first["choice"] is None and first["candidates"][0]["id"] == valadarka.id
    assert facilities["Women's colony No. 4"]["choice"] == "create"  # nothing close
    page = client.get(location).data.decode()
    assert "New facilities" in page and "Same as" in page and "choose merge or create" in page
    client.post(location + "/confirm")
    assert jobs.run_jobs() == 0  # refused: a choice is missing
    client.post(location + "/facilities", data={"facility:Pre-trial detention center No. 1": str(valadarka.id)})
    assert all(f["choice"] is not None for f in _batch(location).findings["facilities"])
    client.post(location + "/confirm")
    assert jobs.run_jobs() == 1 and _batch(location).state == ImportState.DONE
    by_name = {p.name: p for p in db.session.scalars(db.select(Prisoner))}
    assert by_name["A"].facility_id == by_name["B"].facility_id == valadarka.id
    assert by_name["C"].facility_id == colony.id
    women = by_name["D"].facility
    assert (women.kind, women.city, women.address_cyrillic) == (FacilityKind.PENAL_COLONY, "Homiel", "246035, г. Гомель")
    assert db.session.scalar(db.select(db.func.count(Facility.id))) == 3


def test_review_is_paginated_errors_first_and_read_from_stored_rows(client, login_as, app, count_queries):
    login_as("staff")
    rows = [f"P{i},s-{i}" for i in range(300)] + ["Bad,"]
    location = upload(client, ("name,source_id\n" + "\n".join(rows) + "\n").encode())
    assert db.session.scalar(db.select(db.func.count(ImportRow.id))) == 301
    page = client.get(location).data.decode()
    assert "Page 1 of 7" in page and page.index("Bad") < page.index("P0")
    assert "source_id: is empty" in page
    with count_queries() as q:
        client.get(location + "?page=3")
    assert q.count < 10  # no re-check on view


def test_header_only_file_says_nothing_to_import(client, login_as):
    login_as("staff")
    page = client.get(upload(client, b"\xef\xbb\xbfname;source_id\r\n")).data.decode()
    assert "nothing to import" in page and "Import 0" not in page


def test_template_has_the_columns_the_importer_reads_and_imports_cleanly(client, login_as):
    login_as("staff")
    resp = client.get("/transfer/template/prisoners.csv")
    header, example = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert header == PRISONERS.header and len(example) == len(header)
    report = services.run("prisoners", resp.data, write=False)
    assert report.errors == [] and report.ignored == [] and report.summary()["create"] == 1
    assert client.get("/transfer/template/nothing.csv").status_code == 404
    help_page = client.get("/transfer/").data.decode()
    for c in PRISONERS.columns:
        assert f"<code>{c.name}</code>" in help_page
    assert "at most 300 characters" in help_page and "also read: sentence" in help_page


def test_every_model_field_has_an_import_column():
    from advocacy.transfer.columns import PARLIAMENTARIANS

    # derived or kept by the database; public_id is a random id made by the app, never taken from a file
    # listed_on is the date of the list an import came from (given on the upload page), not a column
    system = {"search_text", "created_at", "updated_at", "public_id", "listed_on"}
    via = {"facility_id": "facility"}  # fields filled through another column
    for schema in (PRISONERS, PARLIAMENTARIANS):
        fields = {c.key for c in schema.model.__mapper__.column_attrs} - system
        names = set(schema.header)
        missing = {f for f in fields if f not in names and via.get(f) not in names}
        assert missing == set(), schema.kind
