"""Load benchmark: every main page at 10x data, under gunicorn, next to a bare route.

  TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_h17 make perf
  (or: pytest -q -s -m perf tests/perf/test_load_perf.py)

1. fills PostgreSQL with the 10x data (tests/perf/data10x.py), then VACUUM ANALYZE, and computes
   the impact snapshot (as the scheduler's hourly job would);
2. serves the app with gunicorn, 2 workers, production configuration (Redis for the rate
   limiter and the page cache, under a key prefix of this run's own, removed afterwards);
3. logs in as staff and as a parliamentarian through the login form, keeping one user agent;
4. loads each page with wrk (4 connections, PERF_LOAD_SECONDS each, 8 by default), the bare
   route (/robots.txt: no database, no template) first;
5. prints req/s, p50/p95/p99 and the SQL statements per page (counted in-process, one request
   to a warmed page) through tests/perf/report.py, and asserts the goals.
About 5 minutes in all. PostgreSQL only (the figures are about the deployed database).

Environment: PERF_LOAD_PORT (5171), PERF_REDIS_URL (redis://127.0.0.1:6379/1), PERF_KEY_PREFIX
(advocacy-load-; a random suffix is added), PERF_LOAD_SECONDS (8), PERF_SCALE (10),
PERF_LOAD_ONLY (load only the pages whose path contains it, e.g. /impact/; the bare route always).
"""
import datetime as dt
import os
import secrets
import time
import uuid

import pytest
from sqlalchemy import event, select

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.prisoners.models import Prisoner
from advocacy.public.services import bump_public_data_version, public_prisoners_select
from tests.perf import load
from tests.perf.data10x import fill
from tests.perf.test_impact_perf import IMPACT_PAGES
from tests.perf.report import row

pytestmark = pytest.mark.perf
PORT = int(os.environ.get("PERF_LOAD_PORT", "5171"))
REDIS_URL = os.environ.get("PERF_REDIS_URL", "redis://127.0.0.1:6379/1")
KEY_PREFIX = os.environ.get("PERF_KEY_PREFIX", "advocacy-load-")
SECONDS = int(os.environ.get("PERF_LOAD_SECONDS", "8"))
CONNECTIONS = 4
PASSWORD = "correct horse battery"
PUBLIC_SHARE, STAFF_SHARE, STAFF_P95_MS = 1 / 3, 1 / 10, 50


def _queries(client, path) -> int:
    client.get(path)  # warm: templates compiled, page cached
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        resp = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert resp.status_code == 200, (path, resp.status_code)
    return len(statements)


def test_every_main_page_under_load(app, create_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the load benchmark runs on PostgreSQL (TEST_DATABASE_URL)")
    if not load.wrk_path():
        pytest.fail("wrk is not installed: make wrk (Debian's package)")
    t0 = time.perf_counter()
    info = fill(scale=int(os.environ.get("PERF_SCALE", "10")))
    row("load: 10x data fill + VACUUM ANALYZE", time.perf_counter() - t0, "s", "-")
    from advocacy.db_types import utcnow
    from advocacy.impact import services as impact

    t0 = time.perf_counter()
    impact.refresh(dt.date.today(), utcnow())
    db.session.commit()
    row("load: impact snapshot refresh", time.perf_counter() - t0, "s", "hourly job")

    public = db.session.scalar(public_prisoners_select().join(Pairing, Pairing.prisoner_id == Prisoner.id)
                               .where(Pairing.status == PairingStatus.ACTIVE).order_by(Prisoner.id).limit(1))
    godparent_id = db.session.scalar(select(Pairing.parliamentarian_id).where(Pairing.prisoner_id == public.id,
                                                                               Pairing.status == PairingStatus.ACTIVE))
    staff = create_user(role="staff", email="load-staff@example.org", password=PASSWORD)
    from advocacy.parliamentarians.models import Parliamentarian
    parl = create_user(role="parliamentarian", email="load-mep@example.org", password=PASSWORD,
                       parliamentarian=db.session.get(Parliamentarian, godparent_id))
    db.session.commit()

    from advocacy.statements.models import Statement
    deep = db.session.execute(select(Statement.made_on, Statement.id)
                              .order_by(Statement.made_on.desc(), Statement.id.desc()).offset(100_000).limit(1)).one()
    pages = {
        "bare route /robots.txt (ceiling)": ("bare", "/robots.txt"),
        "/": ("public", "/"),
        "/campaign/": ("public", "/campaign/"),
        "public prisoner page": ("public", f"/campaign/prisoners/{public.public_id}"),
        "public godparent page": ("public", f"/campaign/godparents/{godparent_id}"),
        "/campaign/report": ("cached", "/campaign/report"),
        "/exports/public.json": ("cached", "/exports/public.json"),
        "/staff/ dashboard": ("staff", "/staff/"),
        "/prisoners/": ("staff", "/prisoners/"),
        "/parliamentarians/": ("staff", "/parliamentarians/"),
        "/pairings/": ("staff", "/pairings/"),
        "/statements/": ("staff", "/statements/"),
        "/statements/ 2,001st page (after 100,000, keyset)": ("staff", f"/statements/?after={deep[0].isoformat()}~{deep[1]}"),
        f"/matching/prisoners/<id>": ("staff", f"/matching/prisoners/{info['busy_prisoner_id']}"),
        **{path: ("staff", path) for path in IMPACT_PAGES},
        "/portal/": ("portal", "/portal/"),
    }
    only = os.environ.get("PERF_LOAD_ONLY")
    if only:
        pages = {name: (kind, path) for name, (kind, path) in pages.items() if kind == "bare" or only in path}

    # SQL statements per page, in-process (testing configuration, same database)
    anon, staff_client, portal_client = app.test_client(), app.test_client(), app.test_client()
    for c, u in ((staff_client, staff), (portal_client, parl)):
        assert c.post("/auth/login", data={"email": u.email, "password": PASSWORD}).status_code == 302
    clients = {"bare": anon, "public": anon, "cached": anon, "staff": staff_client, "portal": portal_client}
    queries = {name: _queries(clients[kind], path) for name, (kind, path) in pages.items()}

    # Staff and portal pages are served from parts cached on the staff-data version: what the
    # first view after a change costs (in-process, the part rendered anew) is printed too
    from advocacy.staff_version import bump_staff_data_version
    first_view = {}
    for name, (kind, path) in pages.items():
        if kind in ("staff", "portal") and not path.startswith("/impact/"):
            bump_staff_data_version()
            db.session.commit()
            t0 = time.perf_counter()
            assert clients[kind].get(path).status_code == 200
            first_view[name] = (time.perf_counter() - t0) * 1000

    # Matching suggestions for one prisoner, in-process (the page's own work, without the server)
    from advocacy.matching import scoring
    busy = db.session.get(Prisoner, info["busy_prisoner_id"])
    weights = scoring.settings().weights()
    samples = []
    for _ in range(21):
        t0 = time.perf_counter()
        assert scoring.suggest_for_prisoner(busy, dt.date.today(), weights)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    row("matching: suggestions for one prisoner, median of 21", samples[10], "ms", "< 100")
    assert samples[10] < 100, samples

    # /exports/public.json: the first build after a public change, then from the cache
    bump_public_data_version()
    db.session.commit()
    t0 = time.perf_counter()
    assert anon.get("/exports/public.json").status_code == 200
    build_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    assert anon.get("/exports/public.json").status_code == 200
    row("/exports/public.json: first build after a change", build_ms, "ms", "measured")
    row("/exports/public.json: next request (cache)", (time.perf_counter() - t0) * 1000, "ms", "from the cache")
    db.session.remove()

    prefix = f"{KEY_PREFIX}{uuid.uuid4().hex[:8]}:"
    redis_url = REDIS_URL
    env = {"ADVOCACY_CONFIG": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": str(db.engine.url.render_as_string(hide_password=False)),
           "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": prefix + "limit",
           "CACHE_REDIS_URL": redis_url + "?socket_connect_timeout=0.2&socket_timeout=0.5", "CACHE_KEY_PREFIX": prefix}
    server = load.Gunicorn(PORT, env)
    results, failures = {}, []
    try:
        staff_cookie = load.login(PORT, "load-staff@example.org", PASSWORD)
        cookies = {"bare": "", "public": "", "cached": "", "staff": staff_cookie,
                   "portal": load.login(PORT, "load-mep@example.org", PASSWORD)}
        for name, (kind, path) in pages.items():
            status, _ = load.get(PORT, path, cookies[kind])
            assert status == 200, (name, status)  # not a redirect to the login page
            results[name] = r = load.wrk(PORT, path, seconds=SECONDS, connections=CONNECTIONS, cookie=cookies[kind])
            assert r["bad"] == 0, (name, r)
    finally:
        log = server.stop()
        import redis
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)
    assert "Traceback" not in log, log[-3000:]

    bare = results["bare route /robots.txt (ceiling)"]["rps"]
    for name, (kind, path) in pages.items():
        r = results[name]
        if kind == "bare":
            goal = "ceiling"
        elif kind == "cached":
            goal = "from the cache (no ratio set)"
        elif kind == "public":
            goal = f">= {bare * PUBLIC_SHARE:,.0f} (1/3 of bare)"
            if r["rps"] < bare * PUBLIC_SHARE:
                failures.append(name)
        else:
            goal = f">= {bare * STAFF_SHARE:,.0f} (1/10 of bare), p95 < {STAFF_P95_MS} ms"
            if r["rps"] < bare * STAFF_SHARE or r["p95"] >= STAFF_P95_MS:
                failures.append(name)
        row(f"load: {name} req/s", r["rps"], "req/s", goal)
        row(f"load: {name} p50/p95/p99", f"{r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f}", "ms", "")
        row(f"load: {name} SQL statements", queries[name], "per request", "bounded")
        if name in first_view:
            row(f"load: {name} first view after a change (in-process)", first_view[name], "ms", "measured")
    assert not failures, f"goals missed: {failures}"
