"""Point 3 (in one process): throttling that an attacker cannot turn against a victim.

tests/security/test_throttling_gunicorn.py runs the same against gunicorn with 4 workers and Redis."""
import pytest

from advocacy import trust_proxies
from advocacy.auth.throttle import DEVICE_COOKIE

PASSWORD = "correct horse battery"


def _login(client, email, password, addr, **kw):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr}, **kw)


def test_successful_logins_are_never_counted(app, create_user):
    user = create_user()
    client = app.test_client()
    for _ in range(12):
        assert _login(client, user.email, PASSWORD, "192.0.2.1").status_code == 302
        client.post("/auth/logout")


def test_guesses_at_one_account_from_many_addresses_are_stopped_and_the_owner_gets_in(app, create_user):
    victim = create_user()
    own_device = app.test_client()
    assert _login(own_device, victim.email, PASSWORD, "198.51.100.7").status_code == 302  # earlier, as usual
    own_device.post("/auth/logout")
    assert own_device.get_cookie(DEVICE_COOKIE) is not None
    attacker = app.test_client()
    codes = [_login(attacker, victim.email, f"guess {i}", f"203.0.113.{i % 6 + 1}").status_code for i in range(18)]
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}  # 10 per hour per account, whatever the address
    # the owner, from a new address (a phone on another network), on their own device: in
    assert _login(own_device, victim.email, PASSWORD, "198.51.100.99").status_code == 302
    # while the attacker stays throttled, even with the right password
    assert _login(attacker, victim.email, PASSWORD, "203.0.113.1").status_code == 429


def test_a_forged_or_foreign_device_cookie_does_not_exempt(app, create_user):
    victim, other = create_user(), create_user()
    mine = app.test_client()
    _login(mine, other.email, PASSWORD, "198.51.100.1")  # a device cookie for another account
    for i in range(10):
        _login(mine, victim.email, "guess", f"203.0.113.{i + 10}")
    assert _login(mine, victim.email, PASSWORD, "203.0.113.99").status_code == 429
    forged = app.test_client()
    forged.set_cookie(DEVICE_COOKIE, "eyJlIjoieCJ9.forged")
    assert _login(forged, victim.email, PASSWORD, "203.0.113.98").status_code == 429


def test_one_client_guessing_one_account(app, create_user):
    user = create_user()
    client = app.test_client()
    codes = [_login(client, user.email, "bad", "192.0.2.9").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]


@pytest.fixture()
def behind_one_proxy(app):
    original = app.wsgi_app
    app.config["PROXY_COUNT"] = 1
    trust_proxies(app)
    yield
    app.wsgi_app = original


def test_behind_a_proxy_each_client_has_its_own_counter(app, create_user, behind_one_proxy):
    victim, bystander = create_user(), create_user()
    proxy = "10.0.0.1"  # every request reaches the app from the proxy's address
    client = app.test_client()
    codes = [_login(client, victim.email, "bad", proxy, headers={"X-Forwarded-For": "203.0.113.5"}).status_code
             for _ in range(6)]
    assert codes[-1] == 429
    resp = _login(app.test_client(), bystander.email, PASSWORD, proxy, headers={"X-Forwarded-For": "192.0.2.44"})
    assert resp.status_code == 302  # someone else behind the same proxy is not locked out


def test_without_a_proxy_forwarded_for_is_ignored(app, create_user):
    user = create_user()
    client = app.test_client()
    codes = [_login(client, user.email, "bad", "192.0.2.5", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
             for i in range(6)]
    assert codes[-1] == 429  # a spoofed header does not give a fresh counter


def test_password_reset_mails_are_throttled_per_account_and_client(app, create_user, smtp_server):
    user = create_user()
    client = app.test_client()
    codes = [client.post("/auth/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code
             for _ in range(4)]
    assert codes[:3] == [302] * 3 and codes[3] == 429
    assert len(smtp_server.messages) == 3


def test_api_token_guessing_is_throttled_per_client(app):
    client = app.test_client()
    codes = [client.get("/api/v1/prisoners", headers={"Authorization": f"Bearer adv_guess{i}"},
                        environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code for i in range(31)]
    assert codes[:30] == [401] * 30 and codes[30] == 429
