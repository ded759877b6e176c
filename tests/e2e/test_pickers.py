"""Script-enhanced pickers and times, in a browser whose device is set to Vilnius."""
import pytest

from tests.e2e.conftest import PHONE, login

pytestmark = pytest.mark.e2e


def test_time_zone_picker_offers_the_devices_zone_and_searches(browser, live_server, create_user, create_parliamentarian):
    parl = create_parliamentarian(time_zone="Europe/Berlin")
    user = create_user(role="parliamentarian", parliamentarian=parl)
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/Vilnius")
    page = context.new_page()
    login(page, live_server, user.email)
    page.wait_for_url(f"{live_server}/portal/")
    page.goto(f"{live_server}/portal/profile")
    suggestion = page.locator(".tz-suggest button")
    assert suggestion.inner_text() == "Use this device's time zone: Europe / Vilnius"
    suggestion.click()
    assert page.eval_on_selector("select[name=time_zone]", "s => s.value") == "Europe/Vilnius"
    # Typing in the search box hides zones that do not match and picks the first that does.
    page.fill("input.picker-search", "lisb")
    assert page.eval_on_selector("select[name=time_zone]", "s => s.value") == "Europe/Lisbon"
    visible = page.eval_on_selector_all("select[name=time_zone] option", "os => os.filter(o => !o.hidden).map(o => o.value)")
    assert visible == ["Europe/Lisbon"]
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/portal/profile")
    from advocacy.extensions import db
    db.session.refresh(parl)
    assert parl.time_zone == "Europe/Lisbon"
    context.close()


def test_staff_see_audit_times_in_their_devices_zone(browser, live_server, create_user, create_facility):
    import datetime as dt

    from advocacy.audit.models import AuditEntry
    from advocacy.extensions import db

    staff = create_user(role="staff")
    facility = create_facility(name="Zone facility")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "Facility", AuditEntry.object_id == facility.id))
    entry.created_at = dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.timezone.utc)
    db.session.commit()
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/Vilnius")
    page = context.new_page()
    login(page, live_server, staff.email)
    page.wait_for_url(f"{live_server}/staff/")
    page.goto(f"{live_server}/audit/?type=Facility")
    assert "10 Jan 2026 11:30 EET" in page.locator("main").inner_text()
    context.close()
