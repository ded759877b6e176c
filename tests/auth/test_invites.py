import datetime as dt
import re

import pytest

from advocacy.auth.models import Role, User
from advocacy.auth.tokens import TokenError, make_token, read_token
from advocacy.extensions import db
from tests.conftest import mail_text


def _link(message):
    body = mail_text(message)
    return re.search(r"http://localhost(/auth/\S+)", body).group(1)


def test_admin_invites_parliamentarian_who_sets_password_and_logs_in(client, login_as, smtp_server, create_parliamentarian):
    login_as("admin")
    mep = create_parliamentarian(full_name="Viola von Cramon")
    resp = client.post("/admin/users/invite", data={"email": "Viola@Example.org", "name": "Viola von Cramon",
                                                    "role": "parliamentarian", "parliamentarian_id": mep.id})
    assert resp.status_code == 302
    assert len(smtp_server.messages) == 1 and smtp_server.messages[0]["to"] == ["viola@example.org"]
    path = _link(smtp_server.messages[0])
    client.post("/auth/logout")
    resp = client.post(path, data={"password": "a long enough secret", "confirm": "a long enough secret"})
    assert resp.status_code == 302
    resp = client.post("/auth/login", data={"email": "viola@example.org", "password": "a long enough secret"})
    assert resp.headers["Location"].endswith("/portal/")
    # The link works once.
    client.post("/auth/logout")
    resp = client.get(path)
    assert resp.status_code == 400 and b"already been used" in resp.data


def test_one_account_per_parliamentarian(client, login_as, create_user, create_parliamentarian):
    login_as("admin")
    mep = create_parliamentarian()
    create_user(role="parliamentarian", parliamentarian=mep)
    resp = client.post("/admin/users/invite", data={"email": "second@example.org", "name": "Second", "role": "parliamentarian",
                                                    "parliamentarian_id": mep.id})
    assert resp.status_code == 400 and b"already has an account" in resp.data


@pytest.mark.parametrize("data,message", [
    ({"email": "not-an-email", "name": "X", "role": "staff"}, b"is not valid"),
    ({"email": "x@example.org", "name": "", "role": "staff"}, b"This field is required"),
    ({"email": "x@example.org", "name": "X", "role": "parliamentarian"}, b"Choose the parliamentarian"),
    ({"email": "x@example.org", "name": "X", "role": "emperor"}, b"Not a valid choice"),
])
def test_bad_invitation_input(client, login_as, data, message):
    login_as("admin")
    resp = client.post("/admin/users/invite", data=data)
    assert resp.status_code == 400 and message in resp.data
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_tampered_and_expired_links_are_refused(create_user):
    user = create_user()
    token = make_token(user, "reset")
    with pytest.raises(TokenError, match="not valid"):
        # a character inside the signature (the last one carries padding bits a change may not touch)
        read_token(token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:], "reset", 3600)
    with pytest.raises(TokenError, match="not valid"):
        read_token(token, "set-password", 3600)  # another purpose's salt
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=3)
    with pytest.raises(TokenError, match="expired"):
        read_token(token, "reset", 7200, now=later)
    assert read_token(token, "reset", 7200).id == user.id


def test_password_reset_flow(client, create_user, smtp_server):
    user = create_user(email="staffer@example.org")
    resp = client.post("/auth/forgot", data={"email": "staffer@example.org"})
    assert resp.status_code == 302
    path = _link(smtp_server.messages[0])
    assert "/auth/reset/" in path
    resp = client.post(path, data={"password": "short", "confirm": "short"})
    assert resp.status_code == 400 and b"at least 12 characters" in resp.data
    resp = client.post(path, data={"password": "new password here", "confirm": "new password here!"})
    assert b"differ" in resp.data
    client.post(path, data={"password": "new password here", "confirm": "new password here"})
    db.session.refresh(user)
    assert user.check_password("new password here")


def test_forgot_does_not_reveal_whether_an_account_exists(client, create_user, smtp_server):
    create_user(email="known@example.org")
    known = client.post("/auth/forgot", data={"email": "known@example.org"}, follow_redirects=True)
    unknown = client.post("/auth/forgot", data={"email": "unknown@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert known.data == unknown.data
    assert b"If an account exists" in known.data
    assert len(smtp_server.messages) == 1


def test_non_admin_staff_cannot_manage_users(client, login_as, create_user):
    login_as("staff")
    other = create_user()
    assert client.get("/admin/users/").status_code == 403
    assert client.post("/admin/users/invite", data={"email": "x@example.org", "name": "X", "role": "admin"}).status_code == 403
    assert client.post(f"/admin/users/{other.id}/edit", data={"email": other.email, "name": "X", "role": "admin"}).status_code == 403
    db.session.refresh(other)
    assert other.role == Role.STAFF


def test_admin_cannot_demote_themself(client, login_as):
    admin = login_as("admin")
    resp = client.post(f"/admin/users/{admin.id}/edit", data={"email": admin.email, "name": "A", "role": "staff",
                                                              "is_active_account": "y"})
    assert resp.status_code == 400 and b"your own admin rights" in resp.data


def test_deactivated_user_is_logged_out_of_new_logins(client, login_as, create_user):
    login_as("admin")
    other = create_user(role="staff")
    client.post(f"/admin/users/{other.id}/edit", data={"email": other.email, "name": other.name, "role": "staff"})
    db.session.refresh(other)
    assert other.is_active is False
