"""Screenshots of issue 20 at 390 px, in de, fr, pl and lt: the portal home, the invitation (the
page its link opens, and the mail), the letter page and a reminder mail. `make run` in another
terminal, then `make screenshots-languages`; writes screenshots/lang-<locale>-<page>.png.

Pages are opened as the demo godparent, whose profile language is set for each run; the mails
are rendered by the app itself (the outbox's renderers, in the recipient's language), written to
a file and opened in the same browser."""
import datetime as dt
import os
import sys
import tempfile

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
from tests.e2e.screenshots import ARGS, BASE, OUT, login  # noqa: E402

LOCALES = ("de", "fr", "pl", "lt")


def _mails(locale: str) -> dict:
    """{name: html} of a reminder mail and an invitation mail to a demo member writing ``locale``."""
    from advocacy import create_app
    from advocacy.extensions import db
    from advocacy.matching.links import invitation_link  # noqa: F401  (the mail carries a link)
    from advocacy.matching.notifications import send_invitation
    from advocacy.pairings.models import Pairing, PairingStatus
    from advocacy.reminders.models import OutboxMessage, Reminder, RuleKind
    from advocacy.reminders.notifications import build_reminder_email

    app = create_app(os.environ.get("ADVOCACY_CONFIG", "default"))
    with app.app_context():
        pairing = db.session.scalar(db.select(Pairing).where(Pairing.status == PairingStatus.ACTIVE)
                                    .order_by(Pairing.id))
        parl = pairing.parliamentarian
        saved = parl.locale
        parl.locale = locale
        now = dt.datetime.now(dt.timezone.utc)
        today = now.date()
        reminder = Reminder(pairing=pairing, parliamentarian=parl, prisoner=pairing.prisoner,
                            kind=RuleKind.ARREST_ANNIVERSARY, occurs_on=today, send_on=today, due_at=now)
        msg = OutboxMessage(parliamentarian=parl, recipient=parl.email or "mep@example.org", message_id="<x@y>",
                            due_at=now, created_at=now)
        msg.is_late = False
        if pairing.prisoner.detained_on is None:
            pairing.prisoner.detained_on = today.replace(year=today.year - 3)
        reminder_html = build_reminder_email(msg, [reminder], now=now).html
        invited = db.session.scalar(db.select(Pairing).where(Pairing.status == PairingStatus.INVITED))
        invited.parliamentarian.locale = locale
        invitation = send_invitation(invited, now=now)
        out = {"reminder-mail": reminder_html, "invitation-mail": invitation.body_html,
               "invitation-link": invitation_link(invited)}
        db.session.rollback()  # nothing of this is kept
        parl.locale = saved
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        for locale in LOCALES:
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale,
                                      extra_http_headers={"Accept-Language": locale})
            page = ctx.new_page()

            def shot(name):
                path = os.path.join(OUT, f"lang-{locale}-{name}.png")
                page.screenshot(path=path, full_page=True)
                print("wrote", path, file=sys.stderr)

            login(page, "mep@demo.advocacy.example.org")
            page.goto(BASE + "/portal/profile")
            page.select_option("select[name=locale]", locale)
            page.click("main form button[type=submit]")
            page.goto(BASE + "/portal/")
            shot("portal")
            href = page.locator("main a[href$='/letter']").first.get_attribute("href")
            page.goto(BASE + href)
            page.fill("#letter-sender-name", "Anna Example")
            shot("letter")
            page.goto(BASE + "/portal/profile")
            page.select_option("select[name=locale]", "")
            page.click("main form button[type=submit]")
            ctx.close()
            mails = _mails(locale)
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale,
                                      extra_http_headers={"Accept-Language": locale})
            page = ctx.new_page()
            page.goto(mails["invitation-link"])
            shot("invitation")
            for name in ("reminder-mail", "invitation-mail"):
                with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
                    f.write(mails[name])
                page.goto("file://" + f.name)
                shot(name)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
