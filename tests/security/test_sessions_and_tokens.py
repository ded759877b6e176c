"""Point 2 (sessions survived a password reset) and point 5 (API tokens outlived their creator)."""
import datetime as dt

import pytest
from flask import session

from advocacy.api.models import ApiToken, TokenScope
from advocacy.auth.tokens import TokenError, make_token, read_token
from advocacy.db_types import utcnow
from advocacy.extensions import db

PASSWORD = "correct horse battery"


def _remember_only_client(app, client):
    """A second browser holding only the remember cookie (no session)."""
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("remember_token", cookie.value)
    return other


def _log_in_remembered(client, user):
    resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert resp.status_code == 302


def test_password_reset_ends_the_old_session_and_remember_cookie(app, client, create_user, create_parliamentarian):
    user = create_user(role="parliamentarian", parliamentarian=create_parliamentarian())
    _log_in_remembered(client, user)
    remembered = _remember_only_client(app, client)
    assert client.get("/portal/").status_code == 200
    assert remembered.get("/portal/").status_code == 200
    token = make_token(user, "reset")
    assert app.test_client().post(f"/auth/reset/{token}", data={"password": "a new long password",
                                                                "confirm": "a new long password"}).status_code == 302
    assert client.get("/portal/").status_code == 302
    assert remembered.get("/portal/").status_code == 302
    _log_in_again = app.test_client().post("/auth/login", data={"email": user.email, "password": "a new long password"})
    assert _log_in_again.status_code == 302


@pytest.mark.parametrize("change", ["deactivate", "demote", "sign_out_everywhere"])
def test_role_change_deactivation_and_sign_out_everywhere_end_sessions(app, client, create_user, change):
    user = create_user(role="admin")
    _log_in_remembered(client, user)
    remembered = _remember_only_client(app, client)
    assert client.get("/staff/").status_code == 200 and remembered.get("/staff/").status_code == 200
    if change == "deactivate":
        user.is_active_account = False
        db.session.commit()
    elif change == "demote":
        user.role = user.role.__class__("staff")
        db.session.commit()
    else:
        assert client.get("/auth/sign-out-everywhere").status_code == 200  # the confirm page
        assert client.post("/auth/sign-out-everywhere").status_code == 302
    for c in (client, remembered):
        resp = c.get("/admin/users/")
        assert resp.status_code in (302, 403)
        if change != "demote":
            assert resp.status_code == 302
    if change == "demote":  # logged out, not merely demoted in place
        assert client.get("/staff/").status_code == 302


def test_session_cookie_carries_the_session_version(client, create_user):
    user = create_user(role="staff")
    with client:
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert session["_user_id"] == f"{user.id}.{user.session_version}"


def test_a_forged_plain_id_cookie_is_refused(app, client, create_user):
    user = create_user(role="admin")
    with client.session_transaction() as s:
        s["_user_id"] = str(user.id)
        s["_fresh"] = True
    assert client.get("/staff/").status_code == 302


def test_emailed_links_carry_the_session_version(create_user):
    user = create_user(role="staff")
    link = make_token(user, "sign-in")
    assert read_token(link, "sign-in", 600) == user
    user.end_sessions()
    db.session.commit()
    with pytest.raises(TokenError):
        read_token(link, "sign-in", 600)


# -- point 5: API tokens ------------------------------------------------------------------------
def _token(user, scope=TokenScope.WRITE, days=30, now=None):
    token, secret = ApiToken.issue("t", created_by=user, scope=scope, days=days, now=now or utcnow())
    db.session.add(token)
    db.session.commit()
    return token, {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_token_dies_with_its_owners_role_or_account(client, create_user, create_prisoner, change):
    admin = create_user(role="admin")
    prisoner = create_prisoner()
    token, headers = _token(admin)
    assert client.get(f"/api/v1/prisoners/{prisoner.id}", headers=headers).status_code == 200
    if change == "demote":
        admin.role = admin.role.__class__("staff")
    else:
        admin.is_active_account = False
    db.session.commit()
    assert client.get(f"/api/v1/prisoners/{prisoner.id}", headers=headers).status_code == 401
    assert client.patch(f"/api/v1/prisoners/{prisoner.id}", headers=headers, json={"court": "x"}).status_code == 401
    assert token.revoked_at is not None and "owner" in token.revoked_reason


def test_token_refused_when_the_role_changed_even_without_revocation(client, create_user, create_prisoner):
    admin = create_user(role="admin")
    token, headers = _token(admin)
    db.session.execute(db.update(type(admin)).where(type(admin).id == admin.id).values(role="staff"))
    db.session.commit()
    db.session.expire_all()
    assert token.revoked_at is None
    assert client.get("/api/v1/prisoners", headers=headers).status_code == 401


def test_token_expires(client, create_user):
    _, headers = _token(create_user(role="admin"), days=30, now=utcnow() - dt.timedelta(days=31))
    resp = client.get("/api/v1/prisoners", headers=headers)
    assert resp.status_code == 401 and "expired" in resp.json["error"]["message"]


def test_read_scopes_cannot_write(client, create_user, create_prisoner):
    admin = create_user(role="admin")
    prisoner = create_prisoner()
    for scope in (TokenScope.READ_ALL, TokenScope.READ_PUBLIC):
        _, headers = _token(admin, scope=scope)
        assert client.patch(f"/api/v1/prisoners/{prisoner.id}", headers=headers, json={"court": "x"}).status_code == 403
        assert client.delete(f"/api/v1/prisoners/{prisoner.id}", headers=headers).status_code == 403


def test_read_public_sees_only_public_rows_and_fields(client, create_user, create_prisoner):
    from advocacy.prisoners.models import Visibility

    admin = create_user(role="admin")
    public = create_prisoner(name="Open Case", risk_serious_illness=True)
    create_prisoner(name="Hidden Case", visibility=Visibility.PRIVATE, has_family_consent=False)
    _, headers = _token(admin, scope=TokenScope.READ_PUBLIC)
    resp = client.get("/api/v1/prisoners", headers=headers)
    assert resp.status_code == 200
    assert [p["public_id"] for p in resp.json["items"]] == [public.public_id]
    assert "Hidden Case" not in resp.text and "risk_serious_illness" not in resp.text and '"id"' not in resp.text
    assert client.get(f"/api/v1/prisoners/{public.id}", headers=headers).status_code == 403
    assert client.get("/api/v1/key_dates", headers=headers).status_code == 403
    _, all_headers = _token(admin, scope=TokenScope.READ_ALL)
    assert "Hidden Case" in client.get("/api/v1/prisoners", headers=all_headers).text


def test_admin_creates_a_scoped_expiring_token(client, login_as):
    login_as("admin")
    resp = client.post("/admin/api-tokens/", data={"name": "sync", "scope": "read_all", "days": "30"})
    assert resp.status_code == 302
    token = db.session.scalar(db.select(ApiToken))
    assert token.scope == TokenScope.READ_ALL
    assert dt.timedelta(days=29) < token.expires_at - utcnow() <= dt.timedelta(days=30)
