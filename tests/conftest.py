"""Shared fixtures: the app on SQLite (or PostgreSQL with TEST_DATABASE_URL), a clean database
per test, a real local SMTP server, factories for every core model and a login helper.

Feature-specific fixtures live in ``tests/<feature>/conftest.py``.
"""
import contextlib
import datetime as dt
import ipaddress
import itertools
import socket
import threading

import pytest
from sqlalchemy import event, text

from advocacy import create_app
from advocacy.extensions import cache, db, limiter

TODAY = dt.date(2026, 11, 24)


# -- no test reaches the outside world -----------------------------------------------------
_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None if host != "localhost" else ipaddress.ip_address("127.0.0.1")
        if ip is None or not ip.is_loopback:
            raise OSError(f"test tried to reach an outside host: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _compiled_translations():
    """``make test`` compiles the catalogues; a bare ``pytest`` gets them compiled here too."""
    from advocacy.i18n import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True, scope="session")
def _no_outside_network():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


# -- app and database -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def app():
    app = create_app("testing")
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _wipe(app):
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for t in tables:
                    conn.execute(t.delete())


@pytest.fixture(autouse=True)
def _app_context(app):
    """Every test runs inside an app context on an empty database, with a fresh rate limiter."""
    saved = dict(app.config)
    with app.app_context():
        limiter.reset()
        # each test starts on an empty database, where the public-data version restarts
        cache.clear()
        app.extensions.pop("page_cache_local", None)
        app.extensions.pop("page_cache_local_large", None)
        app.extensions.pop("staff_cache_local", None)  # the staff-data version restarts too
        app.extensions.pop("impact_figures", None)
        app.extensions.pop("impact_snapshot", None)
        app.extensions.pop("nav_links", None)  # (a test may swap the catalogues, as the pseudo-locale does)
        yield
        db.session.rollback()
    app.config.clear()
    app.config.update(saved)
    _wipe(app)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def csrf_enabled(app):
    """Turn CSRF protection on for one test (it is off in the testing config for brevity)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


# -- query counting ---------------------------------------------------------------------------
class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture()
def count_queries(app):
    """``with count_queries() as q: ...; q.count`` counts SQL statements sent to the database."""

    @contextlib.contextmanager
    def counter():
        qc = QueryCounter()
        # The test and the requests share one session; start from nothing cached, so each
        # measured request loads what it needs (otherwise factories' leftovers hide queries).
        db.session.expire_all()

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")):
                qc.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield qc
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counter


# -- a real SMTP server ---------------------------------------------------------------------
class RecordingHandler:
    """aiosmtpd handler that keeps what arrived. ``fail_next`` makes the next N DATA commands
    answer 451; ``fail_rate`` with ``rng`` fails a share of them; ``reject`` refuses RCPT for
    listed addresses with 550, ``defer`` with 450; ``delay`` slows every DATA answer and
    ``hang`` (Message-IDs) never answers DATA for those messages. ``smtputf8`` (a fixture
    argument) decides whether the server announces SMTPUTF8."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.fail_next = 0
        self.fail_rate = 0.0
        self.rng = None
        self.reject = set()
        self.defer = set()
        self.delay = 0.0  # seconds to wait before answering DATA (a slow relay)
        self.hang = set()  # Message-IDs whose DATA never gets an answer (a relay that hangs)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if address.lower() in self.defer:
            return "450 4.2.1 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email as email_lib

        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hang:
            mid = email_lib.message_from_bytes(envelope.content).get("Message-ID")
            if mid in self.hang:
                await asyncio.sleep(3600)
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return "451 4.3.0 try again later"
            if self.fail_rate and self.rng is not None and self.rng.random() < self.fail_rate:
                return "451 4.3.0 try again later"
            import email
            import email.policy

            self.messages.append({
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "message": email.message_from_bytes(envelope.content, policy=email.policy.default),
            })
        return "250 Message accepted for delivery"


def _start_smtp(app, **smtp_kwargs):
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **smtp_kwargs)
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    app.extensions["mail"].server = "127.0.0.1"
    app.extensions["mail"].port = port
    handler.port = port
    return handler, controller


@pytest.fixture()
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on a free local port; the app sends to it. Like many
    relays, it does not announce SMTPUTF8."""
    handler, controller = _start_smtp(app, enable_SMTPUTF8=False)
    yield handler
    controller.stop()
    app.extensions["mail"].port = app.config["MAIL_PORT"] = 1


@pytest.fixture()
def smtputf8_server(app):
    """The same server announcing SMTPUTF8 (RFC 6531): it takes addresses in any script."""
    handler, controller = _start_smtp(app, enable_SMTPUTF8=True)
    yield handler
    controller.stop()
    app.extensions["mail"].port = app.config["MAIL_PORT"] = 1


# -- factories --------------------------------------------------------------------------------
_seq = itertools.count(1)


@pytest.fixture()
def create_user():
    from advocacy.auth.models import Role, User

    def make(role="staff", email=None, password="correct horse battery", name=None, parliamentarian=None, **kw):
        n = next(_seq)
        user = User(email=email or f"user{n}@example.org", name=name or f"User {n}", role=Role(role),
                    parliamentarian=parliamentarian, **kw)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def create_facility():
    from advocacy.prisoners.models import Facility

    def make(**kw):
        n = next(_seq)
        data = dict(name=f"Penal colony No. {n}", city="Navapolatsk",
                    address_latin="ul. Tel'mana 1, Navapolatsk, 211440, Belarus",
                    address_cyrillic="211440, г. Новополоцк, ул. Тельмана, 1, ИК-1")
        data.update(kw)
        obj = Facility(**data)
        db.session.add(obj)
        db.session.commit()
        return obj

    return make


@pytest.fixture()
def create_prisoner():
    from advocacy.prisoners.models import Prisoner, PrisonerStatus, Visibility

    def make(**kw):
        n = next(_seq)
        data = dict(name=f"Prisoner {n}", detained_on=dt.date(2021, 3, 1), birth_date=dt.date(1980, 5, 17),
                    status=PrisonerStatus.SENTENCED, has_family_consent=True, visibility=Visibility.PUBLIC,
                    source_id=f"viasna-{n}")
        data.update(kw)
        obj = Prisoner(**data)
        db.session.add(obj)
        db.session.commit()
        return obj

    return make


@pytest.fixture()
def create_key_date():
    from advocacy.prisoners.models import KeyDate, KeyDateKind

    def make(prisoner, **kw):
        data = dict(kind=KeyDateKind.TRIAL, occurs_on=TODAY + dt.timedelta(days=10), place="Minsk City Court")
        data.update(kw)
        obj = KeyDate(prisoner=prisoner, **data)
        db.session.add(obj)
        db.session.commit()
        return obj

    return make


@pytest.fixture()
def create_parliamentarian():
    from advocacy.parliamentarians.models import Parliamentarian

    def make(**kw):
        n = next(_seq)
        data = dict(full_name=f"Member {n}", country="DE", political_group="EPP", email=f"mep{n}@example.org",
                    languages="en,de", committees="AFET", time_zone="Europe/Berlin", external_id=str(100000 + n),
                    locale="en")  # English mail; tests of the language rules pass locale=None
        data.update(kw)
        obj = Parliamentarian(**data)
        db.session.add(obj)
        db.session.commit()
        return obj

    return make


@pytest.fixture()
def create_pairing(create_parliamentarian, create_prisoner):
    from advocacy.pairings.models import Pairing, PairingStatus

    def make(parliamentarian=None, prisoner=None, **kw):
        data = dict(status=PairingStatus.ACTIVE, started_on=dt.date(2024, 1, 15))
        data.update(kw)
        obj = Pairing(parliamentarian=parliamentarian or create_parliamentarian(),
                      prisoner=prisoner or create_prisoner(), **data)
        db.session.add(obj)
        db.session.commit()
        return obj

    return make


@pytest.fixture()
def create_statement(create_pairing):
    from advocacy.statements.models import Statement, StatementKind

    def make(pairing=None, **kw):
        n = next(_seq)
        data = dict(made_on=dt.date(2026, 10, 1), kind=StatementKind.SPEECH, title=f"Statement {n}",
                    url=f"https://example.org/s/{n}", summary="Free them all.", is_public=True)
        data.update(kw)
        obj = Statement(pairing=pairing or create_pairing(), **data)
        db.session.add(obj)
        db.session.commit()
        return obj

    return make


# -- logging in -------------------------------------------------------------------------------
class AuthActions:
    def __init__(self, client, create_user, create_parliamentarian):
        self.client = client
        self._create_user = create_user
        self._create_parliamentarian = create_parliamentarian

    def login(self, user, password="correct horse battery"):
        return self.client.post("/auth/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")

    def as_role(self, role, **kw):
        """Create a user with ``role`` and log in. A parliamentarian gets a linked record."""
        if role == "parliamentarian" and "parliamentarian" not in kw:
            kw["parliamentarian"] = self._create_parliamentarian()
        user = self._create_user(role=role, **kw)
        resp = self.login(user)
        assert resp.status_code == 302, resp.data
        return user


@pytest.fixture()
def auth(client, create_user, create_parliamentarian):
    return AuthActions(client, create_user, create_parliamentarian)


@pytest.fixture()
def login_as(auth):
    """``login_as("staff")`` → the logged-in user."""
    return auth.as_role


def mail_text(message, subtype="plain") -> str:
    """The text/plain (or text/html) part of a message that arrived at ``smtp_server``."""
    msg = message["message"] if isinstance(message, dict) else message
    for part in msg.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")
