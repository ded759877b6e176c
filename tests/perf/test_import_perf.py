"""Benchmark: a 100,000-row prisoners file, uploaded, checked and committed in the background,
and its review pages. Goals: commit < 60 s on PostgreSQL; review page p95 < 2 s.

Run: make perf   (or: TEST_DATABASE_URL=postgresql://… .venv/bin/pytest -s -m perf tests/perf/test_import_perf.py)
Prints rows: benchmark | figure | unit | goal.
"""
import csv
import datetime as dt
import io
import os
import random
import statistics
import threading
import time

import pytest

from tests.perf.report import row
from sqlalchemy import create_engine, text

from advocacy.extensions import db
from advocacy.prisoners.models import Facility, FacilityKind, Prisoner
from advocacy.transfer import jobs
from advocacy.transfer.models import ImportBatch, ImportState

pytestmark = pytest.mark.perf
N = 100_000
FIRST = ["Maryia", "Ales", "Ihar", "Siarhei", "Volha", "Mikalai", "Kseniya", "Paval", "Nasta", "Andrei"]
LAST = ["Kalesnikava", "Bialiatski", "Losik", "Tsikhanouski", "Statkevich", "Babaryka", "Lutskina", "Znak"]


def _file(n, facilities):
    rng = random.Random(13)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(["source_id", "name", "alt_names", "birth_date", "gender", "city", "occupation", "detained_on",
                "articles", "sentence", "sentence_months", "facility", "status", "humanitarian", "source_url",
                "family_consent", "bio"])
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        w.writerow([f"v-{i}", name, f"Имя {i}; Імя {i}", (dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))).isoformat(),
                    rng.choice(["female", "male", ""]), rng.choice(["Minsk", "Homiel", "Brest", "Hrodna"]),
                    rng.choice(["journalist", "teacher", "worker", '"IT", consultant']),
                    (dt.date(2020, 8, 9) + dt.timedelta(days=rng.randint(0, 1800))).isoformat(),
                    "342, 361-1", f"{rng.randint(1, 15)} years", rng.randint(6, 180), rng.choice(facilities),
                    rng.choice(["sentenced", "pre_trial"]), rng.choice(["yes", "no"]),
                    f"https://prisoners.spring96.org/en/person/{i}", rng.choice(["yes", "no"]),
                    'Arrested after the "march", held since.'])
    return buf.getvalue().encode()


def _row(name, figure, unit, goal):
    row(f"import: {name}", figure, unit, goal)


def test_100k_prisoner_import_in_the_background(app, client, login_as):
    names = [f"Penal colony No. {i}" for i in range(1, 41)]
    db.session.add_all([Facility(name=n, kind=FacilityKind.PENAL_COLONY) for n in names])
    db.session.commit()
    login_as("staff")
    content = _file(N, names)
    print(f"\n--- {N:,} prisoners, {len(content) / 1e6:.1f} MB, {db.engine.dialect.name} ---")

    t0 = time.perf_counter()
    resp = client.post("/transfer/", data={"kind": "prisoners", "file": (io.BytesIO(content), "big.csv")},
                       content_type="multipart/form-data")
    upload_s = time.perf_counter() - t0
    assert resp.status_code == 302
    location = resp.headers["Location"]
    batch_id = location.rsplit("/", 1)[-1]
    assert db.session.get(ImportBatch, batch_id).state == ImportState.QUEUED_CHECK  # not checked in the request
    _row("upload (store on disk, queue)", f"{upload_s:.2f}", "s", "< 2")

    t0 = time.perf_counter()
    assert jobs.run_jobs() == 1
    check_s = time.perf_counter() - t0
    db.session.expire_all()
    batch = db.session.get(ImportBatch, batch_id)
    assert batch.state == ImportState.CHECKED and batch.summary["create"] == N and batch.summary["error"] == 0
    _row("check job (dry run, rows stored)", f"{check_s:.1f}", "s", "-")

    times = []
    pages = [1, 2, 3, 50, 500, 1000, 1999, 2000] * 5
    for p in pages:
        t0 = time.perf_counter()
        r = client.get(f"{location}?page={p}")
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200
    p95 = statistics.quantiles(times, n=20)[18]
    _row("review page p95 (40 views, pages 1-2000)", f"{p95 * 1000:.0f}", "ms", "< 2000")
    _row("review page size", f"{len(r.data) / 1024:.0f}", "KB", "-")
    assert p95 < 2.0

    client.post(location + "/confirm")
    seen = []
    stop = threading.Event()
    watcher = create_engine(db.engine.url)

    def watch():  # what the review page would show meanwhile, read on another connection
        while not stop.is_set():
            with watcher.connect() as conn:
                seen.append(tuple(conn.execute(text("SELECT rows_done, rows_total FROM import_batches WHERE id = :i"),
                                               {"i": batch_id}).one()))
            time.sleep(0.5)

    thread = threading.Thread(target=watch)
    thread.start()
    t0, c0 = time.perf_counter(), time.process_time()
    assert jobs.run_jobs() == 1
    commit_s, commit_cpu = time.perf_counter() - t0, time.process_time() - c0
    stop.set()
    thread.join()
    watcher.dispose()
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch_id).state == ImportState.DONE
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == N
    _row("commit job (100k creates, one transaction)", f"{commit_s:.1f}", "s", "< 60")
    _row("  of which CPU in this process", f"{commit_cpu:.1f}", "s", "-")
    _row("machine load average (1 min) after", f"{os.getloadavg()[0]:.1f}", f"on {os.cpu_count()} cores", "-")
    midway = sorted({d for d, t in seen if 0 < d < N})
    _row("progress values seen while committing", len(midway), "distinct", "> 0 on PostgreSQL")
    if db.engine.dialect.name == "postgresql":
        assert commit_s < 60
        assert midway, seen
