"""Helpers for the load benchmark (test_load_perf.py): the app under gunicorn as deployed, a
login that keeps its cookies and user agent, and ``wrk`` bounded in time.

wrk comes from Debian (``make wrk``, run by ``make perf``). Its Lua ``done`` hook prints the
percentiles we report (wrk's own ``--latency`` has no p95).
"""
import html
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

from tests.processes import stop as stop_process, wait_port

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
USER_AGENT = "advocacy-load/1.0 (wrk)"  # sessions are bound to the user agent: one for login and load

WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d errors=%d p50=%d p95=%d p99=%d\\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


class Gunicorn:
    """``gunicorn -w 2 wsgi:app`` with the production configuration (Redis for the rate limiter
    and the page cache, under a key prefix of this run's own: see test_load_perf.py)."""

    def __init__(self, port: int, env: dict, workers: int = 2):
        self.port = port
        self.log = tempfile.NamedTemporaryFile(prefix="advocacy-load-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([os.path.join(BIN, "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                      "--log-level", "warning", "wsgi:app"],
                                     cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)
        wait_port(port)

    def stop(self) -> str:
        stop_process(self.proc)
        self.log.close()
        with open(self.log.name, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
        os.unlink(self.log.name)
        return text


def _cookies(resp, jar: dict) -> dict:
    for header in resp.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        jar[name.strip()] = value
    return jar


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def login(port: int, email: str, password: str) -> str:
    """Log in through the form (CSRF token and all), as a browser would; the Cookie header."""
    jar: dict = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/auth/login", headers={"User-Agent": USER_AGENT})
    resp = conn.getresponse()
    page = resp.read().decode()
    _cookies(resp, jar)
    token = html.unescape(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1))
    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    conn.request("POST", "/auth/login", body, {"User-Agent": USER_AGENT, "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                                                "Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    resp.read()
    _cookies(resp, jar)
    conn.close()
    assert resp.status == 302, f"login as {email}: {resp.status}"
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk(port: int, path: str, *, seconds: int, connections: int, cookie: str = "") -> dict:
    """Load one page for ``seconds`` with ``connections`` keep-alive connections (one thread):
    req/s, p50/p95/p99 in ms, and how many answers were not 2xx/3xx or failed."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(WRK_LUA)
    cmd = [wrk_path(), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", lua.name,
           "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         timeout=seconds + 60, check=True).stdout
    os.unlink(lua.name)
    m = re.search(r"RESULT (.*)", out)
    assert m, out
    f = {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    return {"rps": f["requests"] / (f["duration_us"] / 1e6), "p50": f["p50"] / 1000, "p95": f["p95"] / 1000,
            "p99": f["p99"] / 1000, "requests": f["requests"], "bad": f["non2xx"] + f["errors"]}
