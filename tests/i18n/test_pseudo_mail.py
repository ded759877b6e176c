"""The reminder, digest and invitation mails in the pseudo-locale: subject, text and HTML carry no
text that skipped a translation call (issue 20)."""
import datetime as dt
import html

import pytest

from advocacy.extensions import db
from advocacy.reminders.delivery import deliver
from advocacy.reminders.models import ReminderPreference
from advocacy.reminders.planner import plan
from tests.conftest import mail_text
from tests.i18n import pseudo
from tests.i18n.test_mail_languages import subject, utc


def _check(parts, data):
    problems = []
    for name, body in parts.items():
        page = body if name == "html" else f"<pre>{html.escape(body)}</pre>"
        problems += [f"{name}: {t}" for t in pseudo.leftovers(page, data)]
    return problems


@pytest.fixture()
def godparent(create_parliamentarian, create_prisoner, create_pairing):
    def make(**prisoner_kw):
        prisoner_kw.setdefault("birth_date", None)
        prisoner_kw.setdefault("detained_on", None)
        parl = create_parliamentarian(time_zone="Europe/Vilnius")
        return create_pairing(parliamentarian=parl, prisoner=create_prisoner(**prisoner_kw), started_on=None,
                              created_at=utc(2020, 1, 1))
    return make


def test_reminder_and_digest_mails(app, smtp_server, godparent, create_pairing, create_prisoner, monkeypatch):
    from advocacy.prisoners.models import KeyDate, KeyDateKind

    pseudo.install(monkeypatch)
    single = godparent(birth_date=dt.date(1985, 12, 1))
    hearing = godparent(detained_on=dt.date(2021, 12, 1))
    db.session.add(KeyDate(prisoner=hearing.prisoner, kind=KeyDateKind.TRIAL, occurs_on=dt.date(2026, 12, 2),
                           occurs_at_time=dt.time(10, 0), place="Minsk City Court"))
    db.session.add(ReminderPreference(parliamentarian_id=hearing.parliamentarian_id, is_digest=True, disabled_kinds=""))
    db.session.commit()
    plan(utc(2026, 11, 30, 22, 0))
    db.session.commit()
    deliver(utc(2026, 12, 1, 6, 5))
    assert len(smtp_server.messages) == 2
    data = pseudo.data_strings(db)
    problems = []
    for mail in smtp_server.messages:
        problems += _check({"subject": subject(mail), "text": mail_text(mail), "html": mail_text(mail, "html")}, data)
    assert problems == [], "\n".join(problems)


def test_invitation_mail(app, smtp_server, create_parliamentarian, create_prisoner, monkeypatch):
    from advocacy.matching.notifications import send_invitation
    from advocacy.pairings.models import Pairing, PairingStatus

    pseudo.install(monkeypatch)
    parl = create_parliamentarian()
    pairing = Pairing(parliamentarian=parl, prisoner=create_prisoner(), status=PairingStatus.INVITED,
                      invited_at=utc(2026, 11, 24))
    db.session.add(pairing)
    db.session.flush()
    msg = send_invitation(pairing, now=utc(2026, 11, 24, 9))
    db.session.commit()
    problems = _check({"subject": msg.subject, "text": msg.body_text, "html": msg.body_html}, pseudo.data_strings(db))
    assert problems == [], "\n".join(problems)
