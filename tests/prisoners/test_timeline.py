import datetime as dt

from advocacy.pairings.models import EndReason, PairingStatus
from advocacy.prisoners.models import KeyDateKind, PrisonerStatus, PrisonerStatusChange
from advocacy.extensions import db

D = dt.date


def test_staff_prisoner_page_shows_the_case_in_order(client, login_as, create_prisoner, create_pairing,
                                                      create_statement, create_key_date, create_parliamentarian):
    p = create_prisoner(name="Maria K", detained_on=D(2020, 9, 7), verdict_on=D(2021, 9, 6),
                        sentence_text="11 years", status=PrisonerStatus.RELEASED, status_on=D(2025, 6, 1))
    create_key_date(p, kind=KeyDateKind.TRIAL, occurs_on=D(2021, 8, 4), place="Minsk Regional Court")
    db.session.add(PrisonerStatusChange(prisoner=p, status=PrisonerStatus.SENTENCED, changed_on=D(2021, 9, 6)))
    db.session.add(PrisonerStatusChange(prisoner=p, status=PrisonerStatus.RELEASED, changed_on=D(2025, 6, 1)))
    db.session.commit()
    mep = create_parliamentarian(full_name="Anna Godmother")
    pairing = create_pairing(parliamentarian=mep, prisoner=p, started_on=D(2022, 1, 10), ended_on=D(2025, 6, 1),
                             status=PairingStatus.ENDED, end_reason=EndReason.PRISONER_RELEASED)
    create_pairing(prisoner=p, status=PairingStatus.DECLINED, started_on=D(2022, 2, 1),
                   parliamentarian=create_parliamentarian(full_name="Declined Member"))
    create_statement(pairing=pairing, made_on=D(2023, 3, 1), title="Free Maria")
    login_as("staff")
    page = client.get(f"/prisoners/{p.id}").data.decode()
    timeline = page.split('id="timeline"')[1].split("</ol>")[0]
    order = ["Arrested", "Trial hearing", "Verdict", "In custody, sentenced", "Anna Godmother became a godparent",
             "Free Maria", "Released", "Anna Godmother&#39;s godparenthood ended"]
    positions = [timeline.index(x) for x in order]
    assert positions == sorted(positions)
    assert "Declined Member" not in timeline
    assert "Prisoner released" in timeline  # the end reason, for staff
