"""Benchmark: the outbox's sender (one connection per run, statuses committed per group)
against the same code opening a new SMTP connection for every message, to a local relay in
its own process: plain, and like a production relay (STARTTLS required, then AUTH).

Run: make perf   (or: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
      .venv/bin/pytest -q -s -m perf tests/perf/test_outbox_perf.py)
"""
import datetime as dt
import os
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import insert, update

from advocacy.extensions import db
from advocacy.outbox.models import OutboxMessage, OutboxStatus
from advocacy.outbox.sender import deliver
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Prisoner, PrisonerStatus, Visibility
from advocacy.reminders.planner import plan
from tests.perf.report import row

pytestmark = pytest.mark.perf
N = int(os.environ.get("OUTBOX_PERF_MESSAGES", 1000))  # messages per measurement
NOW = dt.datetime(2026, 12, 1, 7, 30, tzinfo=dt.timezone.utc)
RELAY = os.path.join(os.path.dirname(__file__), "smtp_relay.py")


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Relay:
    def __init__(self, tmp_path, tls: bool):
        self.port = _free_port()
        args = [sys.executable, RELAY, str(self.port)]
        if tls:
            cert, key = tmp_path / "relay.crt", tmp_path / "relay.key"
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                            "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                            "-out", str(cert)], check=True, capture_output=True)
            self.ca = str(cert)
            args += ["--tls", str(cert), str(key), "--auth", "relay-user", "relay-password"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"
        self.tls = tls

    def configure(self, app):
        mail = app.extensions["mail"]
        app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=self.port)
        mail.server, mail.port = "127.0.0.1", self.port
        mail.use_tls = self.tls
        mail.username, mail.password = ("relay-user", "relay-password") if self.tls else (None, None)
        app.config["MAIL_TLS_CA_FILE"] = self.ca if self.tls else None

    def stop(self) -> int:
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=30)
        return int(out.strip().splitlines()[-1])


def _fill(pairings: int):
    db.session.execute(insert(Parliamentarian), [
        dict(full_name=f"Godparent {i}", search_text="", country="DE", email=f"g{i}@example.org",
             time_zone="Europe/Berlin", parliament="European Parliament", chamber="single", languages="", committees="")
        for i in range(pairings)])
    db.session.execute(insert(Prisoner), [
        dict(name=f"Prisoner {i}", search_text="", alt_names="", languages="", ties_countries="",
             detained_on=dt.date(2021, 12, 1), status=PrisonerStatus.SENTENCED, visibility=Visibility.PRIVATE)
        for i in range(pairings)])
    db.session.commit()
    parls = db.session.scalars(db.select(Parliamentarian.id).order_by(Parliamentarian.id)).all()
    prisoners = db.session.scalars(db.select(Prisoner.id).order_by(Prisoner.id)).all()
    db.session.execute(insert(Pairing), [
        dict(parliamentarian_id=a, prisoner_id=b, status=PairingStatus.ACTIVE,
             created_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)) for a, b in zip(parls, prisoners)])
    db.session.commit()
    plan(NOW - dt.timedelta(hours=12))  # one arrest-anniversary reminder per pairing, due 07:00 UTC
    db.session.commit()
    ids = db.session.scalars(db.select(OutboxMessage.id).order_by(OutboxMessage.id)).all()
    assert len(ids) == pairings
    db.session.execute(update(OutboxMessage).values(next_attempt_at=NOW + dt.timedelta(days=999)))
    db.session.commit()
    return ids


def _measure(ids, **kw) -> float:
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(next_attempt_at=NOW))
    db.session.commit()
    started = time.perf_counter()
    stats = deliver(NOW, **kw)
    elapsed = time.perf_counter() - started
    assert stats["sent"] == len(ids), stats
    return len(ids) / elapsed


WARM = 50


def test_outbox_sender_throughput(app, tmp_path):
    per_relay = 2 * N + WARM
    ids = _fill(2 * per_relay)
    app.config["MAIL_DELIVER_BUDGET_SECONDS"] = 3600
    results = {}
    for n, tls in enumerate((False, True)):
        mine = ids[n * per_relay:(n + 1) * per_relay]
        warm, naive_ids, batched_ids = mine[:WARM], mine[WARM:WARM + N], mine[WARM + N:]
        relay = Relay(tmp_path, tls)
        try:
            relay.configure(app)
            _measure(warm)  # templates compiled, connections pooled: not measured
            naive = _measure(naive_ids, per_message_connection=True)
            batched = _measure(batched_ids)
        finally:
            received = relay.stop()
            relay_kind = "STARTTLS+AUTH relay" if tls else "plain relay"
        assert received == per_relay
        results[relay_kind] = (batched, naive)
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.status == OutboxStatus.SENT)) == 2 * per_relay
    db_name = db.engine.dialect.name
    for relay_kind, (batched, naive) in results.items():
        row(f"outbox sender, {relay_kind} ({db_name}, {N:,} reminders)", batched, "msg/s")
        row(f"one connection per message, {relay_kind}", naive, "msg/s")
        row(f"outbox speed-up, {relay_kind}", batched / naive, "x",
            ">= 5" if "TLS" in relay_kind else "(loopback, no TLS: connection is cheap)")
    assert all(b > n for b, n in results.values())
