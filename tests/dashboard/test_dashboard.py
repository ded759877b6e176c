import datetime as dt

from advocacy.dashboard.services import figures
from advocacy.pairings.models import PairingStatus

TODAY = dt.date.today()


def test_figures_on_a_crafted_case(create_prisoner, create_pairing, create_statement, create_parliamentarian):
    from advocacy.prisoners.models import PrisonerStatus

    covered = create_prisoner()
    create_prisoner(risk_over_60=True)  # uncovered, humanitarian
    create_prisoner()  # uncovered
    create_prisoner(status=PrisonerStatus.RELEASED)  # not in custody
    active = create_pairing(prisoner=covered)
    create_pairing(prisoner=covered, status=PairingStatus.INVITED)
    create_statement(pairing=active, made_on=TODAY - dt.timedelta(days=3))
    create_statement(pairing=active, made_on=TODAY - dt.timedelta(days=45))
    gone = create_parliamentarian(mandate_end_on=TODAY - dt.timedelta(days=1))
    create_pairing(parliamentarian=gone, prisoner=create_prisoner())
    f = figures(TODAY)
    assert f["in_custody"] == 4
    assert f["uncovered"] == 2 and f["uncovered_humanitarian"] == 1
    assert f["active_pairings"] == 2 and f["open_invitations"] == 1
    assert f["statements_30d"] == 1
    assert f["needs_successor"] == 1


def test_dashboard_lists_humanitarian_uncovered_first_and_silent_godparents(client, login_as, create_prisoner,
                                                                           create_pairing):
    login_as("staff")
    create_prisoner(name="Plain Uncovered", detained_on=dt.date(2020, 1, 1))
    create_prisoner(name="Sick Uncovered", risk_serious_illness=True, detained_on=dt.date(2023, 1, 1))
    quiet = create_pairing()
    html = client.get("/staff/").get_data(as_text=True)
    assert html.index("Sick Uncovered") < html.index("Plain Uncovered")
    assert quiet.parliamentarian.full_name in html


def test_dashboard_query_count_is_bounded(client, login_as, create_prisoner, create_pairing, count_queries):
    login_as("staff")
    create_pairing()
    with count_queries() as small:
        client.get("/staff/")
    for _ in range(25):
        create_prisoner()
        create_pairing()
    with count_queries() as large:
        client.get("/staff/")
    assert small.count == large.count
