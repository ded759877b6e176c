"""The harness of the access matrix (tests/security/test_access_matrix.py): a world with two
pairings, the ways in, and how a response is read.

Outcome letters:
  O  let in (any answer past the access check: 2xx, 3xx other than to the login page, or 400 for
     an empty form)
  L  sent to the login page          F  403          N  404          U  401 (API)
  B  400, and only 400 (a mailed link that is not valid)
"""
import datetime as dt
import io

import flask_login.utils
from flask import current_app

from advocacy.api.models import ApiToken, TokenScope
from advocacy.auth.models import Role, User
from advocacy.db_types import utcnow
from advocacy.extensions import db

#: ways in by session cookie, in the order of a row's letters
SESSION_WAYS = ("anonymous", "parliamentarian", "other_parliamentarian", "staff", "admin")
#: ways in by API token (rows of /api/ routes carry three more letters)
TOKEN_WAYS = ("token_read_public", "token_read_all", "token_write")
LOGIN_PATH = "/auth/login"


def outcome(resp) -> str:
    code = resp.status_code
    location = resp.headers.get("Location", "")
    if code in (301, 302, 303, 307, 308) and location.split("?")[0].endswith(LOGIN_PATH) and "next=" in location:
        return "L"  # Flask-Login's "log in first" (a logout's redirect to the login page is not)
    if code >= 500:
        return f"E{code}"
    return {400: "B", 401: "U", 403: "F", 404: "N", 405: "M", 429: "T"}.get(code, "O")


def matches(expected: str, got: str) -> bool:
    return got == expected or (expected == "O" and got == "B")


def build_world():
    """Two parliamentarians, each with a pairing, a prisoner, a statement; one of everything else.
    Every id in a URL is taken from the first pairing: the second parliamentarian must be refused."""
    from advocacy.auth.tokens import make_onboarding_token, make_sign_in_token, make_token
    from advocacy.matching.links import invitation_token
    from advocacy.feeds.models import FeedToken
    from advocacy.feeds.services import create as create_feed
    from advocacy.matching.models import CoveragePlan
    from advocacy.pairings.models import Pairing, PairingStatus
    from advocacy.parliamentarians.models import Parliamentarian
    from advocacy.prisoners.models import Facility, KeyDate, KeyDateKind, Prisoner, PrisonerStatus, Visibility
    from advocacy.reminders.models import OutboxMessage, ReminderRule, RuleKind
    from advocacy.reminders.notifications import unsubscribe_token
    from advocacy.statements.models import Statement, StatementKind
    from advocacy.transfer.jobs import create_batch

    now = utcnow()
    facility = Facility(name="Penal colony No. 1", city="Navapolatsk")
    parls, prisoners, pairings, statements, users = [], [], [], [], {}
    for n in (1, 2):
        parl = Parliamentarian(full_name=f"Member {n}", country="DE", email=f"mep{n}@example.org",
                               time_zone="Europe/Berlin", languages="en", external_id=f"x{n}")
        prisoner = Prisoner(name=f"Prisoner {n}", detained_on=dt.date(2021, 3, 1), status=PrisonerStatus.SENTENCED,
                            has_family_consent=True, visibility=Visibility.PUBLIC, facility=facility,
                            birth_date=dt.date(1980, 5, 17))
        pairing = Pairing(parliamentarian=parl, prisoner=prisoner, status=PairingStatus.ACTIVE,
                          started_on=dt.date(2024, 1, 15))
        statement = Statement(pairing=pairing, made_on=dt.date(2026, 10, 1), kind=StatementKind.SPEECH,
                              title=f"Statement {n}", url=f"https://example.org/{n}", is_public=True, verified_at=now)
        db.session.add_all([parl, prisoner, pairing, statement])
        parls.append(parl), prisoners.append(prisoner), pairings.append(pairing), statements.append(statement)
    for key, role, parl in (("parliamentarian", Role.PARLIAMENTARIAN, parls[0]),
                            ("other_parliamentarian", Role.PARLIAMENTARIAN, parls[1]),
                            ("staff", Role.STAFF, None), ("admin", Role.ADMIN, None)):
        users[key] = User(email=f"{key}@example.org", name=key, role=role, parliamentarian=parl)
    db.session.add_all(users.values())
    key_date = KeyDate(prisoner=prisoners[0], kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 1))
    rule = ReminderRule(kind=RuleKind.BIRTHDAY, offset_days=-3)
    message = OutboxMessage(idempotency_key="k1", parliamentarian=parls[0], recipient=parls[0].email, due_at=now,
                            next_attempt_at=now, message_id="<m1@example.org>", subject="Reminder")
    plan = CoveragePlan()
    db.session.add_all([key_date, rule, message, plan])
    db.session.flush()
    batch = create_batch(kind="prisoners", source="", filename="x.csv", options={}, user_id=users["staff"].id,
                         stream=io.BytesIO(b"name,source_id\nAles Bialiatski,viasna-1\n"))
    tokens = {}
    for way, scope in zip(TOKEN_WAYS, (TokenScope.READ_PUBLIC, TokenScope.READ_ALL, TokenScope.WRITE)):
        token, secret = ApiToken.issue(way, created_by=users["admin"], scope=scope, days=30, now=now)
        db.session.add(token)
        tokens[way] = (token, secret)
    feed_secret = create_feed(users["parliamentarian"], "Phone")
    feed_id = db.session.scalar(db.select(FeedToken.id).where(FeedToken.user_id == users["parliamentarian"].id))
    db.session.commit()
    return {
        "users": users, "tokens": tokens,
        "values": {
            "prisoner_id": prisoners[0].id, "pairing_id": pairings[0].id, "statement_id": statements[0].id,
            "parliamentarian_id": parls[0].id, "facility_id": facility.id, "key_date_id": key_date.id,
            "token_id": tokens["token_read_all"][0].id, "user_id": users["parliamentarian"].id,
            "message_id": message.id, "feed_id": feed_id, "rule_id": rule.id, "plan_id": plan.id, "batch_id": batch.id,
            "kind": "prisoners", "object_type": "Prisoner", "object_id": prisoners[0].id, "register": "prisoners", "fmt": "csv",
            "name": "prisoners", "obj_id": prisoners[0].id, "public_id": prisoners[0].public_id,
            "filename": "css/app.css", "code": "de",
        },
        # the valid secret of each mailed or subscribed link, by endpoint
        "links": {
            "feeds.calendar": {"secret": feed_secret},
            "reminders.unsubscribe": {"token": unsubscribe_token(parls[0].id)},
            "auth.set_password": {"token": make_token(users["parliamentarian"], "set-password")},
            "auth.reset": {"token": make_token(users["parliamentarian"], "reset")},
            "auth.sign_in": {"token": make_sign_in_token(users["parliamentarian"])},
            "auth.onboard": {"token": make_onboarding_token(parls[0].id)},
            "matching.answer": {"token": invitation_token(pairings[0])},
        },
    }


def client_for(app, way: str, world, addr: str = "127.0.0.1"):
    """A fresh client at ``addr``, signed in as ``way`` by its session cookie (no password round
    trip), or carrying the API token of ``way``; ``anonymous``: neither. Returns the client and
    the headers to send."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    headers = {}
    if way in TOKEN_WAYS:
        headers["Authorization"] = f"Bearer {world['tokens'][way][1]}"
    elif way != "anonymous":
        user = world["users"][way]
        ua = client.environ_base["HTTP_USER_AGENT"]
        with current_app.test_request_context(environ_base={"REMOTE_ADDR": addr}, headers={"User-Agent": ua}):
            ident = flask_login.utils._create_identifier()
        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
            s["_id"] = ident
    return client, headers
