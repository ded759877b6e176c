"""Point 3, as deployed: gunicorn with 4 workers counting in Redis.

- Against the machine's Redis (127.0.0.1:6379, DB 0, a key prefix of this run's own): guesses at
  one account from several addresses are stopped across all workers, and the owner gets in from
  another address while the attacker stays throttled.
- Against a Redis server this test starts (port 5162) and then stops: login keeps working, each
  worker counts in memory, and the fallback is logged. (The machine's Redis is never stopped.)

The machine's Redis must answer; ``.ci/run`` starts it if not and sets REQUIRE_REDIS=1, which
turns the skip below into a failure.
"""
import http.client
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import urllib.parse
import uuid

import pytest

from tests.processes import stop as stop_process, wait_port

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
PASSWORD = "correct horse battery"


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def machine_redis():
    if not _redis_answers(6379):
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail("Redis does not answer on 127.0.0.1:6379")
        pytest.skip("Redis does not answer on 127.0.0.1:6379 (.ci/run starts it)")
    return "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite database with two accounts, built in a separate process (creating an app here
    would rebind the test session's rate limiter)."""
    path = tmp_path_factory.mktemp("gunicorn") / "throttle.db"
    url = f"sqlite:///{path}"
    script = textwrap.dedent(f"""
        from advocacy import create_app
        from advocacy.auth.models import Role, User
        from advocacy.extensions import db
        app = create_app("testing")
        with app.app_context():
            db.create_all()
            for email in ("victim@example.org", "other@example.org"):
                u = User(email=email, name=email, role=Role.STAFF)
                u.set_password({PASSWORD!r})
                db.session.add(u)
            db.session.commit()
    """)
    env = {**os.environ, "DATABASE_URL": url, "RATELIMIT_STORAGE_URI": "memory://"}
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=120)
    return url


class Server:
    def __init__(self, port, database, storage, log_path):
        self.port = port
        self.log_path = log_path
        env = {**os.environ, "ADVOCACY_CONFIG": "testing", "DATABASE_URL": database, "RATELIMIT_STORAGE_URI": storage,
               "RATELIMIT_KEY_PREFIX": f"advocacy-i16-test-{uuid.uuid4().hex[:8]}", "PROXY_COUNT": "1"}
        self.log = open(log_path, "wb")
        # --preload: the app loads once, before the workers fork; a generous --timeout: on a busy
        # machine a worker must not be killed mid-request (the client would see a reset)
        self.proc = subprocess.Popen([os.path.join(BIN, "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}",
                                      "--preload", "--timeout", "300", "--log-level", "warning", "wsgi:app"],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_port(port, timeout=120)
        self.get("/robots.txt")  # answers once workers are up

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp.status

    def login(self, email, password, addr, cookie=None):
        """POST /auth/login as the client ``addr`` (behind one proxy); (status, device cookie)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        body = urllib.parse.urlencode({"email": email, "password": password})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": addr}
        if cookie:
            headers["Cookie"] = cookie
        conn.request("POST", "/auth/login", body, headers)
        resp = conn.getresponse()
        resp.read()
        device = next((c.split(";")[0] for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith("adv_device=")),
                      None)
        conn.close()
        return resp.status, device

    def stop(self):
        stop_process(self.proc)
        self.log.close()
        with open(self.log_path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")


def test_four_workers_on_redis_stop_guessing_and_let_the_owner_in(machine_redis, database, tmp_path):
    server = Server(5161, database, machine_redis, tmp_path / "gunicorn.log")
    try:
        status, device = server.login("victim@example.org", PASSWORD, "198.51.100.7")  # the owner, earlier
        assert status == 302 and device
        # 24 guesses from six addresses, spread over the four workers
        codes = [server.login("victim@example.org", f"guess {i}", f"203.0.113.{i % 6 + 1}")[0] for i in range(24)]
        assert codes.count(401) == 10 and codes[:10] == [401] * 10 and set(codes[10:]) == {429}
        # the owner, from another address, on their own device: in
        assert server.login("victim@example.org", PASSWORD, "198.51.100.99", cookie=device)[0] == 302
        # the attacker stays throttled, even with the right password
        assert server.login("victim@example.org", PASSWORD, "203.0.113.2")[0] == 429
        # someone else is not affected
        assert server.login("other@example.org", PASSWORD, "203.0.113.3")[0] == 302
    finally:
        server.stop()


def test_login_keeps_working_when_redis_stops(database, tmp_path):
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        pytest.skip("redis-server is not installed")
    port = 5162
    redis = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    try:
        wait_port(port, timeout=30)
        server = Server(5163, database, f"redis://127.0.0.1:{port}/0", tmp_path / "gunicorn-down.log")
        assert server.login("other@example.org", PASSWORD, "192.0.2.1")[0] == 302
        stop_process(redis)
        assert not _redis_answers(port)
        codes = [server.login("other@example.org", PASSWORD, "192.0.2.1")[0] for _ in range(8)]
        assert codes == [302] * 8  # enough requests to reach every worker
        wrong = [server.login("victim@example.org", "guess", "192.0.2.2")[0] for _ in range(24)]
        assert wrong[0] == 401 and 429 in wrong  # still throttled, per worker, in memory
    finally:
        log = server.stop() if server else ""
        if redis.poll() is None:
            stop_process(redis)
    assert "falling back to in-memory storage" in log
    assert " 500 " not in log and "Traceback" not in log
