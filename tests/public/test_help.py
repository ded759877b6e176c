"""'How you can help' on the public pages: a letter guide, a ready text for one's MP, sharing."""
from urllib.parse import unquote

from advocacy.db_types import utcnow
from tests.public.conftest import assert_no_secret


def test_prisoner_page_shows_three_ways_to_help(client, world):
    p = world["public"]
    html = client.get(f"/campaign/prisoners/{p.public_id}").get_data(as_text=True)
    assert "How you can help" in html
    assert f'href="/campaign/prisoners/{p.public_id}/letter"' in html
    share = f"http://localhost/campaign/prisoners/{p.public_id}"
    ask = html[html.index('id="ask-text"'):html.index("</textarea>")]
    assert "become a godparent of Ihar Losik" in ask and "(15 years)" in ask and share in ask
    assert f'value="{share}"' in html  # the address to copy
    mailto = html[html.index('href="mailto:?subject=Please'):]
    assert "Ihar Losik" in unquote(mailto.split('"')[1])


def test_public_letter_page_gives_the_facility_address_and_the_rules(client, world):
    p = world["public"]
    html = client.get(f"/campaign/prisoners/{p.public_id}/letter").get_data(as_text=True)
    assert "211440, г. Новополоцк" in html and "Ігар Лосік" in html
    assert "Russian or Belarusian" in html and "your role as a parliamentarian" not in html
    assert client.get("/campaign/write-a-letter").status_code == 200
    assert client.get(f"/campaign/prisoners/{world['private'].public_id}/letter").status_code == 404


def test_a_personal_address_is_never_published(client, world):
    from advocacy.extensions import db
    p = world["public"]
    p.mailing_address = "Home street 1, Minsk"
    db.session.commit()
    html = client.get(f"/campaign/prisoners/{p.public_id}/letter").get_data(as_text=True)
    assert "Home street" not in html and "Новополоцк" not in html and "not published" in html


def test_campaign_page_has_help_and_public_statements_quote_their_summary(client, world, create_statement):
    create_statement(pairing=world["pub_pairing"], title="Speech in plenary", verified_at=utcnow(),
                     summary="Ihar Losik must be released today.")
    html = client.get("/campaign/").get_data(as_text=True)
    assert "How you can help" in html and 'href="/campaign/write-a-letter"' in html
    assert "Ihar Losik must be released today." in html
    prisoner_page = client.get(f"/campaign/prisoners/{world['public'].public_id}")
    assert b"Ihar Losik must be released today." in prisoner_page.data
    assert b"Ihar Losik must be released today." in client.get(f"/campaign/godparents/{world['mep'].id}").data
    assert_no_secret(prisoner_page.data)
