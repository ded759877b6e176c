"""The public page cache (advocacy/public/page_cache.py): every kind of public change makes every
public page miss, no private change does, several workers sharing one cache agree, and a cache
that is down only means pages render uncached."""
import datetime as dt
import logging
import uuid

import pytest
from freezegun import freeze_time
from sqlalchemy import update

from advocacy import create_app
from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.pairings import services as pairing_services
from advocacy.pairings.models import EndReason
from advocacy.prisoners.models import Prisoner
from advocacy.public import page_cache
from advocacy.statements import services as statement_services
from advocacy.transfer import services as transfer
from tests.api.conftest import api, api_token  # noqa: F401  (fixtures)
from tests.public.conftest import world  # noqa: F401  (fixture)

HEADER = "name,alt_names,birth_date,detained_on,articles,sentence,facility,status,humanitarian,source_id,source_url,family_consent\n"
PUBLIC_ROW = "Maryia Kalesnikava,,1982-04-24,2020-09-07,361-1,11 years,,sentenced,no,viasna-1,,yes\n"
PRIVATE_ROW = "Ales Bialiatski,,1962,2021-07-14,228,10 years,,sentenced,yes,viasna-2,,no\n"


def _pages(world):
    return ("/", "/campaign/", "/campaign/?country=LT", f"/campaign/prisoners/{world['public'].public_id}",
            f"/campaign/godparents/{world['mep'].id}", "/campaign/report", "/exports/public.json")


@pytest.fixture()
def hits(monkeypatch):
    """Records, per request, whether the body came from the cache."""
    seen = []
    real = page_cache.get_or_render

    def spy(key, render):
        value, hit = real(key, render)
        seen.append(hit)
        return value, hit
    monkeypatch.setattr(page_cache, "get_or_render", spy)
    return seen


def _fetch_all(client, world, hits, gone_ok=False):
    """{page: ETag} (None for a page that is gone: a 404) and whether each body came from the cache."""
    hits.clear()
    out = {p: client.get(p) for p in _pages(world)}
    ok = (200, 404) if gone_ok else (200,)
    assert all(r.status_code in ok for r in out.values()), {p: r.status_code for p, r in out.items()}
    return {p: r.headers["ETag"] if r.status_code == 200 else None for p, r in out.items()}, list(hits)


def _public_change(change, world, api, create_statement, create_user):
    public, mep, pairing = world["public"], world["mep"], world["pub_pairing"]
    if change == "consent_withdrawn":
        public.has_family_consent = False
    elif change == "prisoner_archived":
        public.is_archived = True
    elif change == "statement_verified":
        statement = create_statement(pairing=pairing, title="Newly verified", verified_at=None)
        db.session.commit()
        statement_services.verify(statement, by=create_user(role="staff"), now=utcnow())
    elif change == "statement_unpublished":
        next(s for s in pairing.statements if s.verified_at).is_public = False
    elif change == "pairing_ended":
        pairing_services.end_pairing(pairing, reason=EndReason.OTHER, on=dt.date.today())
    elif change == "godparent_renamed":
        mep.full_name = "Renamed Godparent"
    elif change == "godparent_group_changed":
        mep.political_group = "Greens/EFA"
    elif change == "api":
        assert api.patch(f"/prisoners/{public.id}", json={"sentence_text": "16 years"}).status_code == 200
        return
    elif change == "import":
        transfer.run("prisoners", (HEADER + PUBLIC_ROW).encode(), write=True)
    elif change == "bulk_update":
        db.session.execute(update(Prisoner).where(Prisoner.id == public.id).values(has_family_consent=False))
    db.session.commit()


PUBLIC_CHANGES = ["consent_withdrawn", "prisoner_archived", "statement_verified", "statement_unpublished",
                  "pairing_ended", "godparent_renamed", "godparent_group_changed", "api", "import", "bulk_update"]


@pytest.mark.parametrize("change", PUBLIC_CHANGES)
def test_every_public_change_makes_every_public_page_miss(client, world, hits, change, api, create_statement,
                                                         create_user):
    before, first = _fetch_all(client, world, hits)
    assert first == [False] * len(before)
    again, second = _fetch_all(client, world, hits)
    assert again == before and second == [True] * len(before)  # served from the cache

    _public_change(change, world, api, create_statement, create_user)
    after, third = _fetch_all(client, world, hits, gone_ok=True)
    assert all(after[p] != before[p] for p in before), change  # a new key, or the page is gone
    assert third == [False] * sum(1 for e in after.values() if e), change  # no page served from the old copy
    if change in ("consent_withdrawn", "prisoner_archived", "bulk_update"):
        assert after[f"/campaign/prisoners/{world['public'].public_id}"] is None
        assert world["public"].public_id not in client.get("/exports/public.json").text


def test_the_pages_show_the_change_not_the_cached_copy(client, world):
    url = f"/campaign/godparents/{world['mep'].id}"
    assert "Public Godparent" in client.get(url).text
    world["mep"].full_name = "Renamed Godparent"
    db.session.commit()
    assert "Renamed Godparent" in client.get(url).text


def _private_change(change, world, api, create_pairing, create_parliamentarian, create_statement):
    private = world["private"]
    if change == "private_prisoner_edited":
        private.sentence_text = "20 years"
    elif change == "private_statement_verified":
        pairing = create_pairing(parliamentarian=create_parliamentarian(), prisoner=private)
        db.session.commit()
        create_statement(pairing=pairing, verified_at=None).verified_at = utcnow()
    elif change == "private_pairing_ended":
        pairing = next(p for p in private.pairings if p.is_open)
        pairing_services.end_pairing(pairing, reason=EndReason.OTHER, on=dt.date.today())
    elif change == "unpaired_parliamentarian_renamed":
        world["shy"].full_name = "Still private"  # paired only with the private prisoner
    elif change == "unverified_statement_edited":
        next(s for s in world["pub_pairing"].statements if s.verified_at is None).title = "Draft, changed"
    elif change == "api":
        assert api.patch(f"/prisoners/{private.id}", json={"sentence_text": "21 years"}).status_code == 200
        return
    elif change == "import":
        transfer.run("prisoners", (HEADER + PRIVATE_ROW).encode(), write=True)
    elif change == "bulk_update":
        db.session.execute(update(Prisoner).where(Prisoner.id == private.id).values(court="Homiel court"))
    db.session.commit()


PRIVATE_CHANGES = ["private_prisoner_edited", "private_statement_verified", "private_pairing_ended",
                   "unpaired_parliamentarian_renamed", "unverified_statement_edited", "api", "import", "bulk_update"]


@pytest.mark.parametrize("change", PRIVATE_CHANGES)
def test_no_private_change_touches_the_cache(client, world, hits, change, api, create_pairing,
                                             create_parliamentarian, create_statement):
    before, _ = _fetch_all(client, world, hits)
    _private_change(change, world, api, create_pairing, create_parliamentarian, create_statement)
    after, served = _fetch_all(client, world, hits)
    assert after == before and served == [True] * len(before), change


def test_the_daily_rollover_makes_every_page_miss(client, world, hits):
    with freeze_time("2026-11-24 23:59:00"):
        before, _ = _fetch_all(client, world, hits)
        assert _fetch_all(client, world, hits)[1] == [True] * len(before)
    with freeze_time("2026-11-25 00:00:01"):
        after, served = _fetch_all(client, world, hits)
    assert all(after[p] != before[p] for p in before) and served == [False] * len(before)


def test_logged_in_and_flashed_pages_bypass_the_cache(client, world, hits, login_as):
    client.get("/campaign/")
    login_as("staff")
    hits.clear()
    resp = client.get("/?campaign=1")
    assert resp.status_code == 200 and hits == []  # rendered for this user, never stored nor served


# -- several workers, one cache -----------------------------------------------------------------------
@pytest.fixture()
def shared_redis_apps():
    """Two app instances (two gunicorn workers) sharing one Redis cache (DB 1, a key prefix of
    their own, removed afterwards)."""
    import redis

    prefix = f"advocacy-test-{uuid.uuid4().hex[:8]}:"
    overrides = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:6379/1", "CACHE_KEY_PREFIX": prefix}
    try:
        redis.Redis(db=1, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    apps = [create_app("testing", overrides=overrides) for _ in range(2)]
    yield apps
    for a in apps:
        with a.app_context():
            db.session.remove()
            db.engine.dispose()
    r = redis.Redis(db=1)
    for key in r.scan_iter(match=prefix + "*"):
        r.delete(key)


def test_two_workers_sharing_the_cache_stay_consistent(world, shared_redis_apps):
    one, two = (a.test_client() for a in shared_redis_apps)
    url = f"/campaign/prisoners/{world['public'].public_id}"
    assert one.get(url).status_code == 200 and two.get(url).status_code == 200
    assert one.get(url).headers["ETag"] == two.get(url).headers["ETag"]
    world["public"].has_family_consent = False  # through the test's own session: a third process
    db.session.commit()
    assert one.get(url).status_code == 404 and two.get(url).status_code == 404
    assert world["public"].public_id not in two.get("/campaign/").text


def test_cache_down_renders_uncached_and_warns(app, client, world, caplog, monkeypatch):
    # Alembic's fileConfig (the migration tests) disables loggers that existed before it ran.
    monkeypatch.setattr(page_cache.log, "disabled", False)
    down = create_app("testing", overrides={"CACHE_TYPE": "RedisCache", "CACHE_KEY_PREFIX": "advocacy-test-down:",
                                            "CACHE_REDIS_URL": "redis://127.0.0.1:5179/1?socket_connect_timeout=0.2"})
    page_cache._last_warning[0] = 0.0
    try:
        with caplog.at_level(logging.WARNING, logger="advocacy.public.page_cache"):
            c = down.test_client()
            for path in _pages(world):
                assert c.get(path).status_code == 200, path
        assert "public page cache unavailable" in caplog.text
    finally:
        with down.app_context():
            db.engine.dispose()


def test_large_bodies_are_kept_by_each_worker_as_they_are(app, monkeypatch):
    from advocacy.extensions import cache as shared

    monkeypatch.setattr(page_cache, "LOCAL_MAX_BYTES", 10)
    renders = []

    def render(n):
        return lambda: renders.append(n) or f"{n}" * 100

    with app.test_request_context():
        assert page_cache.get_or_render("k1", render(1)) == ("1" * 100, False)

        def down(*a, **kw):
            raise ConnectionError("redis down")
        monkeypatch.setattr(shared, "get", down)  # a hit must not need the shared cache
        assert page_cache.get_or_render("k1", render(1)) == ("1" * 100, True)
        assert renders == [1]
        monkeypatch.undo()
        monkeypatch.setattr(page_cache, "LOCAL_MAX_BYTES", 10)
        for n in (2, 3):
            page_cache.get_or_render(f"k{n}", render(n))
        assert list(page_cache.local_large()) == ["k2", "k3"]  # at most two, the oldest dropped
