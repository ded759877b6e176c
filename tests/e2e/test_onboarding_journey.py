"""The adoption journey in chromium, as a parliamentarian without an account lives it: staff
invite, the mail arrives, its link opens with no session, accept, choose a password, the
prisoner is in the portal. And the invitation mail itself at phone width."""
import re

import pytest

from advocacy.extensions import db
from advocacy.pairings.models import Pairing, PairingStatus
from tests.conftest import mail_text
from tests.e2e.conftest import CHROMIUM_ARGS, PHONE, login, shoot  # noqa: F401

pytestmark = pytest.mark.e2e
LINK = re.compile(r"https?://[^/\s]+(/[^\s\"<>]+)")


def _accept_path(message):
    return next(p for p in LINK.findall(mail_text(message)) if "/matching/invitations/answer/" in p and "accept" in p)


def test_invitation_to_portal_without_a_prior_account(browser, live_server, app, smtp_server, create_user,
                                                       create_parliamentarian, create_prisoner):
    app.config["BASE_URL"] = live_server
    staff = create_user(role="staff")
    parl = create_parliamentarian(full_name="Petras Auštrevičius", email="petras@example.org")
    prisoner = create_prisoner(name="Maryia Kalesnikava")
    assert parl.user is None

    # 1. Staff invite him from the prisoner's suggestions.
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff_ctx.new_page()
    login(page, live_server, staff.email)
    page.wait_for_url(f"{live_server}/staff/")
    page.goto(f"{live_server}/matching/prisoners/{prisoner.id}")
    row = page.locator("tr", has_text="Petras Auštrevičius")
    row.get_by_role("button", name="Invite").click()
    page.wait_for_url(re.compile(r".*/pairings/\d+"))
    staff_ctx.close()

    # 2. The invitation arrives; its link is opened with no session at all, on a phone.
    assert len(smtp_server.messages) == 1
    path = _accept_path(smtp_server.messages[0])
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.goto(f"{live_server}{path}")
    assert "Will you stand by Maryia Kalesnikava?" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    button = page.get_by_role("button", name="Yes, I will stand by Maryia Kalesnikava")
    assert button.bounding_box()["height"] >= 44
    shoot(page, "invitation-answer")
    db.session.expire_all()
    assert db.session.scalars(db.select(Pairing)).one().status == PairingStatus.INVITED  # the GET decided nothing

    # 3. He accepts and chooses a password.
    button.click()
    page.wait_for_url(re.compile(r".*/auth/welcome-godparent/.*"))
    page.fill("input[name=password]", "a long enough secret")
    page.fill("input[name=confirm]", "a long enough secret")
    page.get_by_role("button", name="Create my account").click()

    # 4. The prisoner is in his portal.
    page.wait_for_url(f"{live_server}/portal/")
    assert "Maryia Kalesnikava" in page.inner_text("main")
    shoot(page, "portal-after-onboarding")

    # The same link again, now in a fresh browser: a clear message.
    other = browser.new_context(viewport=PHONE).new_page()
    other.goto(f"{live_server}{path}")
    assert "already accepted" in other.inner_text("main")
    ctx.close()


def test_invitation_mail_at_phone_width_with_and_without_css(browser, app, live_server, smtp_server, client, login_as,
                                                              create_parliamentarian, create_prisoner):
    parl, prisoner = create_parliamentarian(), create_prisoner(name="Ihar Losik", is_humanitarian=True)
    login_as("staff")
    client.post("/matching/invite", data={"parliamentarian_id": parl.id, "prisoner_id": prisoner.id})
    html = mail_text(smtp_server.messages[0], "html")
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.set_content(html)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for name in ("Yes, I will stand by Ihar Losik", "No, not now"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    shoot(page, "invitation-mail")
    # Images and styles blocked (as many mail clients do): the text and both links remain.
    page.set_content(re.sub(r'\sstyle="[^"]*"', "", html))
    text = page.inner_text("body")
    assert "Will you stand by Ihar Losik?" in text and "Humanitarian list" in text
    assert page.get_by_role("link", name="No, not now").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(page, "invitation-mail-no-css")
    ctx.close()
