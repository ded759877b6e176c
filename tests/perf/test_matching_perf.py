"""Benchmark: coverage plans for 1,300 prisoners x 720 parliamentarians (capacity 2), and for
13,000 x 7,200 with a candidate limit, against a greedy baseline on the same data.

Run: make perf   (or: .venv/bin/pytest -s -m perf tests/perf/test_matching_perf.py)
"""
import datetime as dt
import random
import time

import pytest

from tests.perf.report import row
from sqlalchemy import insert

from advocacy.extensions import db
from advocacy.matching import planner, scoring
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Prisoner, PrisonerStatus, Visibility

pytestmark = pytest.mark.perf
LANGS, COUNTRIES = ["be", "ru", "pl", "lt", "de", "fr", "en", "uk"], ["PL", "LT", "DE", "FR", "SE", "CZ", "FI", "LV", "EE", "NL"]
OCC = ["journalist", "lawyer", "worker", "teacher", "student", "IT specialist", "doctor", "human rights defender", "musician"]
COMM = ["AFET", "DROI", "CULT", "JURI", "EMPL", "LIBE", "ITRE", "ENVI"]


def _fill(n_prisoners, n_parls, seed=1):
    rng = random.Random(seed)
    db.session.execute(insert(Prisoner), [dict(
        name=f"P{i}", search_text=f"p{i}", alt_names="", status=PrisonerStatus.SENTENCED, visibility=Visibility.PRIVATE,
        languages=",".join(rng.sample(LANGS, 2)), ties_countries=rng.choice(COUNTRIES + [""] * 5), occupation=rng.choice(OCC),
        is_humanitarian=rng.random() < 0.2, detained_on=dt.date(2020, 8, 9) + dt.timedelta(days=rng.randint(0, 1800)),
        incommunicado_since=dt.date(2023, 1, 1) if rng.random() < 0.05 else None) for i in range(n_prisoners)])
    db.session.execute(insert(Parliamentarian), [dict(
        full_name=f"M{i}", search_text=f"m{i}", country=rng.choice(COUNTRIES), parliament="European Parliament", chamber="single",
        languages=",".join(rng.sample(LANGS, 2)), committees=",".join(rng.sample(COMM, 2)), time_zone="Europe/Brussels")
        for i in range(n_parls)])
    db.session.commit()


def _run(label, candidate_limit, capacity=2):
    s = scoring.settings()
    s.default_capacity = capacity
    db.session.commit()
    w = s.weights()
    t0 = time.perf_counter()
    pool = scoring.load_pool(dt.date(2026, 11, 24), only_uncovered=True)
    t1 = time.perf_counter()
    best = planner.plan(pool, w, candidate_limit=candidate_limit)
    t2 = time.perf_counter()
    base = planner.greedy(pool, w, candidate_limit=candidate_limit)
    t3 = time.perf_counter()
    opt, gr = sum(x[2] for x in best), sum(x[2] for x in base)
    print(f"\n--- {label}: {len(pool.prisoners):,} prisoners x {len(pool.parls):,} parliamentarians, capacity {capacity}"
          f"{', candidate limit ' + str(candidate_limit) if candidate_limit else ''} ---")
    name = f"matching plan, {len(pool.prisoners):,} x {len(pool.parls):,}"
    row(f"{name}: load + features", t1 - t0, "s", "-")
    row(f"{name}: optimal plan ({len(best):,} pairs)", t2 - t1, "s", "-")
    row(f"{name}: greedy baseline ({len(base):,} pairs)", t3 - t2, "s", "-")
    row(f"{name}: optimal - greedy total score", f"{opt - gr:+,.1f} ({(opt - gr) / gr * 100 if gr else 0:+.2f} %)",
        "score", ">= 0")
    assert opt >= gr - 1e-6 and len(best) >= len(base) * 0.99
    return opt, gr


def test_plan_1300_by_720(app):
    _fill(1300, 720)
    _run("campaign size", None)


def test_plan_13000_by_7200_with_candidate_limit(app):
    _fill(13000, 7200)
    _run("10x campaign size", 30)
