"""From invitation to portal without a prior account: signed invitation links (GET changes
nothing, the answer uses them up), account creation with a password or sign-in links,
sign-in links that die with the password, staff onboarding page."""
import datetime as dt
import re

import freezegun
import pytest

from advocacy.auth.models import User
from advocacy.extensions import db
from advocacy.outbox.models import OutboxKind, OutboxMessage
from advocacy.outbox.sender import deliver
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.prisoners.models import KeyDateKind
from tests.conftest import mail_text

LINK = re.compile(r"http://localhost(/[^\s\"<>]+)")


def _links(message):
    return [path.replace("&amp;", "&") for path in LINK.findall(mail_text(message))]


@pytest.fixture()
def invited(client, login_as, smtp_server, create_parliamentarian, create_prisoner, create_key_date):
    """Staff invite a parliamentarian who has no account; returns (pairing, invitation mail)."""
    parl = create_parliamentarian(full_name="Viola von Cramon-Taubadel", email="viola@example.org")
    prisoner = create_prisoner(name="Ihar Losik", detained_on=dt.date(2020, 6, 25), sentence_text="15 years")
    create_key_date(prisoner, kind=KeyDateKind.APPEAL, occurs_on=dt.date.today() + dt.timedelta(days=20),
                    place="Minsk City Court")
    login_as("staff")
    assert client.post("/matching/invite", data={"parliamentarian_id": parl.id, "prisoner_id": prisoner.id}).status_code == 302
    client.post("/auth/logout")
    assert parl.user is None
    pairing = db.session.scalars(db.select(Pairing)).one()
    assert len(smtp_server.messages) == 1
    return pairing, smtp_server.messages[0]


def _answer_path(message, answer="accept"):
    paths = [p for p in _links(message) if "/matching/invitations/answer/" in p]
    return next(p for p in paths if f"answer={answer}" in p)


def test_invitation_mail_has_hearing_contact_buttons_and_a_complete_text_part(invited):
    pairing, message = invited
    text = mail_text(message)
    assert "Next hearing:" in text and "Minsk City Court" in text
    assert "team@advocacy.example.org" in text
    assert "Yes, I will stand by Ihar Losik:" in text and "No, not now:" in text
    html = mail_text(message, "html")
    assert "<!doctype html>" in html.lower() and "Yes, I will stand by Ihar Losik</a>" in html
    assert "Next hearing" in html and "team@advocacy.example.org" in html


def test_accept_without_account_then_choose_a_password_and_see_the_portal(app, invited):
    pairing, message = invited
    client = app.test_client()
    path = _answer_path(message)
    page = client.get(path)
    assert page.status_code == 200 and b"Will you stand by Ihar Losik?" in page.data
    db.session.expire_all()
    assert pairing.status == PairingStatus.INVITED  # a GET (a mail scanner) decides nothing
    resp = client.post(path, data={"answer": "accept"})
    assert resp.status_code == 302 and "/auth/welcome-godparent/" in resp.headers["Location"]
    db.session.expire_all()
    assert pairing.status == PairingStatus.ACTIVE
    resp = client.post(resp.headers["Location"], data={"choice": "password", "password": "a long enough secret",
                                                      "confirm": "a long enough secret"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/portal/")
    user = db.session.scalar(db.select(User).where(User.email == "viola@example.org"))
    assert user.parliamentarian_id == pairing.parliamentarian_id and user.role.value == "parliamentarian"
    portal = client.get("/portal/")
    assert portal.status_code == 200 and b"Ihar Losik" in portal.data
    # The same link again: a clear message, nothing changes.
    again = client.get(path)
    assert again.status_code == 410 and b"already accepted" in again.data


def test_decline_uses_the_link_up(app, invited):
    pairing, message = invited
    client = app.test_client()
    path = _answer_path(message, "decline")
    resp = client.post(path, data={"answer": "decline", "reason": "I already adopted two"})
    assert resp.status_code == 200 and b"Thank you for your answer" in resp.data
    db.session.expire_all()
    assert pairing.status == PairingStatus.DECLINED and pairing.decline_reason == "I already adopted two"
    assert client.post(path, data={"answer": "accept"}).status_code == 410


def test_expired_and_tampered_links_give_a_clear_message(app, invited):
    pairing, message = invited
    client = app.test_client()
    path = _answer_path(message)
    tampered = path.replace("/answer/", "/answer/x")
    assert b"not valid" in client.get(tampered).data
    app.config["INVITATION_LINK_MAX_AGE"] = -1
    resp = client.get(path)
    assert resp.status_code == 400 and b"expired" in resp.data
    db.session.expire_all()
    assert pairing.status == PairingStatus.INVITED


def test_link_of_one_person_cannot_answer_another_invitation(app, invited, create_pairing):
    from advocacy.matching import links

    pairing, _ = invited
    other = create_pairing(status=PairingStatus.INVITED, started_on=None)
    token = links._serializer().dumps({"p": other.id, "m": pairing.parliamentarian_id})
    resp = app.test_client().get(f"/matching/invitations/answer/{token}")
    assert resp.status_code == 400 and b"no longer exists" in resp.data


def test_choose_sign_in_links_instead_of_a_password(app, invited, smtp_server):
    pairing, message = invited
    client = app.test_client()
    resp = client.post(_answer_path(message), data={"answer": "accept"})
    resp = client.post(resp.headers["Location"], data={"choice": "links"})
    assert resp.status_code == 200 and b"Check your inbox" in resp.data
    user = db.session.scalar(db.select(User).where(User.email == "viola@example.org"))
    assert user.password_hash is None
    link_mail = smtp_server.messages[-1]
    assert link_mail["message"]["Subject"].startswith("Your sign-in link")
    path = next(p for p in _links(link_mail) if "/auth/sign-in/" in p)
    fresh = app.test_client()
    assert b"Sign in as" in fresh.get(path).data
    assert fresh.get("/portal/").status_code == 302  # the GET signed nobody in
    resp = fresh.post(path)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/portal/")
    assert fresh.get("/portal/").status_code == 200
    # Used up: a second POST (or another device) is refused with a clear message.
    again = app.test_client().post(path)
    assert again.status_code == 400 and b"already been used" in again.data


def test_reminder_link_leads_to_the_page_after_a_sign_in_link(app, client, create_user, create_pairing, smtp_server):
    pairing = create_pairing()
    create_user(role="parliamentarian", email="mep@example.org", parliamentarian=pairing.parliamentarian)
    target = f"/portal/prisoners/{pairing.prisoner_id}"
    resp = client.get(target)
    assert resp.status_code == 302 and "next=" in resp.headers["Location"]
    assert client.post("/auth/sign-in-link", data={"email": "mep@example.org", "next": target}).status_code == 200
    path = next(p for p in _links(smtp_server.messages[-1]) if "/auth/sign-in/" in p)
    resp = client.post(path)
    assert resp.status_code == 302 and resp.headers["Location"] == target


def test_sign_in_link_dies_when_the_password_changes(app, create_user, smtp_server):
    from advocacy.auth.tokens import make_sign_in_token

    user = create_user(email="mep@example.org")
    token = make_sign_in_token(user)
    user.set_password("a completely new password")
    db.session.commit()
    resp = app.test_client().post(f"/auth/sign-in/{token}")
    assert resp.status_code == 400 and b"already been used" in resp.data


def test_asking_for_a_link_for_an_unknown_address_answers_the_same(client, smtp_server):
    resp = client.post("/auth/sign-in-link", data={"email": "nobody@example.org"})
    assert resp.status_code == 200 and b"Check your inbox" in resp.data
    assert smtp_server.messages == []


def test_day_14_reminder_carries_a_fresh_working_link(app, invited, smtp_server):
    from advocacy.matching import services

    pairing, first = invited
    now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=15)
    with freezegun.freeze_time(now):
        assert services.process_invitations(now)["reminded"] == 1
        db.session.commit()
        deliver(now)
        reminder = smtp_server.messages[-1]
        assert reminder["message"]["Subject"].startswith("Reminder")
        assert _answer_path(reminder) != _answer_path(first)
        assert app.test_client().get(_answer_path(reminder)).status_code == 200
    # 31 days after the first mail, the reminder's link still works (it lives 30 days from
    # its own sending; the invitation itself expires at day 28 and then says so).
    with freezegun.freeze_time(now + dt.timedelta(days=16)):
        assert b"expired" not in app.test_client().get(_answer_path(reminder)).data


def test_staff_see_onboarding_and_resend_an_invitation(client, login_as, invited, smtp_server):
    pairing, _ = invited
    login_as("staff")
    page = client.get("/matching/onboarding").get_data(as_text=True)
    assert "Viola von Cramon-Taubadel" in page and "no account" in page and "Resend invitation" in page
    assert client.post(f"/matching/invitations/{pairing.id}/resend").status_code == 302
    mails = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.INVITATION)).all()
    assert len(mails) == 2 and len(smtp_server.messages) == 2
