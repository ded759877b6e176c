import datetime as dt

import pytest

from advocacy.audit.models import AuditAction, AuditEntry
from advocacy.audit.services import acting_as
from advocacy.extensions import db
from advocacy.mail import ConfigError, validate_sender
from advocacy.prisoners.models import Visibility
from advocacy.text import fold, words


def test_fold_makes_cyrillic_and_latin_spellings_comparable():
    assert fold("Калеснікава") == "kalesnikava"
    assert fold("KALESNIKAVA Maryja") == "kalesnikava maryja"
    assert fold("Ales Bialiatski") == fold("Алесь Бяляцкі").replace("ales'", "ales")
    assert words("  Maria,  Kolesnikova ") == ["maria", "kolesnikova"]


def test_security_headers_on_every_page(client):
    resp = client.get("/auth/login")
    assert resp.status_code == 200
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_url_is_a_friendly_404(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert b"Not found" in resp.data


def test_unknown_api_url_answers_json_errors(client):
    resp = client.get("/api/v1/nothing/here/at/all")
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == 404
    resp = client.get("/api/v1/nothing-here")  # authentication comes first, and says so in JSON
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == 401


def test_prisoner_without_family_consent_is_always_private(create_prisoner):
    p = create_prisoner(has_family_consent=False, visibility=Visibility.PUBLIC)
    assert p.visibility == Visibility.PRIVATE
    assert not p.is_public


def test_risk_flag_puts_prisoner_on_humanitarian_list(create_prisoner):
    p = create_prisoner(risk_over_60=True)
    assert p.is_humanitarian
    assert p.risk_labels == ["Over 60"]


def test_audit_hook_records_create_update_delete_with_actor(create_prisoner):
    with acting_as("cli"):
        p = create_prisoner(name="Ihar Losik")
        p.occupation = "Journalist"
        db.session.commit()
        pid = p.id
        db.session.delete(p)
        db.session.commit()
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_type == "Prisoner", AuditEntry.object_id == pid)
        .order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
    assert entries[1].changes == {"occupation": [None, "Journalist"]}
    assert all(e.actor == "cli" for e in entries)


def test_rolled_back_change_leaves_no_audit_entry(create_prisoner):
    p = create_prisoner()
    before = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    p.occupation = "Lawyer"
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == before


@pytest.mark.parametrize("sender", ["", "nobody", "Campaign <no-at-sign>", "x@@y.org"])
def test_malformed_sender_is_refused_at_startup(sender):
    with pytest.raises(ConfigError):
        validate_sender(sender)


def test_app_refuses_to_start_with_bad_sender():
    from advocacy import create_app

    with pytest.raises(ConfigError):
        create_app("testing", overrides={"MAIL_DEFAULT_SENDER": "Campaign <broken"})


def test_days_detained_stop_at_release(create_prisoner):
    from advocacy.prisoners.models import PrisonerStatus

    p = create_prisoner(detained_on=dt.date(2020, 1, 1))
    assert p.days_detained(dt.date(2020, 1, 11)) == 10
    p.status = PrisonerStatus.RELEASED
    p.status_on = dt.date(2020, 1, 5)
    assert p.days_detained(dt.date(2020, 1, 11)) == 4


def test_nul_character_in_a_form_is_a_400_not_a_500(client, login_as):
    login_as("staff")
    resp = client.post("/facilities/new", data={"name": "Bad\x00name", "kind": "prison"})
    assert resp.status_code == 400
    from advocacy.prisoners.models import Facility
    assert db.session.scalar(db.select(db.func.count(Facility.id))) == 0
    assert client.get("/prisoners/?q=a%00b").status_code == 400
