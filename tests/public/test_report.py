"""The public campaign report: its figures, and that nothing private moves or shows in them."""
import datetime as dt

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.pairings.models import EndReason, PairingStatus
from advocacy.prisoners.models import KeyDateKind, PrisonerStatus, PrisonerStatusChange, Visibility
from advocacy.public import report
from tests.public.conftest import assert_no_secret

D = dt.date
TODAY = dt.date.today()


def test_new_public_pages_do_not_leak_the_private_prisoner(client, world):
    for path in ("/campaign/report", "/campaign/report/statements.csv", "/campaign/report/countries.csv",
                 "/campaign/report?page=2", f"/campaign/prisoners/{world['public'].public_id}"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert_no_secret(resp.data)
    countries = client.get("/campaign/report/countries.csv").data.decode("utf-8-sig").splitlines()
    said = int(TODAY.year == 2026 and TODAY >= D(2026, 10, 1))  # "Free Ihar now", made on 1 Oct 2026
    assert countries[1:] == [f"LT,1,1,{said}"]  # PL only stands by the private prisoner
    page = client.get("/campaign/report").data.decode()
    assert "Minsk City Court" not in page  # the private prisoner's hearing
    assert "Supreme Court" in page  # the public prisoner's appeal, on their timeline
    assert ' style="' not in page


def _public_world(create_prisoner, create_parliamentarian, create_pairing, create_statement, create_key_date):
    freed = create_prisoner(name="Freed Public", detained_on=D(2021, 1, 5), status=PrisonerStatus.RELEASED,
                            status_on=D(2025, 9, 10))
    db.session.add(PrisonerStatusChange(prisoner=freed, status=PrisonerStatus.RELEASED, changed_on=D(2025, 9, 10)))
    held = create_prisoner(name="Held Public")
    a = create_parliamentarian(full_name="Godparent A", country="LT", parliament="Seimas")
    b = create_parliamentarian(full_name="Godparent B", country="DE")
    create_pairing(parliamentarian=a, prisoner=freed, started_on=D(2023, 1, 1), ended_on=D(2025, 9, 10),
                   status=PairingStatus.ENDED, end_reason=EndReason.PRISONER_RELEASED)
    pb = create_pairing(parliamentarian=b, prisoner=held, started_on=D(2024, 5, 1))
    create_pairing(parliamentarian=create_parliamentarian(country="FR"), prisoner=held, status=PairingStatus.INVITED,
                   started_on=None)
    create_statement(pairing=pb, made_on=TODAY, verified_at=utcnow())
    create_statement(pairing=pb, made_on=TODAY, verified_at=None)  # unverified: not public
    create_key_date(held, kind=KeyDateKind.APPEAL, occurs_on=D(2025, 2, 2), place="Supreme Court")
    db.session.commit()


def _snapshot(client):
    figures, tables = report.summary(TODAY)
    return (figures, [t.rows for t in tables.values()],
            client.get("/campaign/report").data, client.get("/campaign/report/countries.csv").data)


def test_report_figures(create_prisoner, create_parliamentarian, create_pairing, create_statement, create_key_date):
    _public_world(create_prisoner, create_parliamentarian, create_pairing, create_statement, create_key_date)
    f, _ = report.summary(TODAY)
    assert f == {"godparents": 2, "godparents_now": 1, "countries": 2, "parliaments": 2, "prisoners": 2,
                 "statements_this_year": 1, "released_with_godparent": 1}
    by_country = report.by_country(TODAY).rows
    assert by_country == [["DE", 1, 1, 1], ["LT", 1, 1, 0]]
    assert report.statements_by_month(TODAY).rows[-1] == [f"{TODAY:%Y-%m}", 1]


def test_no_report_figure_changes_when_private_rows_change(client, create_prisoner, create_parliamentarian,
                                                           create_pairing, create_statement, create_key_date):
    _public_world(create_prisoner, create_parliamentarian, create_pairing, create_statement, create_key_date)
    before = _snapshot(client)
    # A private prisoner, released while paired, with godparents from new countries and a public one,
    # verified public statements, hearings and status history.
    hidden = create_prisoner(name="Hidden One", has_family_consent=False, visibility=Visibility.PRIVATE,
                             status=PrisonerStatus.RELEASED, status_on=D(2025, 3, 1))
    db.session.add(PrisonerStatusChange(prisoner=hidden, status=PrisonerStatus.RELEASED, changed_on=D(2025, 3, 1)))
    consent_only = create_prisoner(name="Consent Only", visibility=Visibility.PRIVATE)
    archived = create_prisoner(name="Archived Public", is_archived=True)
    newcomer = create_parliamentarian(country="SE", parliament="Riksdag")
    known = db.session.scalar(db.select(type(newcomer)).filter_by(full_name="Godparent B"))
    for prisoner in (hidden, consent_only, archived):
        p1 = create_pairing(parliamentarian=newcomer, prisoner=prisoner, started_on=D(2024, 1, 1),
                            ended_on=D(2025, 3, 1), status=PairingStatus.ENDED)
        p2 = create_pairing(parliamentarian=known, prisoner=prisoner, started_on=D(2024, 2, 1))
        create_statement(pairing=p1, made_on=TODAY, verified_at=utcnow())
        create_statement(pairing=p2, made_on=TODAY - dt.timedelta(days=40), verified_at=utcnow())
        create_key_date(prisoner, kind=KeyDateKind.TRIAL, occurs_on=D(2024, 6, 1))
    db.session.commit()
    db.session.expire_all()
    assert _snapshot(client) == before
