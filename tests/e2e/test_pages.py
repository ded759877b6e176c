"""Pages as a person sees them, in headless chromium at desktop and phone width."""
import pytest

from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.e2e


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_login_page_renders_with_vendored_css_and_no_console_errors(page, live_server):
    page.goto(f"{live_server}/auth/login")
    assert page.title().startswith("Log in")
    # Pico's stylesheet is served by us (no CDN) and applied: the button is styled, not the UA default.
    css = page.evaluate("[...document.styleSheets].map(s => s.href)")
    assert all(h.startswith(live_server) for h in css if h)
    assert page.evaluate("getComputedStyle(document.querySelector('button')).borderRadius") != "0px"
    assert _no_horizontal_scroll(page)
    assert page.console_errors == []
    shoot(page, "login")


def test_staff_sees_dashboard_after_login(page, live_server, create_user):
    user = create_user(role="staff")
    login(page, live_server, user.email)
    page.wait_for_url(f"{live_server}/staff/")
    assert page.locator("h1").first.inner_text().strip() == "Dashboard"
    assert _no_horizontal_scroll(page)
    assert page.console_errors == []
    shoot(page, "dashboard")


def test_parliamentarian_sees_portal_after_login(page, live_server, create_user, create_pairing):
    pairing = create_pairing()
    user = create_user(role="parliamentarian", parliamentarian=pairing.parliamentarian)
    login(page, live_server, user.email)
    page.wait_for_url(f"{live_server}/portal/")
    assert _no_horizontal_scroll(page)
    assert page.console_errors == []
    shoot(page, "portal")


def test_public_campaign_page_on_desktop_and_phone(page, live_server, create_pairing, create_statement):
    from advocacy.db_types import utcnow

    pairing = create_pairing()
    create_statement(pairing=pairing, title="Free them all", verified_at=utcnow())
    page.goto(f"{live_server}/campaign/")
    assert page.locator("h1").first.inner_text() == "We stand by you"
    assert page.locator(".public-card").count() == 1
    assert _no_horizontal_scroll(page)
    assert page.console_errors == []
    shoot(page, "campaign")


def test_letter_page_prints_and_fits_a_phone(page, live_server, create_user, create_pairing, create_facility, create_prisoner):
    facility = create_facility(address_cyrillic="211440, г. Новополоцк, ул. Тельмана, 1, ИК-1")
    pairing = create_pairing(prisoner=create_prisoner(name="Ihar Losik", alt_names="Ігар Лосік", facility=facility))
    user = create_user(role="parliamentarian", parliamentarian=pairing.parliamentarian)
    login(page, live_server, user.email)
    page.wait_for_url(f"{live_server}/portal/")
    page.goto(f"{live_server}/portal/prisoners/{pairing.prisoner_id}/letter")
    assert "Ігар Лосік" in page.locator(".address").inner_text()
    assert _no_horizontal_scroll(page)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()  # the print stylesheet hides the navigation
    assert page.console_errors == []
    shoot(page, "letter")
