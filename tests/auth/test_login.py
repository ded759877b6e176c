import pytest


def test_staff_login_lands_on_dashboard(client, create_user):
    user = create_user(role="staff")
    resp = client.post("/auth/login", data={"email": user.email.upper(), "password": "correct horse battery"})
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/staff/")


def test_wrong_password_is_refused_without_saying_which_part(client, create_user):
    user = create_user()
    resp = client.post("/auth/login", data={"email": user.email, "password": "nope"})
    assert resp.status_code == 401
    assert b"Wrong email or password" in resp.data


def test_inactive_account_cannot_log_in(client, create_user):
    user = create_user(is_active_account=False)
    resp = client.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    assert resp.status_code == 401


@pytest.mark.parametrize("target,safe", [
    ("/prisoners/", True),
    ("https://evil.example/", False),
    ("//evil.example/", False),
    ("/\\evil.example", False),
    ("javascript:alert(1)", False),
])
def test_next_redirects_only_to_our_own_site(client, create_user, target, safe):
    user = create_user(role="staff")
    resp = client.post("/auth/login", data={"email": user.email, "password": "correct horse battery",
                                            "next": target})
    assert resp.status_code == 302
    if safe:
        assert resp.headers["Location"] == target
    else:
        assert resp.headers["Location"].endswith("/staff/")


def test_login_is_rate_limited(client, create_user):
    user = create_user()
    codes = [client.post("/auth/login", data={"email": user.email, "password": "bad"}).status_code
             for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429


def test_login_form_rejects_missing_csrf_token(client, create_user, csrf_enabled):
    user = create_user()
    resp = client.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    assert resp.status_code == 400
    assert b"security token" in resp.data


def test_anonymous_is_sent_to_login(client):
    resp = client.get("/staff/")
    assert resp.status_code == 302
    assert "/auth/login" in resp.headers["Location"]


def test_parliamentarian_gets_403_on_staff_dashboard(client, login_as):
    login_as("parliamentarian")
    assert client.get("/staff/").status_code == 403


def test_passwords_are_hashed(create_user):
    user = create_user(password="s3cret-pass")
    assert "s3cret-pass" not in user.password_hash
    assert user.check_password("s3cret-pass")
