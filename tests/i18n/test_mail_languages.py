"""Mail in the recipient's language (issue 20): a reminder, a digest and an invitation in de, fr,
pl and lt, checked against the catalogues themselves (read here with Babel, not through the app),
and a German parliamentarian with no account and no choice getting German mail from the
scheduler process."""
import datetime as dt
import email.header
import gettext
import os
import subprocess
import sys

import pytest
from babel.dates import format_skeleton
from babel.messages.pofile import read_po

from advocacy.extensions import db
from advocacy.reminders.delivery import deliver
from advocacy.reminders.models import ReminderPreference
from advocacy.reminders.planner import plan
from tests.conftest import mail_text

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COUNTRY = {"de": "DE", "fr": "FR", "pl": "PL", "lt": "LT"}
_PO = {}


def po(locale):
    if locale not in _PO:
        with open(os.path.join(ROOT, "advocacy", "translations", locale, "LC_MESSAGES", "messages.po"), "rb") as f:
            _PO[locale] = read_po(f, locale=locale)
    return _PO[locale]


def tr(locale, msgid, n=None, context=None):
    """The catalogue's translation of ``msgid`` (the plural form for ``n``), never English."""
    cat = po(locale)
    msg = cat.get(msgid if n is None else msgid[0], context=context)
    assert msg is not None and msg.string and not msg.fuzzy, f"{locale}: no translation of {msgid!r}"
    if n is None:
        return msg.string
    return msg.string[gettext.c2py(cat.plural_expr)(n)]


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["message"]["Subject"])))


def utc(*a):
    return dt.datetime(*a, tzinfo=dt.timezone.utc)


@pytest.fixture()
def pairing_in(create_parliamentarian, create_prisoner, create_pairing):
    """An active pairing whose godparent writes in ``locale``: from their country, no account."""
    def make(locale, **prisoner_kw):
        prisoner_kw.setdefault("birth_date", None)
        prisoner_kw.setdefault("detained_on", None)
        prisoner = create_prisoner(**prisoner_kw)
        parl = create_parliamentarian(country=COUNTRY[locale], locale=None, time_zone="Europe/Vilnius")
        return create_pairing(parliamentarian=parl, prisoner=prisoner, started_on=None, created_at=utc(2020, 1, 1))
    return make


@pytest.mark.parametrize("locale", ["de", "fr", "pl", "lt"])
def test_a_reminder_in_the_godparents_language(app, smtp_server, pairing_in, locale):
    pairing = pairing_in(locale, birth_date=dt.date(1985, 12, 1))
    plan(utc(2026, 11, 30, 22, 0))
    db.session.commit()
    deliver(utc(2026, 12, 1, 6, 5))
    [mail] = smtp_server.messages
    name = pairing.prisoner.name
    when = tr(locale, "is today (%(date)s)") % {"date": format_skeleton("MMMMd", dt.date(2026, 12, 1), locale=locale)}
    assert subject(mail) == tr(locale, "%(name)s's birthday %(when)s") % {"name": name, "when": when}
    text = mail_text(mail)
    wishes = tr(locale, "Send birthday wishes, and say publicly that %(name)s should celebrate at home. %(write)s")
    assert wishes.split("%(name)s")[0].strip() in text
    assert "Send birthday wishes" not in text
    assert f'lang="{locale}"' in mail_text(mail, "html")


@pytest.mark.parametrize("locale", ["de", "fr", "pl", "lt"])
def test_a_digest_in_the_godparents_language(app, smtp_server, pairing_in, create_pairing, create_prisoner, locale):
    p = pairing_in(locale, detained_on=dt.date(2021, 12, 1))
    create_pairing(parliamentarian=p.parliamentarian, prisoner=create_prisoner(detained_on=dt.date(2022, 12, 1),
                   birth_date=None), started_on=None, created_at=utc(2020, 1, 1))
    db.session.add(ReminderPreference(parliamentarian_id=p.parliamentarian_id, is_digest=True, disabled_kinds=""))
    db.session.commit()
    plan(utc(2026, 11, 30, 22, 0))
    db.session.commit()
    deliver(utc(2026, 12, 1, 6, 5))
    [mail] = smtp_server.messages
    expected = tr(locale, ("%(num)s date for the prisoners you stand by", "%(num)s dates for the prisoners you stand by"),
                  n=2) % {"num": 2}
    assert subject(mail) == expected
    years = tr(locale, ("%(num)s year since %(name)s was arrested (%(date)s)",
                        "%(num)s years since %(name)s was arrested (%(date)s)"), n=5)
    assert years.split("%(")[0].strip() in mail_text(mail) or years.split(")s")[-1].split("(")[0].strip() in mail_text(mail)


@pytest.mark.parametrize("locale", ["de", "fr", "pl", "lt"])
def test_an_invitation_in_the_invitees_language(app, smtp_server, create_parliamentarian, create_prisoner, locale):
    from advocacy.matching.notifications import send_invitation
    from advocacy.pairings.models import Pairing, PairingStatus

    parl = create_parliamentarian(country=COUNTRY[locale], locale=None)
    prisoner = create_prisoner()
    pairing = Pairing(parliamentarian=parl, prisoner=prisoner, status=PairingStatus.INVITED, invited_at=utc(2026, 11, 24))
    db.session.add(pairing)
    db.session.flush()
    msg = send_invitation(pairing, now=utc(2026, 11, 24, 9))
    db.session.commit()
    english = "Will you stand by %(name)s, a political prisoner in Belarus?"
    assert msg.subject == tr(locale, english) % {"name": prisoner.name}
    assert f'lang="{locale}"' in msg.body_html
    assert "political prisoner" not in msg.body_text.lower()


def test_a_german_member_with_no_account_gets_german_mail_from_the_scheduler(app, smtp_server, pairing_in):
    """The scheduler is its own process, outside any request: run its two jobs in one."""
    pairing = pairing_in("de", birth_date=dt.date(1985, 12, 1))
    assert pairing.parliamentarian.locale is None
    db.session.commit()
    env = {**os.environ, "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MAIL_PORT": str(app.config["MAIL_PORT"]), "MAIL_SERVER": "127.0.0.1"}
    script = ("import datetime as dt\n"
              "from advocacy import create_app\n"
              "from advocacy.reminders.jobs import run_plan, run_deliver\n"
              "app = create_app('testing')\n"
              "run_plan(app, dt.datetime(2026, 11, 30, 22, 0, tzinfo=dt.timezone.utc))\n"
              "print(run_deliver(app, dt.datetime(2026, 12, 1, 6, 5, tzinfo=dt.timezone.utc)))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    [mail] = smtp_server.messages
    when = tr("de", "is today (%(date)s)") % {"date": "1. Dezember"}
    assert subject(mail) == tr("de", "%(name)s's birthday %(when)s") % {"name": pairing.prisoner.name, "when": when}
