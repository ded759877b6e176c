import io
import os

import pytest

from advocacy.extensions import db
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Facility, Prisoner, Visibility
from advocacy.transfer import jobs, services
from advocacy.transfer.models import ImportBatch, ImportState

EP_XML = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "ep-meps-2019-fr.xml")

def upload(client, content, kind="prisoners", source=None, status=302):
    data = {"kind": kind, "file": (io.BytesIO(content), "list.csv")}
    if source:
        data["source"] = source
    resp = client.post("/transfer/", data=data, content_type="multipart/form-data")
    assert resp.status_code == status, resp.data[:2000]
    return resp.headers.get("Location")


PRISONERS_CSV = """name,alt_names,birth_date,detained_on,articles,sentence,facility,status,humanitarian,source_id,source_url,family_consent
Maryia Kalesnikava,Мария Колесникова;Марыя Калеснікава,1982-04-24,2020-09-07,361-1,11 years,"Penal colony No. 4, Homiel",sentenced,no,viasna-1,https://prisoners.spring96.org/en/person/1,yes
Ales Bialiatski,Алесь Бяляцкі,1962,2021-07-14,228,10 years,"Penal colony No. 9, Horki",sentenced,yes,viasna-2,,no
"""


def test_ep_xml_import_creates_750_meps_with_iso_codes_and_is_idempotent():
    with open(EP_XML, "rb") as fh:
        content = fh.read()
    dry = services.run("ep-xml", content, write=False)
    assert dry.summary() == {"create": 750, "update": 0, "unchanged": 0, "error": 0}
    assert db.session.scalar(db.select(db.func.count(Parliamentarian.id))) == 0  # a dry run writes nothing
    report = services.run("ep-xml", content, write=True)
    db.session.commit()
    assert report.count("create") == 750
    assert db.session.scalar(db.select(db.func.count(Parliamentarian.id))) == 750
    by_name = {m.full_name: m for m in db.session.scalars(db.select(Parliamentarian))}
    assert by_name["Asim ADEMOV"].country == "BG"
    assert by_name["John Stuart AGNEW"].country == "GB"  # "Royaume-Uni"
    assert by_name["Petras AUŠTREVIČIUS"].country == "LT" and by_name["Petras AUŠTREVIČIUS"].political_group == "ALDE"
    assert by_name["Asim ADEMOV"].political_group == "EPP" and by_name["Asim ADEMOV"].external_id == "189525"
    assert any(m.country == "DE" for m in by_name.values())  # "Allemagne"
    assert {m.parliament for m in by_name.values()} == {"European Parliament"}
    again = services.run("ep-xml", content, write=True)
    db.session.commit()
    assert again.summary() == {"create": 0, "update": 0, "unchanged": 750, "error": 0}


def test_ep_import_can_mark_missing_members_as_having_left(create_parliamentarian):
    gone = create_parliamentarian(full_name="Left Already", parliament="European Parliament", external_id="1")
    content = b"<meps><mep><fullName>Stays ON</fullName><country>Allemagne</country><politicalGroup>Non-inscrits</politicalGroup><id>2</id><nationalPoliticalGroup>X</nationalPoliticalGroup></mep></meps>"
    services.run("ep-xml", content, write=True, end_missing=True)
    db.session.commit()
    db.session.refresh(gone)
    assert gone.mandate_end_on is not None


def test_prisoner_csv_import_and_reimport_changes_nothing():
    content = PRISONERS_CSV.encode()
    report = services.run("prisoners", content, write=True)
    db.session.commit()
    assert report.summary()["create"] == 2
    kal = db.session.scalar(db.select(Prisoner).where(Prisoner.source_id == "viasna-1"))
    assert kal.visibility == Visibility.PUBLIC and "Марыя Калеснікава" in kal.alt_names
    bia = db.session.scalar(db.select(Prisoner).where(Prisoner.source_id == "viasna-2"))
    assert bia.birth_date is None and bia.birth_year == 1962 and bia.visibility == Visibility.PRIVATE
    assert db.session.scalar(db.select(db.func.count(Facility.id))) == 2
    again = services.run("prisoners", content, write=True)
    db.session.commit()
    assert again.summary() == {"create": 0, "update": 0, "unchanged": 2, "error": 0}


def test_one_bad_row_writes_nothing_and_is_reported(client, login_as):
    login_as("staff")
    bad = PRISONERS_CSV + "Bad Date,,1980-13-45,2021-01-01,,,,sentenced,no,viasna-3,,no\n"
    location = upload(client, bad.encode())
    review = client.get(location).data.decode()
    assert "Bad Date" in review and "birth_date: &#39;1980-13-45&#39; is not a date" in review
    assert review.index("Bad Date") < review.index("Maryia Kalesnikava")  # errors first
    client.post(location + "/confirm")
    assert jobs.run_jobs() == 0  # nothing was queued
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0


def test_upload_confirm_flow_writes_in_one_step(client, login_as):
    login_as("staff")
    location = upload(client, PRISONERS_CSV.encode())
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0
    assert b"2 to create" in client.get(location).data
    client.post(location + "/confirm")
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0  # queued, not run in the request
    assert jobs.run_jobs() == 1
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 2
    assert b"Imported on" in client.get(location).data
    client.post(location + "/confirm")  # twice: nothing more
    assert jobs.run_jobs() == 0
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 2


@pytest.mark.parametrize("content,message", [
    ("name;source_id\nA;1\n".encode("utf-16-le"), b"NUL character"),
    (b"full name,ident\nA,1\n", b"Missing column(s)"),
    (b"\n", b"empty"),
    ("name,source_id\nŁukasz,1\n".encode("cp1250"), b"not UTF-8"),
    (b"name,source_id\r\n", b"nothing to import"),
])
def test_malformed_csv_is_refused_with_a_clear_reason(client, login_as, content, message):
    login_as("staff")
    location = upload(client, content)
    page = client.get(location)
    assert page.status_code == 200 and message in page.data and b"Upload a corrected file" in page.data
    assert db.session.get(ImportBatch, location.rsplit("/", 1)[-1]).state == ImportState.REFUSED


def test_semicolon_delimited_csv_is_understood():
    content = "name;source_id;detained_on\nA Person;s-1;2021-01-01\n".encode()
    assert services.run("prisoners", content, write=False).summary()["create"] == 1


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><meps>&lol2;</meps>',
    b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><meps><mep><fullName>&xxe;</fullName></mep></meps>',
])
def test_malicious_xml_is_refused(xml):
    with pytest.raises(services.ImportError_, match="refused for safety"):
        services.run("ep-xml", xml, write=False)


def test_too_large_upload_is_413(client, login_as, app):
    login_as("staff")
    app.config["IMPORT_MAX_BYTES"] = 20 * 1024 * 1024
    big = b"name,source_id\n" + b"x" * (app.config["IMPORT_MAX_BYTES"] + 10)
    resp = client.post("/transfer/", data={"kind": "prisoners", "file": (io.BytesIO(big), "big.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 413


def test_parliamentarian_cannot_import(client, login_as):
    login_as("parliamentarian")
    assert client.get("/transfer/").status_code == 403


def test_cli_import_dry_run_and_commit(runner):
    result = runner.invoke(args=["import", "ep-xml", EP_XML])
    assert result.exit_code == 0 and "750 to create" in result.output and "dry run" in result.output
    assert db.session.scalar(db.select(db.func.count(Parliamentarian.id))) == 0
    result = runner.invoke(args=["import", "ep-xml", EP_XML, "--commit"])
    assert result.exit_code == 0 and "imported" in result.output
    assert db.session.scalar(db.select(db.func.count(Parliamentarian.id))) == 750


def test_imports_may_be_larger_than_other_requests(client, login_as, app):
    login_as("staff")
    app.config["MAX_CONTENT_LENGTH"] = 4096  # every other request
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    content = ("name,source_id\n" + "".join(f"Person {i},s-{i}\n" for i in range(2000))).encode()
    assert len(content) > 4096
    location = upload(client, content)
    assert b"2000 to create" in client.get(location).data
    assert client.post("/prisoners/new", data={"name": "x" * 5000}).status_code == 413


def test_bulk_created_records_follow_the_model_rules_and_are_audited():
    from advocacy.audit.models import AuditEntry
    from advocacy.audit.services import acting_as

    content = ("name,source_id,alt_names,birth_date,has_family_consent,visibility,risk_over_60,status\n"
               "Ihar Losik,s-1,Ігар Лосік,1992-05-03,no,public,yes,sentenced\n").encode()
    with acting_as("tester"):
        services.run("prisoners", content, write=True)
    db.session.commit()
    p = db.session.scalar(db.select(Prisoner))
    assert p.visibility == Visibility.PRIVATE and p.is_humanitarian and p.birth_year == 1992
    assert "ihar losik" in p.search_text and "igar losik" in p.search_text and p.created_at is not None
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "Prisoner"))
    assert entry.object_id == p.id and entry.actor == "tester" and entry.changes["name"] == [None, "Ihar Losik"]
    assert "search_text" not in entry.changes and entry.changes["status"] == [None, "sentenced"]
    services.run("prisoners", content.replace(b"Ihar Losik,", b"Ihar Losik 2,"), write=True)
    db.session.commit()  # ids stay consistent with the ORM afterwards
    db.session.add(Prisoner(name="By hand"))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 2


def test_big_upload_waits_for_the_job_runner_and_shows_progress(client, login_as, app, runner):
    login_as("staff")
    app.config["IMPORT_INLINE_CHECK_BYTES"] = 0  # every file is "big"
    location = upload(client, PRISONERS_CSV.encode())
    page = client.get(location).data.decode()
    assert "Waiting to be checked" in page and 'http-equiv="refresh"' in page
    result = runner.invoke(args=["import", "run-jobs"])
    assert result.exit_code == 0 and "1 import job(s) run" in result.output
    page = client.get(location).data.decode()
    assert "2 to create" in page and 'http-equiv="refresh"' not in page
    client.post(location + "/confirm")
    batch = db.session.get(ImportBatch, location.rsplit("/", 1)[-1])
    assert batch.state == ImportState.QUEUED_COMMIT
    assert "Waiting to be imported" in client.get(location).data.decode()
    jobs.run_jobs()
    db.session.expire_all()
    assert (batch.state, batch.rows_done, batch.rows_total) == (ImportState.DONE, 2, 2)


def test_failed_commit_writes_nothing_and_says_why(client, login_as, create_facility):
    login_as("staff")
    target = create_facility(name="Penal colony No. 4, Homiel (women)", city="Homiel")
    location = upload(client, PRISONERS_CSV.encode())
    client.post(location + "/facilities", data={"facility:Penal colony No. 4, Homiel": str(target.id)})
    client.post(location + "/confirm")
    db.session.delete(target)  # the chosen facility disappears before the job runs
    db.session.commit()
    assert jobs.run_jobs() == 1
    db.session.expire_all()
    batch = db.session.get(ImportBatch, location.rsplit("/", 1)[-1])
    assert batch.state == ImportState.FAILED and "New facilities need a decision" in batch.error
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Facility.id))) == 0
    assert "Import failed: nothing was written" in client.get(location).data.decode()


def test_uploaded_file_lives_on_disk_not_in_the_database(client, login_as, app):
    login_as("staff")
    location = upload(client, PRISONERS_CSV.encode())
    batch = db.session.get(ImportBatch, location.rsplit("/", 1)[-1])
    path = os.path.join(app.config["IMPORT_UPLOAD_DIR"], batch.stored_name)
    with open(path, "rb") as fh:
        assert fh.read() == PRISONERS_CSV.encode()
    assert not hasattr(batch, "content")


def test_upload_without_csrf_token_is_refused(client, login_as, app):
    login_as("staff")
    app.config["WTF_CSRF_ENABLED"] = True  # after logging in (restored after the test)
    resp = client.post("/transfer/", data={"kind": "prisoners", "file": (io.BytesIO(PRISONERS_CSV.encode()), "l.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and db.session.scalar(db.select(db.func.count(ImportBatch.id))) == 0


def test_status_change_of_a_known_prisoner_goes_through_the_status_history(create_prisoner):
    from advocacy.prisoners.models import PrisonerStatus

    p = create_prisoner(source_id="viasna-1", status=PrisonerStatus.SENTENCED)
    content = b"name,source_id,status,status_on\nA,viasna-1,released,2026-11-01\n"
    report = services.run("prisoners", content, write=True)
    db.session.commit()
    assert report.rows[0].changes["status"] == ["sentenced", "released"]
    db.session.refresh(p)
    assert p.status == PrisonerStatus.RELEASED and p.status_on.isoformat() == "2026-11-01"
    assert [c.status for c in p.status_changes] == [PrisonerStatus.RELEASED]
