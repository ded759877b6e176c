"""The letter page: sample letters in Russian and Belarusian, the sender's name, the address with
"Belarus / Беларусь", copy and print; a private prisoner's page stays hidden."""
from tests.public.conftest import assert_no_secret

POLITICAL = ("политзаключ", "палітвязн", "режим", "рэжым", "свобод", "свабод", "суд", "Лукашенк", "Лукашэнк",
             "протест", "пратэст", "выбор")


def _letters(html):
    ru = html[html.index('id="letter-ru"'):html.index('id="letter-be"')]
    be = html[html.index('id="letter-be"'):html.index('id="letter-messages"')]
    return ru, be


def test_public_letter_page_has_both_sample_letters_with_name_field_and_belarus(client, world):
    p = world["public"]
    resp = client.get(f"/campaign/prisoners/{p.public_id}/letter")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    ru, be = _letters(html)
    assert 'lang="ru"' in ru and "Здравствуйте, Ігар Лосік!" in ru and "[ваше имя]" in ru
    assert 'lang="be"' in be and "Добры дзень, Ігар Лосік!" in be and "[ваша імя]" in be
    for word in POLITICAL:
        assert word.lower() not in (ru + be).lower(), word
    assert 'id="letter-sender-name"' in html and '<label for="letter-sender-name">' in html
    address = html[html.index('class="address"'):]
    address = address[:address.index("</p>")]
    assert "211440, г. Новополоцк" in address and address.rstrip().endswith("Беларусь")
    assert "Belarus</span> / Беларусь" in address
    assert "Copy the letter" in html and "Print" in html and "js/letter.js" in html
    assert "style=" not in html and "<script>" not in html  # the CSP forbids both
    assert_no_secret(resp.data)


def test_letter_guide_without_prisoner_shows_placeholders(client, world):
    html = client.get("/campaign/write-a-letter").get_data(as_text=True)
    ru, be = _letters(html)
    assert "[имя адресата]" in ru and "[імя адрасата]" in be
    assert "Belarus</span> / Беларусь" in html and 'id="letter-sender-name"' in html


def test_private_prisoner_letter_page_is_404(client, world):
    resp = client.get(f"/campaign/prisoners/{world['private'].public_id}/letter")
    assert resp.status_code == 404
    assert_no_secret(resp.data)


def test_letter_guide_follows_the_visitors_language_but_letters_do_not(client, world):
    p = world["public"]
    html = client.get(f"/campaign/prisoners/{p.public_id}/letter",
                      headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="de">' in html
    ru, be = _letters(html)
    assert "Здравствуйте" in ru and "Добры дзень" in be
