from advocacy import demo
from advocacy.extensions import db
from advocacy.pairings.models import Pairing
from advocacy.prisoners.models import Prisoner


def test_demo_command_loads_data_and_logins_work(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert demo.STAFF_EMAIL in result.output and demo.MEP_EMAIL in result.output
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 36
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) > 20
    assert any(not p.is_public for p in db.session.scalars(db.select(Prisoner)))
    resp = client.post("/auth/login", data={"email": demo.STAFF_EMAIL, "password": demo.DEMO_PASSWORD})
    assert resp.headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200
    client.post("/auth/logout")
    resp = client.post("/auth/login", data={"email": demo.MEP_EMAIL, "password": demo.DEMO_PASSWORD})
    assert resp.headers["Location"].endswith("/portal/")
    portal = client.get("/portal/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert b"Write a letter" in portal.data
    # with no choice and no browser language, the demo member's own language (Germany: German)
    assert b'<html lang="de">' in client.get("/portal/").data


def test_demo_if_empty_is_idempotent(runner):
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    before = db.session.scalar(db.select(db.func.count(Prisoner.id)))
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "already loaded" in result.output
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == before
    assert runner.invoke(args=["demo"]).exit_code != 0
