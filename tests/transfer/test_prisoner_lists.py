"""Prisoner lists as human-rights groups publish them (CSV or JSON, their own field names),
read in update mode: what changed since the last list from that source, line by line."""
import io
import json

import pytest

from advocacy.extensions import db
from advocacy.outbox.models import OutboxMessage
from advocacy.pairings.models import PairingStatus
from advocacy.prisoners.models import Prisoner, PrisonerStatus
from advocacy.transfer import jobs, services
from advocacy.transfer.models import ImportBatch, ImportColumnMapping, ImportRow

HEADER = "id,name,status,birthday,gender,arrested,articles,verdict date,penalty,judge,prosecutor,prison,release date,died,at-risk groups\n"
WEEK_1 = HEADER + (
    'v-1,Released Person,convicted,1970-01-02,male,2021-03-01,342,2021-09-01,3 years,J. One,P. One,"Penal colony No. 3",2024-03-01,,over 60\n'
    'v-2,Sentenced Person,detained,1990-05-05,female,2024-02-01,361-1,,,,,"SIZO-1, Minsk",,,\n'
    'v-3,Moved Person,convicted,1985-07-07,male,2022-01-10,130,2022-06-01,5 years,J. Two,P. Two,"Penal colony No. 3",2027-01-10,,serious illness\n'
    'v-4,Same Person,convicted,1980-08-08,female,2020-09-07,361-1,2021-09-06,11 years,J. Three,P. Three,"Penal colony No. 4",2031-09-06,,\n'
)
WEEK_2 = HEADER + (
    'v-1,Released Person,released,1970-01-02,male,2021-03-01,342,2021-09-01,3 years,J. One,P. One,"Penal colony No. 3",2024-02-20,,over 60\n'
    'v-2,Sentenced Person,convicted,1990-05-05,female,2024-02-01,361-1,2024-06-10,2 years,J. Four,P. Four,"SIZO-1, Minsk",2026-02-01,,\n'
    'v-3,Moved Person,convicted,1985-07-07,male,2022-01-10,130,2022-06-01,5 years,J. Two,P. Two,"Penal colony No. 15",2027-01-10,,serious illness\n'
    'v-4,Same Person,convicted,1980-08-08,female,2020-09-07,361-1,2021-09-06,11 years,J. Three,P. Three,"Penal colony No. 4",2031-09-06,,\n'
)


def upload(client, content, source="viasna", name="list.csv"):
    data = {"kind": "prisoner-list", "source": source, "file": (io.BytesIO(content), name)}
    resp = client.post("/transfer/", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302, resp.data[:2000]
    return resp.headers["Location"]


def _rows(location):
    batch = db.session.get(ImportBatch, location.rsplit("/", 1)[1])
    return batch, [(r.key, r.action) for r in batch.rows.order_by(ImportRow.rank, ImportRow.line)]


def _import_first_week(client):
    location = upload(client, WEEK_1.encode())
    batch, rows = _rows(location)
    assert sorted(rows) == [("v-1", "new"), ("v-2", "new"), ("v-3", "new"), ("v-4", "new")], batch.error
    client.post(location + "/confirm")
    assert jobs.run_jobs() == 1
    return {p.source_id: p for p in db.session.scalars(db.select(Prisoner))}


def test_a_groups_list_is_read_with_its_own_field_names(client, login_as):
    login_as("staff")
    people = _import_first_week(client)
    p = people["v-1"]
    assert (p.name, p.status, p.birth_date.isoformat(), p.detained_on.isoformat(), p.verdict_on.isoformat()) == (
        "Released Person", PrisonerStatus.SENTENCED, "1970-01-02", "2021-03-01", "2021-09-01")
    assert (p.sentence_text, p.judge, p.prosecutor, p.facility.name, p.release_expected_on.isoformat()) == (
        "3 years", "J. One", "P. One", "Penal colony No. 3", "2024-03-01")
    assert p.risk_over_60 and p.is_humanitarian and not p.risk_serious_illness
    assert people["v-2"].status == PrisonerStatus.PRE_TRIAL


def test_update_mode_shows_exactly_the_release_the_verdict_and_the_transfer(client, login_as, create_pairing):
    login_as("staff")
    people = _import_first_week(client)
    pairing = create_pairing(prisoner=people["v-1"])
    location = upload(client, WEEK_2.encode())
    batch, rows = _rows(location)
    assert sorted(rows) == [("v-1", "released"), ("v-2", "sentenced"), ("v-3", "transferred")]
    lines = {r.action: r.changes for r in batch.rows}
    assert lines["released"] == {"status": ["sentenced", "released"], "status_on": [None, "2024-02-20"]}
    assert lines["sentenced"]["status"] == ["pre_trial", "sentenced"] and lines["sentenced"]["judge"] == [None, "J. Four"]
    assert lines["transferred"] == {"facility": ["Penal colony No. 3", "Penal colony No. 15"]}
    page = client.get(location).data
    assert b'name="accept" value="v-1:released"' in page

    client.post(location + "/confirm")
    assert jobs.run_jobs() == 1
    db.session.expire_all()
    released, sentenced, moved = (db.session.scalar(db.select(Prisoner).filter_by(source_id=k)) for k in ("v-1", "v-2", "v-3"))
    assert released.status == PrisonerStatus.RELEASED and released.status_on.isoformat() == "2024-02-20"
    assert [c.status for c in released.status_changes] == [PrisonerStatus.RELEASED]
    assert db.session.get(type(pairing), pairing.id).status == PairingStatus.ENDED
    thanks = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "release_thanks")).all()
    assert len(thanks) == 1 and thanks[0].pairing_id == pairing.id
    assert sentenced.status == PrisonerStatus.SENTENCED and sentenced.judge == "J. Four"
    assert moved.facility.name == "Penal colony No. 15"


def test_a_skipped_line_is_not_applied(client, login_as):
    login_as("staff")
    _import_first_week(client)
    location = upload(client, WEEK_2.encode())
    shown = ["v-1:released", "v-2:sentenced", "v-3:transferred"]
    resp = client.post(location + "/decisions", data={"shown": shown, "accept": ["v-2:sentenced", "v-3:transferred"]})
    assert resp.status_code == 302
    assert b"Import 2 change(s)" in client.get(location).data
    client.post(location + "/confirm")
    assert jobs.run_jobs() == 1
    db.session.expire_all()
    people = {p.source_id: p for p in db.session.scalars(db.select(Prisoner))}
    assert people["v-1"].status == PrisonerStatus.SENTENCED  # skipped: not released
    assert people["v-2"].status == PrisonerStatus.SENTENCED and people["v-3"].facility.name == "Penal colony No. 15"


def test_a_decision_about_a_line_not_in_the_check_is_refused(client, login_as):
    login_as("staff")
    location = upload(client, WEEK_1.encode())
    resp = client.post(location + "/decisions", data={"shown": ["v-9:released"]}, follow_redirects=True)
    assert b"not part of this check" in resp.data
    assert db.session.get(ImportBatch, location.rsplit("/", 1)[1]).options.get("skip") is None


def test_people_missing_from_the_next_list_are_flagged_and_not_changed(client, login_as):
    login_as("staff")
    _import_first_week(client)
    without_v4 = "".join(line for line in WEEK_1.splitlines(keepends=True) if not line.startswith("v-4"))
    location = upload(client, without_v4.encode())
    batch, rows = _rows(location)
    assert rows == [("v-4", "missing")]
    assert b"The file changes nothing" in client.get(location).data
    assert db.session.scalar(db.select(Prisoner).filter_by(source_id="v-4")).status == PrisonerStatus.SENTENCED
    # another source's list does not compare with viasna's
    other = upload(client, without_v4.encode(), source="other-group")
    assert ("v-4", "missing") not in _rows(other)[1]


def test_a_json_list_and_a_mapping_saved_for_its_source(client, login_as):
    login_as("staff")
    data = {"prisoners": [
        {"id": 17, "full name": "Json Person", "status": "detained", "arrested": "2024-01-01",
         "at-risk groups": ["disability", "large family"], "died": None},
    ]}
    location = upload(client, json.dumps(data).encode(), source="json-group", name="list.json")
    batch = db.session.get(ImportBatch, location.rsplit("/", 1)[1])
    assert batch.state.value == "refused" and "name" in batch.error  # "full name" is not a column we know
    client.post(location + "/columns", data={"map:full name": "name"})
    batch = db.session.get(ImportBatch, batch.id)
    assert batch.summary["new"] == 1, batch.error
    assert db.session.scalar(db.select(ImportColumnMapping).filter_by(source="json-group")).column == "name"
    again = upload(client, json.dumps(data).encode(), source="json-group", name="list.json")
    assert db.session.get(ImportBatch, again.rsplit("/", 1)[1]).summary["new"] == 1  # the mapping was remembered
    client.post(again + "/confirm")
    jobs.run_jobs()
    p = db.session.scalar(db.select(Prisoner).filter_by(source_id="17"))
    assert p.name == "Json Person" and p.risk_disability and p.risk_large_family and not p.risk_over_60


@pytest.mark.parametrize("content,message", [
    (b"[1, 2]", "must be an object"),
    (b'{"people": 3}', "JSON array"),
    (b'[{"id": "1", "name": {"first": "A"}}]', "holds dict data"),
    (b"[{", "not valid JSON"),
])
def test_a_malformed_json_list_is_refused_with_a_reason(content, message):
    with pytest.raises(services.ImportError_, match=message):
        services.run("prisoner-list", content, write=False)


def test_an_unknown_at_risk_group_and_a_death_are_read_clearly():
    content = (HEADER + "x-1,A,convicted,,,,,,,,,,,,pirates\n"
               "x-2,B,,,,,,,,,,,,2024-05-01,\n").encode()
    report = services.run("prisoner-list", content, write=False)
    [bad] = report.errors
    assert "risk_groups: 'pirates' is not an at-risk group we know" in bad.error
    content = (HEADER + "x-2,B,,,,,,,,,,,,2024-05-01,\n").encode()
    services.run("prisoner-list", content, write=True)
    p = db.session.scalar(db.select(Prisoner).filter_by(source_id="x-2"))
    assert p.status == PrisonerStatus.DECEASED and p.status_on.isoformat() == "2024-05-01"


def test_a_release_dated_in_the_future_is_a_row_error_not_a_failed_import():
    content = (HEADER + "x-1,A,released,,,,,,,,,,2030-01-01,,\n").encode()
    [bad] = services.run("prisoner-list", content, write=False).errors
    assert "released_on: 2030-01-01 is in the future" in bad.error
