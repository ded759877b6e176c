from advocacy.extensions import db
from tests.public.conftest import assert_no_secret


def test_campaign_page_shows_public_pairings_and_verified_statements_only(client, world):
    resp = client.get("/campaign/")
    assert resp.status_code == 200
    assert b"Ihar Losik" in resp.data and b"Public Godparent" in resp.data and b"Free Ihar now" in resp.data
    assert b"Unverified words" not in resp.data
    assert_no_secret(resp.data)
    assert b"1 in all" in resp.data or b"Page" not in resp.data  # counts only the public prisoner


def test_anonymous_root_is_the_campaign_page(client, world):
    resp = client.get("/")
    assert resp.status_code == 200 and b"We stand by you" in resp.data
    assert_no_secret(resp.data)


def test_private_prisoner_page_is_404_like_an_unknown_one(client, world):
    private = client.get(f"/campaign/prisoners/{world['private'].public_id}")
    unknown = client.get("/campaign/prisoners/AAAAAAAAAAAA")
    assert private.status_code == unknown.status_code == 404
    assert private.data == unknown.data
    assert client.get(f"/campaign/godparents/{world['shy'].id}").status_code == 404


def test_prisoner_and_godparent_pages(client, world):
    resp = client.get(f"/campaign/prisoners/{world['public'].public_id}")
    assert resp.status_code == 200 and b"Public Godparent" in resp.data
    resp = client.get(f"/campaign/godparents/{world['mep'].id}")
    assert resp.status_code == 200 and b"Ihar Losik" in resp.data
    assert_no_secret(resp.data)


def test_filters_by_country_and_group(client, world):
    card = b"Ihar Losik</a></h3>"
    assert card in client.get("/campaign/?country=LT").data
    assert card not in client.get("/campaign/?country=DE").data
    assert card in client.get("/campaign/?group=Renew").data


def test_etag_and_cache_control(client, world):
    first = client.get("/campaign/")
    assert first.headers["Cache-Control"] == "public, no-cache"
    etag = first.headers["ETag"]
    again = client.get("/campaign/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    world["public"].sentence_text = "16 years"
    db.session.commit()
    assert client.get("/campaign/", headers={"If-None-Match": etag}).status_code == 200


def test_public_page_query_count_bounded(client, world, create_pairing, create_prisoner, count_queries):
    with count_queries() as small:
        client.get("/campaign/")
    for _ in range(30):
        create_pairing(prisoner=create_prisoner())
    with count_queries() as large:
        client.get("/campaign/")
    assert small.count == large.count
