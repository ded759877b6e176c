"""The access matrix, generated from the URL map (issue 16).

Every rule of ``app.url_map`` has one row in ACCESS, keyed by endpoint: one letter per way in
(see tests/security/access.py for the letters), in the order

    anonymous  parliamentarian  other_parliamentarian  staff  admin  [token_read_public  token_read_all  token_write]

The parliamentarian owns every id in the URLs (their pairing, prisoner, statement, …); the
other parliamentarian has a pairing of their own and must not reach these. Token letters are
given for /api/ routes only; on every other route a token must count for nothing (the anonymous
letter is checked). A row is a string (the same for every method of the rule) or a dict by method.

Rules behind a secret in the URL (feeds, unsubscribe, invitation and reset links; sign-in links
when they come) also appear in LINKS: the row is checked with the parliamentarian's real
secret, and LINKS gives the answer to a wrong one.

Adding a route: add its row here (one line), or this suite fails.
"""
import pytest

from tests.security.access import SESSION_WAYS, TOKEN_WAYS, build_world, client_for, matches, outcome

ACCESS = {
    # endpoint                           anon parl other staff admin [read_public read_all write]
    # -- public, no login
    "public.index":                      "O O O O O",
    "public.campaign":                   "O O O O O",
    "public.prisoner":                   "O O O O O",
    "public.godparent":                  "O O O O O",
    "public.robots":                     "O O O O O",
    "public.set_language":               "O O O O O",
    "public.campaign_report":            "O O O O O",
    "public.letter":                     "O O O O O",
    "public.letter_guide":               "O O O O O",
    "public.report_csv":                 "N N N N N",  # the world's name ("prisoners") is no report table
    "exports.public_csv":                "O O O O O",
    "exports.public_json":               "O O O O O",
    "static":                            "O O O O O",
    "auth.login":                        {"GET": "O O O O O", "POST": "U O O O O"},  # empty form: 401
    "auth.forgot":                       "O O O O O",
    "auth.logout":                       "L O O O O",
    "auth.sign_out_everywhere":          "L O O O O",
    "auth.sign_in_link":                 "O O O O O",
    # -- behind a secret in the URL (see LINKS)
    "auth.set_password":                 "O O O O O",
    "auth.reset":                        "O O O O O",
    "auth.sign_in":                      "O O O O O",
    "auth.onboard":                      "O O O O O",  # the parliamentarian has an account: 400
    "matching.answer":                   "O O O O O",  # the invitation was answered: 410
    "feeds.calendar":                    "O O O O O",
    "reminders.unsubscribe":             "O O O O O",
    # -- the parliamentarians' portal: their own pairings only
    "portal.index":                      "L O O F F",
    "portal.profile":                    "L O O F F",
    "portal.prisoner":                   "L O N F F",
    "portal.letter":                     "L O N F F",
    "portal.add_statement":              "L O O F F",
    "portal.edit_statement":             "L O N F F",
    "reminders.preferences":             "L O O F F",
    "feeds.mine":                        "L O O F F",
    "feeds.add":                         "L O O O O",
    "feeds.revoke":                      "L O N N N",  # one's own addresses only
    "matching.invitation":               "L O N F F",
    # -- staff
    "dashboard.index":                   "L F F O O",
    "feeds.staff":                       "L F F O O",
    "prisoners.list":                    "L F F O O",
    "prisoners.view":                    "L F F O O",
    "prisoners.add":                     "L F F O O",
    "prisoners.edit":                    "L F F O O",
    "prisoners.archive":                 "L F F O O",
    "prisoners.status":                  "L F F O O",
    "prisoners.add_key_date":            "L F F O O",
    "prisoners.edit_key_date":           "L F F O O",
    "prisoners.delete_key_date":         "L F F O O",
    "facilities.list":                   "L F F O O",
    "facilities.view":                   "L F F O O",
    "facilities.add":                    "L F F O O",
    "facilities.edit":                   "L F F O O",
    "facilities.archive":                "L F F O O",
    "parliamentarians.list":             "L F F O O",
    "parliamentarians.view":             "L F F O O",
    "parliamentarians.add":              "L F F O O",
    "parliamentarians.edit":             "L F F O O",
    "parliamentarians.archive":          "L F F O O",
    "parliamentarians.needs_successor":  "L F F O O",
    "pairings.list":                     "L F F O O",
    "pairings.view":                     "L F F O O",
    "pairings.add":                      "L F F O O",
    "pairings.end":                      "L F F O O",
    "statements.list":                   "L F F O O",
    "statements.add":                    "L F F O O",
    "statements.edit":                   "L F F O O",
    "statements.delete":                 "L F F O O",
    "statements.toggle_public":          "L F F O O",
    "statements.verify":                 "L F F O O",
    "matching.index":                    "L F F O O",
    "matching.for_prisoner":             "L F F O O",
    "matching.for_parliamentarian":      "L F F O O",
    "matching.invite":                   "L F F N N",  # no ids posted: nothing to invite
    "matching.plan":                     "L F F O O",
    "matching.accept_plan":              "L F F O O",
    "matching.settings":                 "L F F O O",
    "matching.onboarding":               "L F F O O",
    "impact.index":                      "L F F O O",
    "impact.godparents":                 "L F F O O",
    "impact.prisoners":                  "L F F O O",
    "impact.coverage":                   "L F F O O",
    "impact.csv":                        "L F F O O",
    "impact.refresh":                    "L F F O O",
    "impact.remind":                     "L F F O O",
    "matching.resend_invitation":        "L F F O O",
    "matching.send_sign_in_link":        "L F F O O",
    "matching.handover":                 {"GET": "L F F O O", "POST": "L F F N N"},  # no successor posted
    "reminders.index":                   "L F F O O",
    "reminders.outbox":                  "L F F O O",
    "reminders.preview":                 "L F F O O",
    "reminders.retry":                   "L F F O O",
    "reminders.rules":                   "L F F O O",
    "reminders.edit_rule":               "L F F O O",
    "audit.list":                        "L F F O O",
    "audit.object":                      "L F F O O",
    "exports.index":                     "L F F O O",
    "exports.register":                  "L F F O O",
    "transfer.index":                    "L F F O O",
    "transfer.review":                   "L F F O O",  # the staff member who uploaded it, and admins
    "transfer.confirm":                  "L F F O O",
    "transfer.template":                 "L F F O O",
    "transfer.map_columns":              "L F F O O",
    "transfer.choose_facilities":        "L F F O O",
    "transfer.decide":                   "L F F O O",
    # -- admin
    "users.list":                        "L F F F O",
    "users.invite":                      "L F F F O",
    "users.edit":                        "L F F F O",
    "users.resend":                      "L F F F O",
    "tokens.list":                       "L F F F O",
    "tokens.revoke":                     "L F F F O",
    # -- the JSON API: tokens only, never a session cookie
    "api.openapi_document":              "O O O O O O O O",
    "api.list_":                         "U U U U U O O O",
    "api.get":                           "U U U U U F O O",
    "api.create":                        "U U U U U F F O",
    "api.update":                        "U U U U U F F O",
    "api.delete":                        "U U U U U F F O",
}

#: endpoint -> (the URL argument holding the secret, the answer to a wrong secret)
LINKS = {
    "feeds.calendar":                    ("secret", "N"),
    "reminders.unsubscribe":             ("token", "N"),
    "auth.set_password":                 ("token", "B"),
    "auth.reset":                        ("token", "B"),
    "auth.sign_in":                      ("token", "B"),
    "auth.onboard":                      ("token", "B"),
    "matching.answer":                   ("token", "B"),
}


def _rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def test_every_route_has_a_row_and_every_row_a_route(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert sorted(endpoints - ACCESS.keys()) == [], "routes without a row in ACCESS"
    assert sorted(ACCESS.keys() - endpoints) == [], "rows in ACCESS for routes that do not exist"
    assert sorted(LINKS.keys() - endpoints) == []


@pytest.fixture()
def world(app, smtp_server):
    return build_world()


def _endpoints():
    """Every endpoint of the app (parametrize runs before the session's app exists: a throwaway one)."""
    from advocacy import create_app

    return sorted({r.endpoint for r in create_app("testing").url_map.iter_rules()})


def _rule_calls(app, endpoint, values):
    """(rule, method, taken) for every method the rule takes, and for GET and POST when it does
    not and no other rule serves that URL by that method (those must answer 405)."""
    from werkzeug.exceptions import MethodNotAllowed

    adapter = app.url_map.bind("localhost")
    for rule in [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, True
        path = adapter.build(endpoint, {a: values[a] for a in rule.arguments})
        for method in ("GET", "POST"):
            if method not in rule.methods:
                try:
                    adapter.match(path, method=method)
                except MethodNotAllowed:
                    yield rule, method, False


def _observe(app, world, endpoint, links=None):
    """{method: [letter per way]} for every call of ``endpoint``'s rules."""
    adapter = app.url_map.bind("localhost")
    got = {}
    values = {**world["values"], **world["links"].get(endpoint, {}), **(links or {})}
    for n, (rule, method, own) in enumerate(_rule_calls(app, endpoint, values)):
        path = adapter.build(endpoint, {a: values[a] for a in rule.arguments}, method=method if own else None)
        api = rule.rule.startswith("/api/")
        letters = []
        for i, way in enumerate(SESSION_WAYS + TOKEN_WAYS):
            client, headers = client_for(app, way, world, addr=f"10.{i}.{n}.1")
            body = {"json": {}} if api and method in ("POST", "PATCH") else {}
            letters.append(outcome(client.open(path, method=method, headers=headers, **body)))
        got[method if own else f"{method} (not taken)"] = (letters, api)
    return got


def _expected(endpoint, method, api):
    if method.endswith("(not taken)"):
        return ["M"] * (len(SESSION_WAYS) + len(TOKEN_WAYS))
    row = ACCESS[endpoint]
    letters = (row[method] if isinstance(row, dict) else row).split()
    n = len(SESSION_WAYS) + (len(TOKEN_WAYS) if api else 0)
    assert len(letters) == n, f"{endpoint} {method}: the row needs {n} letters, has {len(letters)}"
    if not api:
        letters += [letters[0]] * len(TOKEN_WAYS)  # a token counts for nothing outside /api/
    return letters


@pytest.mark.parametrize("endpoint", _endpoints())
def test_access_matrix(app, world, endpoint):
    if endpoint not in ACCESS:
        pytest.fail(f"no row in ACCESS for {endpoint}")
    mismatches = []
    for method, (letters, api) in _observe(app, world, endpoint).items():
        expected = _expected(endpoint, method, api)
        bad = [f"{way}: expected {e}, got {g}" for way, e, g in zip(SESSION_WAYS + TOKEN_WAYS, expected, letters)
               if not matches(e, g)]
        if bad:
            mismatches.append(f"{method} {' '.join(letters)}: " + "; ".join(bad))
    assert mismatches == []


@pytest.mark.parametrize("endpoint", sorted(LINKS))
def test_a_wrong_secret_opens_nothing(app, world, endpoint):
    arg, expected = LINKS[endpoint]
    for method, (letters, _api) in _observe(app, world, endpoint, links={arg: "x" * 43}).items():
        if not method.endswith("(not taken)"):
            assert all(g == expected for g in letters), (method, letters)
