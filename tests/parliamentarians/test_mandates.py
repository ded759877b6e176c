"""Mandates as their own records: the staff form keeps the current one, the page lists them all,
and only members with a current mandate are offered as godparents."""
import datetime as dt

from advocacy.extensions import db
from advocacy.matching import services as matching
from advocacy.parliamentarians.models import Mandate, Parliamentarian
from advocacy.transfer import services as transfer

VALID = {"full_name": "Petras Auštrevičius", "parliament": "European Parliament", "chamber": "single",
         "country": "lt", "political_group": "Renew", "email": "petras@example.org", "languages": "lt",
         "committees": "", "time_zone": "Europe/Vilnius", "external_id": "124766", "mandate_start_on": "2024-07-16"}


def test_the_staff_form_records_the_mandate_it_describes(client, login_as):
    login_as("staff")
    assert client.post("/parliamentarians/new", data=VALID).status_code == 302
    [m] = db.session.scalars(db.select(Mandate)).all()
    assert (m.term, m.start_on, m.political_group) == ("10", dt.date(2024, 7, 16), "Renew")
    member = db.session.scalar(db.select(Parliamentarian))
    assert client.post(f"/parliamentarians/{member.id}/edit", data={**VALID, "political_group": "EPP"}).status_code == 302
    db.session.expire_all()
    assert [x.political_group for x in db.session.scalars(db.select(Mandate))] == ["EPP"]


def test_the_page_lists_every_term(client, login_as):
    login_as("staff")
    content = ("external_id,full_name,country,political_group,mandate_start_on,mandate_end_on\n"
               "1,Anna TWICE,DE,S&D,2019-07-02,2024-07-15\n").encode()
    transfer.run("parliamentarians", content, write=True, listed_on=dt.date(2020, 1, 1))
    content = ("external_id,full_name,country,political_group,mandate_start_on,mandate_end_on\n"
               "1,Anna TWICE,DE,EPP,2024-07-16,\n").encode()
    transfer.run("parliamentarians", content, write=True, listed_on=dt.date(2024, 9, 1))
    db.session.commit()
    member = db.session.scalar(db.select(Parliamentarian))
    page = client.get(f"/parliamentarians/{member.id}").get_data(as_text=True)
    assert "term 9" in page and "term 10" in page and "(S&amp;D)" in page and "(EPP)" in page
    assert member.political_group == "EPP" and member.mandate_end_on is None


def test_successors_are_only_members_with_a_current_mandate(create_pairing, create_parliamentarian):
    today = dt.date.today()
    old = create_pairing()
    sitting = create_parliamentarian(mandate_start_on=today - dt.timedelta(days=100))
    create_parliamentarian(mandate_start_on=today - dt.timedelta(days=2000), mandate_end_on=today - dt.timedelta(days=1))
    create_parliamentarian(mandate_start_on=today + dt.timedelta(days=30))  # not yet sitting
    suggested = {p.id for p, _, _ in matching.successor_suggestions(old, today=today)}
    assert sitting.id in suggested
    assert suggested <= {sitting.id, old.parliamentarian_id}


def test_no_pairing_with_a_member_whose_mandate_has_not_started(create_parliamentarian, create_prisoner):
    import pytest

    from advocacy.pairings.services import PairingError, create_pairing

    today = dt.date(2025, 3, 1)
    future = create_parliamentarian(mandate_start_on=dt.date(2025, 4, 1))
    with pytest.raises(PairingError, match="starts on 2025-04-01"):
        create_pairing(future, create_prisoner(), today=today)
    sitting = create_parliamentarian(mandate_start_on=dt.date(2024, 7, 16))
    assert create_pairing(sitting, create_prisoner(), today=today).parliamentarian is sitting
