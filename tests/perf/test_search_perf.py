"""Benchmark: name search on 13,000 prisoners, p95 latency and hit rate at register size.

13,000 prisoners: the 80 real people of tests/data/name_variants.csv stored under their
Belarusian Latin spelling only, among 12,920 others with generated Belarusian-looking names
(first names from the list, surnames built from syllables and the usual endings). Every other
spelling of the 80 is searched; we time ``prisoners.services.search`` (the register's query)
and count how often the person is in the top 3. Each query's latency is the median of three
runs.

Run: make perf   (or: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_h15 \
     .venv/bin/pytest -q -s -m perf tests/perf/test_search_perf.py)
"""
import csv
import os
import pathlib
import random
import statistics
import time

import pytest

from tests.perf.report import row
from sqlalchemy import insert, select, text

from advocacy.extensions import db
from advocacy.names.models import NameVariant
from advocacy.names.variants import variant_rows
from advocacy.prisoners import services
from advocacy.prisoners.models import Prisoner, PrisonerStatus, Visibility

pytestmark = pytest.mark.perf
PRISONERS = 13_000
GOAL_P95_MS = 50
#: each query is timed this many times and its median kept: the machine is shared, and one
#: descheduled run should not count as the query's latency
RUNS = 3
DATA = pathlib.Path(__file__).parent.parent / "data" / "name_variants.csv"
COLUMNS = ("russian_latin", "belarusian_cyrillic", "russian_cyrillic", "press")
SYLLABLES = ["ba", "ka", "la", "ma", "na", "ra", "sa", "ta", "vo", "zo", "dzia", "bia", "lu", "mi", "ko", "pa",
             "sha", "zha", "kha", "tsy", "hry", "bu", "sie", "lia", "cha", "vi", "ho", "ny", "dru", "shu"]
ENDINGS = ["ka", "enka", "uk", "ich", "evich", "ski", "skaya", "au", "ava", "ina", "yk", "ets", "ik", "ovich", "enia"]


def _fill(people):
    rng = random.Random(15)
    first_names = sorted({r["belarusian_latin"].split()[0] for r in people})
    names = [r["belarusian_latin"] for r in people]
    while len(names) < PRISONERS:
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) + rng.choice(ENDINGS)
        names.append(f"{rng.choice(first_names)} {surname.capitalize()}")
    db.session.execute(insert(Prisoner), [
        dict(id=i + 1, name=n, search_text="", alt_names="", languages="", ties_countries="",
             status=PrisonerStatus.SENTENCED, visibility=Visibility.PRIVATE) for i, n in enumerate(names)])
    t0 = time.perf_counter()
    rows = [dict(prisoner_id=i + 1, parliamentarian_id=None, **row) for i, n in enumerate(names) for row in variant_rows([n])]
    generated = time.perf_counter() - t0
    for start in range(0, len(rows), 20_000):
        db.session.execute(insert(NameVariant), rows[start:start + 20_000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE prisoners; ANALYZE name_variants"))
        db.session.commit()
    return len(rows), generated


def test_name_search_benchmark():
    people = list(csv.DictReader(DATA.open(encoding="utf-8")))
    variants, generated = _fill(people)
    assert db.session.scalar(select(db.func.count(Prisoner.id))) == PRISONERS
    queries = [(i + 1, r[c]) for i, r in enumerate(people) for c in COLUMNS if r[c] != r["belarusian_latin"]]
    queries += [(i + 1, r["russian_cyrillic"].split()[-1]) for i, r in enumerate(people)]  # surname only
    dialect = db.engine.dialect.name
    repeat = RUNS
    if dialect != "postgresql":
        # SQLite computes similarity in Python over every stored word: a development database,
        # timed on a sample so that `make perf` without PostgreSQL ends in reasonable time.
        queries, repeat = queries[::5], 1
    for _, q in queries[:20]:  # warm caches and connections
        services.search(q, limit=20)
    times, hits, timed = [], 0, []
    for person_id, q in queries:
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            found = services.search(q, limit=20)
            runs.append((time.perf_counter() - t0) * 1000)
        times.append(statistics.median(runs))
        timed.append((times[-1], q))
        hits += person_id in [p.id for p in found[:3]]
    times.sort()
    print("\nslowest:", ", ".join(f"{q} {ms:.0f} ms" for ms, q in sorted(timed)[-8:]))
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    rate = hits / len(queries)
    print(f"\n--- name search on {dialect}: {PRISONERS:,} prisoners, {variants:,} stored words, {len(queries)} queries, "
          f"median of {repeat} run(s) each; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs ---")
    row("search: p50", p50, "ms", "-")
    row("search: p95", p95, "ms", f"< {GOAL_P95_MS} on PostgreSQL")
    row("search: max", times[-1], "ms", "-")
    row(f"search: other spelling in top 3 among {PRISONERS:,}", f"{rate:.1%}", "share", "≥ 95%")
    row("search: variants generated", PRISONERS / generated, "names/s", "-")
    if dialect == "postgresql":
        assert p95 < GOAL_P95_MS
    assert rate >= 0.95
