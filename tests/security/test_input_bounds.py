"""Point 6 (huge numbers gave a 500) and point 7 (``next=http:evil.com`` left the site)."""
import pytest

from advocacy.security import is_safe_next

HUGE = "99999999999999999999"
NUMERIC_ARGS = ("page", "per_page", "facility", "user", "parliamentarian", "prisoner_id", "parliamentarian_id",
                "pairing_id", "plan_id")
#: arguments that carry a number after a prefix (the audit log's "who=u<user id>")
PREFIXED_ARGS = ("who=u",)


def _argless_get_rules(app):
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if "GET" in r.methods and not r.arguments and not r.rule.startswith(("/static", "/api/")))


def test_huge_page_on_the_public_campaign_is_a_400_not_a_500(client):
    resp = client.get(f"/campaign/?page={HUGE}")
    assert resp.status_code == 400


@pytest.mark.parametrize("role", ["admin", "parliamentarian"])
def test_no_list_answers_a_huge_number_with_a_500(app, client, login_as, role):
    login_as(role)
    query = "&".join([f"{name}={HUGE}" for name in NUMERIC_ARGS] + [f"{prefix}{HUGE}" for prefix in PREFIXED_ARGS])
    failures = {}
    for rule in _argless_get_rules(app):
        code = client.get(f"{rule}?{query}").status_code
        if code >= 500:
            failures[rule] = code
    assert failures == {}


@pytest.mark.parametrize("number", [HUGE, str(2**31), str(-2**31 - 1)])
def test_ids_beyond_any_column_are_not_found(client, login_as, number):
    login_as("admin")
    for path in (f"/prisoners/{number}", f"/campaign/prisoners/{number}", f"/pairings/{number}",
                 f"/reminders/outbox/{number}", f"/audit/prisoner/{number}"):
        assert client.get(path).status_code == 404, path


def test_huge_ids_in_posted_forms_are_refused_not_a_500(client, login_as):
    login_as("staff")
    resp = client.post("/matching/invite", data={"parliamentarian_id": HUGE, "prisoner_id": HUGE})
    assert resp.status_code == 400
    resp = client.post("/pairings/new", data={"parliamentarian_id": HUGE, "prisoner_id": HUGE,
                                             "started_on": "2024-01-01"})
    assert resp.status_code in (200, 400)


def test_api_page_beyond_range_is_json_400(client, create_user):
    from advocacy.api.models import ApiToken, TokenScope
    from advocacy.db_types import utcnow
    from advocacy.extensions import db

    token, secret = ApiToken.issue("t", created_by=create_user(role="admin"), scope=TokenScope.READ_ALL, days=30,
                                   now=utcnow())
    db.session.add(token)
    db.session.commit()
    resp = client.get(f"/api/v1/prisoners?page={HUGE}", headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 400 and resp.is_json


# -- point 7: redirects stay on our site ---------------------------------------------------------
UNSAFE = [
    "http:evil.com", "https:evil.com", "https:/evil.com", "http:///evil.com", "//evil.com", "///evil.com",
    "\\\\evil.com", "/\\evil.com", "\\/evil.com", "%2f%2fevil.com", "/%2f%2fevil.com", "/%2F/evil.com",
    "/%5cevil.com", "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "/\t/evil.com", "\t//evil.com", "/\n/evil.com", "/\r\n/evil.com", "/%09/evil.com", "//user@evil.com",
    "http://localhost@evil.com/", "https://evil.com@localhost/", "@evil.com", "evil.com", "data:text/html,x",
    "https://evil.example/", "", None, "/\x00/evil.com", "/ /evil.com", "\u2215\u2215evil.com",
]
SAFE = ["/", "/prisoners/", "/prisoners/?page=2&q=%D0%93%D0%B0%D0%BD%D0%BD%D0%B0", "/portal/prisoners/7",
        "/search?q=a%20b", "/@evil.com"]


@pytest.mark.parametrize("target", UNSAFE)
def test_is_safe_next_refuses_every_off_site_trick(app, target):
    with app.test_request_context("/"):
        assert not is_safe_next(target)


@pytest.mark.parametrize("target", SAFE)
def test_is_safe_next_accepts_our_own_paths(app, target):
    with app.test_request_context("/"):
        assert is_safe_next(target)


@pytest.mark.parametrize("target", ["http:evil.com", "https:/evil.com", "/\\evil.com", "/\t/evil.com"])
def test_login_never_redirects_off_site(client, create_user, target):
    user = create_user(role="staff")
    resp = client.post("/auth/login", data={"email": user.email, "password": "correct horse battery", "next": target})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/staff/"


def test_back_or_follows_only_our_own_referrer(client, login_as, create_statement):
    login_as("staff")
    statement = create_statement()
    ours = client.post(f"/statements/{statement.id}/verify", headers={"Referer": "http://localhost/statements/?page=1"})
    assert ours.headers["Location"] == "/statements/?page=1"
    theirs = client.post(f"/statements/{statement.id}/verify", headers={"Referer": "http://evil.com/statements/"})
    assert theirs.headers["Location"] == "/statements/"
