"""The dashboard's figures and the matching suggestions are cached on the staff-data version:
every kind of change to the registers they come from shows at once, nothing else moves it, and
a cache that is down only means they are computed."""
import datetime as dt
import logging

import pytest
from sqlalchemy import update

from advocacy import create_app, staff_version
from advocacy.dashboard import services
from advocacy.extensions import db
from advocacy.matching import scoring
from advocacy.pairings.models import PairingStatus
from advocacy.prisoners.models import Prisoner, PrisonerStatus
from advocacy.staff_version import staff_data_version
from advocacy.statements.models import Statement

TODAY = dt.date.today()


@pytest.fixture()
def world(create_prisoner, create_pairing, create_statement):
    covered = create_prisoner(name="Covered One")
    pairing = create_pairing(prisoner=covered)
    statement = create_statement(pairing=pairing, made_on=TODAY - dt.timedelta(days=3))
    uncovered = create_prisoner(name="Uncovered One")
    return {"covered": covered, "pairing": pairing, "statement": statement, "uncovered": uncovered}


def _fig():
    db.session.commit()  # a request of its own: not inside the writer's transaction
    return services.figures(TODAY)


def _release(w):
    w["uncovered"].status = PrisonerStatus.RELEASED


def _end_pairing(w):
    w["pairing"].status = PairingStatus.ENDED
    w["pairing"].ended_on = TODAY


def _verify_bulk(w):  # an ORM bulk UPDATE: no flush event
    db.session.execute(update(Statement).values(verified_at=dt.datetime.now(dt.timezone.utc)))


def _delete_statement(w):
    db.session.delete(w["statement"])


def _mandate_ended(w):
    w["pairing"].parliamentarian.mandate_end_on = TODAY - dt.timedelta(days=1)


def _bulk_import(w):  # the imports' COPY path, around the ORM
    from advocacy.transfer.services import bulk_create

    bulk_create(Prisoner, [Prisoner(name="Imported One", detained_on=dt.date(2022, 1, 1),
                                    status=PrisonerStatus.SENTENCED)])


CHANGES = {  # change -> (figure, how it moves)
    "prisoner released": (_release, "in_custody", -1),
    "pairing ended": (_end_pairing, "active_pairings", -1),
    "statements verified by a bulk update": (_verify_bulk, "unverified", -1),
    "statement deleted": (_delete_statement, "statements_30d", -1),
    "mandate ended": (_mandate_ended, "needs_successor", +1),
    "prisoner imported in bulk": (_bulk_import, "in_custody", +1),
}


@pytest.mark.parametrize("name", CHANGES)
def test_every_register_change_shows_on_the_cached_dashboard(world, name):
    change, figure, delta = CHANGES[name]
    before = _fig()
    assert _fig() == before  # (served from the cache)
    version = staff_data_version()
    change(world)
    db.session.commit()
    assert staff_data_version() > version
    assert _fig()[figure] == before[figure] + delta


def test_the_second_dashboard_reads_no_aggregate(world, count_queries):
    _fig()
    with count_queries() as q:
        _fig()
    assert not any("count(" in s.lower() and "outbox" not in s.lower() for s in q.statements), q.statements


def test_work_outside_the_registers_does_not_move_the_version(world, create_user):
    version = staff_data_version()
    user = create_user(role="staff")
    user.last_login_at = dt.datetime.now(dt.timezone.utc)
    db.session.commit()
    assert staff_data_version() == version


def test_a_key_date_moves_the_version(world, create_key_date):  # the portal shows the dates ahead
    version = staff_data_version()
    create_key_date(world["covered"])
    assert staff_data_version() > version


def test_a_rolled_back_change_does_not_move_the_version(world):
    version = staff_data_version()
    world["uncovered"].name = "Renamed"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert staff_data_version() == version


def test_a_writer_sees_its_own_uncommitted_change(world):
    before = _fig()
    world["uncovered"].status = PrisonerStatus.RELEASED
    db.session.flush()
    assert services.figures(TODAY)["in_custody"] == before["in_custody"] - 1  # not the cached figure
    db.session.rollback()


def test_dashboard_lists_follow_a_new_pairing(client, login_as, world, create_pairing):
    login_as("staff")
    assert "Uncovered One" in client.get("/staff/").text
    create_pairing(prisoner=world["uncovered"])
    assert "Uncovered One" not in client.get("/staff/").text


def test_cached_suggestions_follow_a_new_pairing(world, create_parliamentarian, create_pairing):
    a, b = create_parliamentarian(full_name="Alpha"), create_parliamentarian(full_name="Beta")
    w = scoring.settings().weights()
    db.session.commit()
    prisoner = world["uncovered"]
    first = [p.id for p, _, _ in scoring.cached_suggest_for_prisoner(prisoner, TODAY, w)]
    assert {a.id, b.id} <= set(first)
    assert first == [p.id for p, _, _ in scoring.suggest_for_prisoner(prisoner, TODAY, w)]
    create_pairing(parliamentarian=a, prisoner=prisoner)  # a is no longer a candidate
    second = [p.id for p, _, _ in scoring.cached_suggest_for_prisoner(prisoner, TODAY, w)]
    assert a.id not in second and b.id in second
    assert second == [p.id for p, _, _ in scoring.suggest_for_prisoner(prisoner, TODAY, w)]


def test_cache_down_computes_and_warns(app, world, create_user, caplog, monkeypatch):
    monkeypatch.setattr(staff_version.log, "disabled", False)
    staff_version._last_warning[0] = 0.0
    down = create_app("testing", overrides={"CACHE_TYPE": "RedisCache", "CACHE_KEY_PREFIX": "h17-test-down:",
                                            "CACHE_REDIS_URL": "redis://127.0.0.1:18799/3?socket_connect_timeout=0.2"})
    user = create_user(role="staff")
    try:
        with caplog.at_level(logging.WARNING, logger="advocacy.staff_version"):
            c = down.test_client()
            assert c.post("/auth/login", data={"email": user.email, "password": "correct horse battery"}).status_code == 302
            assert c.get("/staff/").status_code == 200
            assert c.get(f"/matching/prisoners/{world['uncovered'].id}").status_code == 200
        assert "staff figure cache unavailable" in caplog.text
    finally:
        with down.app_context():
            db.engine.dispose()


def test_list_filter_choices_follow_a_new_country(client, login_as, create_parliamentarian):
    create_parliamentarian(country="DE", political_group="EPP")
    login_as("staff")
    for url in ("/parliamentarians/", "/pairings/"):
        assert ">MT</option>" not in client.get(url).text
    create_parliamentarian(country="MT", political_group="Greens/EFA")
    for url in ("/parliamentarians/", "/pairings/"):
        text = client.get(url).text
        assert ">MT</option>" in text and "Greens/EFA" in text, url
