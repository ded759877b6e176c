"""The 10x campaign data for benchmarks: 13,000 prisoners, 10,000 parliamentarians, 30,000 pairings,
300,000 statements, 100,000 key dates (plus status history and sent reminders), inserted in bulk.

Reusable: ``fill(scale=10)`` in an app context on an empty schema returns the counts and the ids
benchmarks need. On PostgreSQL rows go in with ``COPY`` (about 20 s for everything on a small
machine); elsewhere with executemany. Ids are assigned here, so no insert waits for another;
sequences are moved past them afterwards. Deterministic for a given ``seed``.

    from tests.perf.data10x import fill
    info = fill()               # the full 10x data
    info = fill(scale=1)        # today's size, for a quick run
"""
from __future__ import annotations

import datetime as dt
import random
import string

from sqlalchemy import text

from advocacy.extensions import db

TODAY = dt.date(2026, 11, 24)
START = dt.date(2020, 8, 9)
COUNTRIES = ["PL", "LT", "DE", "FR", "SE", "CZ", "FI", "LV", "EE", "NL", "BE", "DK", "IE", "IT", "ES", "AT", "SK",
             "SI", "HR", "RO", "BG", "PT", "LU", "GR", "HU", "MT", "CY"]
GROUPS = ["EPP", "S&D", "Renew", "Greens/EFA", "ECR", "The Left", "PfE", "ESN"]
STATEMENT_KINDS = ["speech", "press_release", "social_post", "parliamentary_question", "letter_to_prisoner",
                   "letter_to_authorities", "media", "trial_observation", "other"]
RULES = [("birthday", 0), ("birthday", -3), ("arrest_anniversary", 0), ("milestone", 0), ("hearing", -7),
         ("hearing", -1), ("hearing_followup", 1), ("adoption_anniversary", 0)]
NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)


def _day(rng, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


def _copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur:
            with cur.copy(f'COPY {table} ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        stmt = text(f'INSERT INTO {table} ({", ".join(columns)}) VALUES ({", ".join(":" + c for c in columns)})')
        conn.execute(stmt, [dict(zip(columns, r)) for r in rows])


def _sqlite_value(v):
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    return v


def fill(scale: int = 10, seed: int = 1) -> dict:
    """Insert ``scale`` tenths-of-10x data (scale=10: the 10x campaign) and commit. Returns counts
    and a few ids (``public_prisoner_id``, ``busy_prisoner_id``)."""
    rng = random.Random(seed)
    is_pg = db.session.get_bind().dialect.name == "postgresql"
    conv = (lambda r: r) if is_pg else (lambda r: tuple(_sqlite_value(v) for v in r))
    n_prisoners, n_parls, n_pairings = 1300 * scale, 1000 * scale, 3000 * scale
    n_statements, n_key_dates = 30000 * scale, 10000 * scale

    # Facilities and prisoners
    _copy("facilities", ["id", "name", "kind", "is_archived", "created_at", "updated_at"],
          [conv((i, f"Colony {i}", "penal_colony", False, NOW, NOW)) for i in range(1, 31)])
    prisoners, freed = [], {}
    ids_rng = random.Random(seed + 1)  # public ids apart, so the rest of the data stays as it was
    alphabet = string.ascii_letters + string.digits + "-_"
    public_ids = ["".join(ids_rng.choices(alphabet, k=12)) for _ in range(n_prisoners)]
    for i in range(1, n_prisoners + 1):
        detained = _day(rng, START, TODAY - dt.timedelta(days=30))
        status, status_on = ("sentenced" if rng.random() < .8 else "pre_trial"), None
        if rng.random() < .15:
            status, status_on = rng.choice(["released", "pardoned", "deported"]), _day(rng, detained, TODAY)
            freed[i] = status_on
        consent = rng.random() < .6
        visibility = "public" if consent and rng.random() < .8 else "private"
        prisoners.append(conv((
            i, f"Prisoner {i}", "", f"prisoner {i}", "", "", detained, rng.randint(1, 30), status, status_on,
            rng.random() < .15, consent, visibility, False, dt.date(1960 + i % 45, 1 + i % 12, 1 + i % 28),
            detained + dt.timedelta(days=200) if status != "pre_trial" else None, "5 years" if status != "pre_trial" else None,
            False, False, False, False, False, NOW, NOW, public_ids[i - 1])))
    _copy("prisoners", ["id", "name", "alt_names", "search_text", "languages", "ties_countries", "detained_on",
                        "facility_id", "status", "status_on", "is_humanitarian", "has_family_consent", "visibility",
                        "is_archived", "birth_date", "verdict_on", "sentence_text", "risk_serious_illness",
                        "risk_disability", "risk_over_60", "risk_mental_disorder", "risk_large_family",
                        "created_at", "updated_at", "public_id"], prisoners)

    # Status history: the arrest, a verdict for the sentenced, and the release
    changes, cid = [], 0
    for row in prisoners:
        pid, detained, status, status_on = row[0], row[6], row[8], row[9]
        cid += 1
        changes.append((cid, pid, "pre_trial", detained, NOW))
        if status != "pre_trial":
            cid += 1
            changes.append((cid, pid, "sentenced", detained + dt.timedelta(days=200), NOW))
        if status_on:
            cid += 1
            changes.append((cid, pid, status, status_on, NOW))
    _copy("prisoner_status_changes", ["id", "prisoner_id", "status", "changed_on", "created_at"], [conv(r) for r in changes])

    # Parliamentarians
    parliaments = ["European Parliament"] * 6 + [f"Parliament of {c}" for c in COUNTRIES]
    _copy("parliamentarians", ["id", "full_name", "search_text", "parliament", "chamber", "country", "political_group",
                               "email", "languages", "committees", "time_zone", "is_archived", "created_at",
                               "updated_at"],
          [conv((i, f"Member {i}", f"member {i}", rng.choice(parliaments), "single", rng.choice(COUNTRIES),
                 rng.choice(GROUPS), f"m{i}@example.org", "en", "", "Europe/Brussels", False, NOW, NOW))
           for i in range(1, n_parls + 1)])

    # Pairings: 2/3 active, 1/4 ended, the rest invited or declined; one open pairing per pair
    pairings, used = [], set()
    pid_ = 0
    while len(pairings) < n_pairings:
        parl, pris = rng.randint(1, n_parls), rng.randint(1, n_prisoners)
        if (parl, pris) in used:
            continue
        used.add((parl, pris))
        pid_ += 1
        detained = prisoners[pris - 1][6]
        started = _day(rng, max(detained, dt.date(2022, 1, 1)), TODAY - dt.timedelta(days=1))
        r = rng.random()
        if pris in freed and freed[pris] > started:
            status, ended, reason = "ended", freed[pris], "prisoner_released"
        elif pris in freed or r < .25:
            ended = _day(rng, started + dt.timedelta(days=1), TODAY) if started < TODAY else TODAY
            status, reason = "ended", "withdrew"
        elif r < .93:
            status, ended, reason = "active", None, None
        else:
            status, ended, reason = rng.choice(["invited", "declined"]), None, None
        pairings.append((pid_, parl, pris, status, started if status in ("active", "ended") else None, ended, reason,
                         NOW, NOW))
    _copy("pairings", ["id", "parliamentarian_id", "prisoner_id", "status", "started_on", "ended_on", "end_reason",
                       "created_at", "updated_at"], [conv(r) for r in pairings])
    live = [p for p in pairings if p[3] in ("active", "ended")]

    # Statements, inside each pairing's active span; 70 % public and verified
    statements = []
    for sid in range(1, n_statements + 1):
        p = rng.choice(live)
        made = _day(rng, p[4], (p[5] or TODAY))
        public = rng.random() < .7
        statements.append(conv((sid, p[0], made, rng.choice(STATEMENT_KINDS), f"Statement {sid}", public,
                                NOW if public else None, NOW, NOW)))
    _copy("statements", ["id", "pairing_id", "made_on", "kind", "title", "is_public", "verified_at", "created_at",
                         "updated_at"], statements)

    # Key dates: hearings, verdicts and other dates
    kinds = ["trial"] * 5 + ["appeal"] * 2 + ["verdict"] * 2 + ["custom"]
    _copy("key_dates", ["id", "prisoner_id", "kind", "occurs_on", "place", "is_yearly", "created_at", "updated_at"],
          [conv((i, pr := rng.randint(1, n_prisoners), k := rng.choice(kinds),
                 _day(rng, prisoners[pr - 1][6], TODAY + dt.timedelta(days=60)), "Court" if k != "custom" else None,
                 False, NOW, NOW)) for i in range(1, n_key_dates + 1)])

    # Reminder rules and sent reminders: about two a pairing a year of activity
    _copy("reminder_rules", ["id", "kind", "offset_days", "is_active", "created_at"],
          [conv((i, k, o, True, NOW)) for i, (k, o) in enumerate(RULES, 1)])
    reminders, rid = [], 0
    for p in live:
        end = p[5] or TODAY
        for _ in range(max(1, (end - p[4]).days * 2 // 365)):
            rid += 1
            rule = rng.randint(1, len(RULES))
            send = _day(rng, p[4], end)
            due = dt.datetime.combine(send, dt.time(8), tzinfo=dt.timezone.utc)
            reminders.append(conv((rid, f"perf:{rid}", rule, RULES[rule - 1][0], p[0], p[1], p[2], send, send, due,
                                   "sent" if send <= TODAY - dt.timedelta(days=1) else "queued", due)))
    _copy("reminders", ["id", "idempotency_key", "rule_id", "kind", "pairing_id", "parliamentarian_id", "prisoner_id",
                        "occurs_on", "send_on", "due_at", "status", "created_at"], reminders)

    if is_pg:
        for table in ("facilities", "prisoners", "prisoner_status_changes", "parliamentarians", "pairings", "statements",
                      "key_dates", "reminder_rules", "reminders"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        db.session.commit()
        # As autovacuum would leave a live database: statistics, and a visibility map so that
        # index-only scans need no heap visits.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    db.session.commit()
    public = next(r for r in prisoners if r[12] == "public" and r[11])
    counts: dict[int, int] = {}
    for p in live:
        counts[p[2]] = counts.get(p[2], 0) + 1
    busiest = max(counts, key=counts.get)
    return {"prisoners": n_prisoners, "parliamentarians": n_parls, "pairings": len(pairings),
            "statements": len(statements), "key_dates": n_key_dates, "status_changes": len(changes),
            "reminders": len(reminders), "public_prisoner_id": public[0], "public_prisoner_public_id": public[-1],
            "busy_prisoner_id": busiest}
