"""Every page reachable from the navigation fits a phone (390 px), for each role: the main content,
the key column of every table and every action button are inside the viewport, and nothing
scrolls sideways. Run on the demo data set, so tables are full and texts realistic."""
import pytest

from tests.e2e.conftest import PHONE, login

pytestmark = pytest.mark.e2e

#: problems on the page now open, as a list of strings (empty: the page fits)
FITS_JS = r"""() => {
  const vw = window.innerWidth, out = [];
  const where = el => (el.id ? '#' + el.id : el.tagName.toLowerCase()) + ' "' + (el.innerText || el.value || '').trim().slice(0, 40) + '"';
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
                          getComputedStyle(el).visibility !== 'hidden'; };
  const inside = el => { const r = el.getBoundingClientRect(); return r.left >= -0.5 && r.right <= vw + 0.5; };
  if (document.documentElement.scrollWidth > vw + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  const main = document.querySelector('main');
  if (!main || !inside(main)) out.push('main content outside the viewport');
  main.querySelectorAll('table').forEach(t => {
    t.querySelectorAll('tbody tr').forEach(tr => {
      const key = tr.children[0];
      if (key && visible(key) && !inside(key)) out.push('key column outside: ' + where(key));
    });
  });
  main.querySelectorAll('button, [role=button], input[type=submit]').forEach(b => {
    if (visible(b) && !inside(b)) out.push('action outside: ' + where(b));
  });
  return out;
}"""


@pytest.fixture()
def demo_world(create_user):
    from advocacy import demo
    from advocacy.extensions import db

    demo.load()
    db.session.commit()
    create_user(role="staff", email="plain-staff@example.org")
    return demo


def _nav_links(page):
    page.click(".nav-menu > summary")  # the menu is folded on a phone
    assert page.locator(".nav-menu .nav-links").is_visible()
    return page.eval_on_selector_all(".nav-menu .nav-links a[href]", "els => els.map(e => e.getAttribute('href'))")


def _check_pages(page, base, paths):
    problems = {}
    for path in paths:
        resp = page.goto(base + path)
        assert resp.status == 200, (path, resp.status)
        found = page.evaluate(FITS_JS)
        if found:
            problems[path] = found
    return problems


@pytest.mark.parametrize("who", ["admin", "staff", "parliamentarian"])
def test_every_page_in_the_navigation_fits_a_phone(browser, live_server, demo_world, who):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    email = {"admin": demo_world.STAFF_EMAIL, "staff": "plain-staff@example.org", "parliamentarian": demo_world.MEP_EMAIL}[who]
    login(page, live_server, email, demo_world.DEMO_PASSWORD if who != "staff" else "correct horse battery")
    page.wait_for_load_state()
    links = _nav_links(page)
    expected = {"admin": 16, "staff": 14, "parliamentarian": 4}[who]
    assert len(links) >= expected, links
    # The log-out button is in the open menu and inside the screen.
    assert page.locator(".nav-menu button", has_text="Log out").bounding_box()["x"] + 10 < PHONE["width"]
    problems = _check_pages(page, live_server, links)
    assert problems == {}, problems
    assert errors == []
    context.close()


def test_public_pages_fit_a_phone(browser, live_server, demo_world):
    from advocacy.extensions import db
    from advocacy.public import services

    from advocacy.prisoners.models import Prisoner

    prisoner_id = db.session.scalar(services.public_pairings_select().with_only_columns(Prisoner.public_id).limit(1))
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    paths = ["/campaign/", f"/campaign/prisoners/{prisoner_id}", f"/campaign/prisoners/{prisoner_id}/letter",
             "/campaign/write-a-letter", "/auth/login"]
    assert _check_pages(page, live_server, paths) == {}
    page.goto(f"{live_server}/campaign/prisoners/{prisoner_id}")
    help_box = page.locator(".how-to-help").bounding_box()
    assert help_box and help_box["x"] >= 0 and help_box["x"] + help_box["width"] <= PHONE["width"]
    context.close()


def test_nav_menu_opens_without_javascript(browser, live_server, demo_world):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, demo_world.STAFF_EMAIL, demo_world.DEMO_PASSWORD)
    page.wait_for_load_state()
    assert not page.locator(".nav-menu .nav-links").is_visible()
    links = _nav_links(page)
    assert any(href.startswith("/audit") for href in links)
    page.click(".nav-menu a[href^='/audit']")
    assert page.locator("h1").first.inner_text() == "Audit log"
    context.close()
