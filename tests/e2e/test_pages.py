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
