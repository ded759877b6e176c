"""Point 1 (the ETag leaked private work) and point 9 (caching, sequential public ids, robots.txt)."""
import json

import pytest
from sqlalchemy import delete, update

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.prisoners.models import Prisoner, Visibility
from advocacy.public.services import public_data_version
from advocacy.statements.models import Statement
from tests.public.conftest import world  # noqa: F401  (fixture)

PUBLIC_PAGES = ("/", "/campaign/")


def _snapshot(client, world):
    pages = PUBLIC_PAGES + (f"/campaign/prisoners/{world['public'].public_id}", f"/campaign/godparents/{world['mep'].id}")
    return {p: (client.get(p).headers.get("ETag"), client.get(p).data) for p in pages}


def test_private_work_changes_neither_etag_nor_body_nor_version(client, world, create_pairing, create_statement,
                                                                create_parliamentarian):
    before, version = _snapshot(client, world), public_data_version()
    pairing = create_pairing(parliamentarian=create_parliamentarian(), prisoner=world["private"])
    statement = create_statement(pairing=pairing, verified_at=None)
    statement.verified_at = utcnow()
    db.session.commit()
    world["private"].court = "Minsk regional court"
    db.session.commit()
    assert public_data_version() == version
    assert _snapshot(client, world) == before


def test_public_change_moves_the_version_and_the_etag(client, world):
    before, version = _snapshot(client, world), public_data_version()
    world["public"].sentence_text = "16 years"
    db.session.commit()
    assert public_data_version() == version + 1
    assert _snapshot(client, world)["/campaign/"][0] != before["/campaign/"][0]


@pytest.mark.parametrize("change", ["withdraw_consent", "end_pairing", "publish_statement", "new_public_pairing"])
def test_every_kind_of_public_change_is_counted_once_per_transaction(world, change, create_pairing,
                                                                    create_parliamentarian, create_statement):
    version = public_data_version()
    if change == "withdraw_consent":
        world["public"].has_family_consent = False
    elif change == "end_pairing":
        world["pub_pairing"].status = PairingStatus.ENDED
    elif change == "publish_statement":
        create_statement(pairing=world["pub_pairing"], verified_at=utcnow())
    else:
        create_pairing(parliamentarian=create_parliamentarian(), prisoner=world["public"])
    db.session.flush()
    db.session.commit()
    assert public_data_version() == version + 1


def test_a_rolled_back_change_leaves_the_version(world):
    version = public_data_version()
    world["public"].name = "Someone else"
    db.session.flush()
    db.session.rollback()
    assert public_data_version() == version


def test_bulk_update_and_delete_statements_are_caught(world):
    version = public_data_version()
    db.session.execute(update(Prisoner).where(Prisoner.id == world["private"].id).values(court="x"))
    db.session.commit()
    assert public_data_version() == version  # a private row: no change
    db.session.execute(update(Prisoner).where(Prisoner.id == world["private"].id)
                       .values(visibility=Visibility.PUBLIC, has_family_consent=True))
    db.session.commit()
    assert public_data_version() == version + 1  # it became public
    db.session.execute(delete(Statement).where(Statement.pairing_id == world["pub_pairing"].id))
    db.session.commit()
    assert public_data_version() == version + 2
    db.session.execute(update(Pairing).where(Pairing.id == world["pub_pairing"].id).values(status=PairingStatus.ENDED))
    db.session.commit()
    assert public_data_version() == version + 3


def test_reading_the_version_is_one_query(world, count_queries):
    with count_queries() as q:
        public_data_version()
    assert q.count == 1


# -- point 9 ---------------------------------------------------------------------------------------
def test_public_pages_revalidate_and_withdrawn_consent_disappears_at_once(client, world):
    url = f"/campaign/prisoners/{world['public'].public_id}"
    first = client.get(url)
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    world["public"].has_family_consent = False
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 404


@pytest.mark.parametrize("path", ["/staff/", "/prisoners/", "/campaign/", "/exports/public.json"])
def test_logged_in_pages_are_never_stored(client, login_as, path):
    login_as("staff")
    resp = client.get(path + ("?campaign=1" if path == "/" else ""))
    assert resp.headers["Cache-Control"] == "no-store"


def test_portal_is_never_stored(client, login_as):
    login_as("parliamentarian")
    assert client.get("/portal/").headers["Cache-Control"] == "no-store"


def test_public_ids_are_random_and_old_integer_urls_are_404(client, world, create_prisoner):
    prisoner = world["public"]
    assert len(prisoner.public_id) == 12 and not prisoner.public_id.isdigit()
    assert client.get(f"/campaign/prisoners/{prisoner.id}").status_code == 404
    assert client.get(f"/campaign/prisoners/{prisoner.public_id}").status_code == 200
    ids = {create_prisoner().public_id for _ in range(20)}
    assert len(ids) == 20


def test_public_export_carries_no_internal_prisoner_ids(client, world):
    data = json.loads(client.get("/exports/public.json").data)
    text = json.dumps(data)
    assert world["public"].public_id in text
    rows = [r for key in data if isinstance(data[key], list) for r in data[key]] if isinstance(data, dict) else data
    assert rows and all(r.get("prisoner_id") != world["public"].id for r in rows)
    assert all(isinstance(r.get("prisoner_id"), str) for r in rows if "prisoner_id" in r)


def test_robots_txt_keeps_feeds_exports_and_api_out_of_indexes(client):
    resp = client.get("/robots.txt")
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    for path in ("/feeds/", "/exports/", "/api/"):
        assert f"Disallow: {path}" in resp.text
