"""iCalendar (RFC 5545) feeds built with the `icalendar` library."""
import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar, Event, vRecur
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload, selectinload

from advocacy.extensions import db
from advocacy.feeds.models import FeedToken
from advocacy.pairings.models import Pairing, PairingStatus
from advocacy.prisoners.models import IN_CUSTODY, Prisoner


MAX_FEEDS_PER_USER = 20


class FeedError(ValueError):
    """A request about feed addresses that cannot be met; the message is for the user."""


def feeds_of(user) -> list[FeedToken]:
    """The user's calendar addresses, newest first."""
    return db.session.scalars(select(FeedToken).where(FeedToken.user_id == user.id)
                              .order_by(FeedToken.created_at.desc(), FeedToken.id.desc())).all()


def create(user, name: str) -> str:
    """A new calendar address for one device or calendar app, named ``name``. Earlier addresses
    keep working. Returns the secret (shown once; only its hash is stored). Flushes."""
    name = (name or "").strip()
    if not name:
        raise FeedError(_("Give the device or calendar a name, e.g. \"Work phone\"."))
    if len(name) > 100:
        raise FeedError(_("Keep the name under 100 characters."))
    if db.session.scalar(select(func.count()).select_from(FeedToken).where(FeedToken.user_id == user.id)) >= MAX_FEEDS_PER_USER:
        raise FeedError(_("You already have %(num)s calendar addresses; revoke one you no longer use.", num=MAX_FEEDS_PER_USER))
    secret = FeedToken.new_secret()
    db.session.add(FeedToken(user_id=user.id, name=name, role=user.role, token_hash=FeedToken.hash(secret)))
    db.session.flush()
    return secret


def revoke(user, feed_id: int) -> FeedToken | None:
    """Delete one of ``user``'s addresses (the others keep working). None if it is not theirs. Flushes."""
    token = db.session.scalar(select(FeedToken).where(FeedToken.id == feed_id, FeedToken.user_id == user.id))
    if token is not None:
        db.session.delete(token)
        db.session.flush()
    return token


def revoke_all(user) -> int:
    """Delete every address of ``user`` (on deactivation or a change of role). Flushes."""
    count = db.session.execute(delete(FeedToken).where(FeedToken.user_id == user.id)).rowcount
    db.session.flush()
    return count


def user_for(secret: str, now: dt.datetime):
    """The owner of a live address, noting ``now`` as its last fetch; None for an unknown, revoked
    or dead one (account deactivated, or its role no longer the one the address was made for)."""
    token = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == FeedToken.hash(secret))
                              .options(joinedload(FeedToken.user)))
    if token is None or not token.user.is_active or token.user.role != token.role:
        return None
    token.last_used_at = now
    return token.user


def _prisoners_for(user):
    stmt = select(Prisoner).where(Prisoner.status.in_(IN_CUSTODY), Prisoner.is_archived.is_(False)) \
        .options(selectinload(Prisoner.key_dates))
    if not user.is_staff:
        stmt = stmt.where(Prisoner.id.in_(select(Pairing.prisoner_id).where(
            Pairing.parliamentarian_id == user.parliamentarian_id, Pairing.status == PairingStatus.ACTIVE)))
    return db.session.scalars(stmt.order_by(Prisoner.name)).all()


def _all_day(uid, day, summary, description, yearly=False):
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", dt.datetime.now(dt.timezone.utc))
    ev.add("dtstart", day)
    ev.add("dtend", day + dt.timedelta(days=1))
    ev.add("summary", summary)
    ev.add("description", description)
    ev.add("transp", "TRANSPARENT")
    if yearly:
        ev.add("rrule", vRecur(freq="yearly"))
    return ev


def feed_label(prisoner) -> str:
    """How a prisoner is named in a calendar feed. Calendar services fetch feeds from their own
    servers and keep them, so a private prisoner appears only under a code: initials and the id
    (``HT-17``), which staff and the godparent can look up in the app the entry links to."""
    if prisoner.is_public:
        return prisoner.name
    initials = "".join(word[0] for word in prisoner.name.split() if word[:1].isalpha())[:3].upper()
    return f"{initials or 'P'}-{prisoner.id}"


def calendar_for(user, base_url: str) -> bytes:
    """The user's feed, its texts in the user's language (their choice, else their
    parliamentarian's locale, else English): a calendar app fetches it without a browser's
    language."""
    from advocacy.i18n import mail_locale

    with mail_locale(user=user):
        return _calendar_for(user, base_url)


def _calendar_for(user, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//WeStandByYou campaign//advocacy//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("WeStandByYou: key dates") if user.is_staff else _("WeStandByYou: my prisoners"))
    cal.add("x-wr-timezone", "Europe/Minsk")
    host = base_url.split("//")[-1].split("/")[0] or "advocacy"
    for p in _prisoners_for(user):
        link = f"{base_url.rstrip('/')}/portal/prisoners/{p.id}" if not user.is_staff else f"{base_url.rstrip('/')}/prisoners/{p.id}"
        name, private = feed_label(p), not p.is_public
        if p.birth_date:
            # a private birthday recurs from 2000 (a leap year, for 29 February): no birth year leaves
            born = p.birth_date.replace(year=2000) if private else p.birth_date
            born_text = (_("%(name)s was born on this day. A card or a public wish helps.", name=name) if private else
                         _("%(name)s was born on this day in %(year)s. A card or a public wish helps.", name=name,
                           year=p.birth_date.year))
            cal.add_component(_all_day(f"birthday-{p.id}@{host}", born, _("Birthday: %(name)s", name=name),
                                       f"{born_text} {link}", yearly=True))
        if p.detained_on:
            cal.add_component(_all_day(f"arrest-{p.id}@{host}", p.detained_on, _("Anniversary of the arrest: %(name)s", name=name),
                                       _("%(name)s was detained on %(date)s.", name=name, date=p.detained_on.isoformat())
                                       + f" {link}", yearly=True))
        for kd in p.key_dates:
            summary = _("%(title)s: %(name)s", title=kd.title, name=name)
            # a private case's court, place and notes stay in the app: they can identify the person
            place = None if private else kd.place
            desc = (_("%(title)s for %(name)s at %(place)s", title=kd.title, name=name, place=place) if place
                    else _("%(title)s for %(name)s", title=kd.title, name=name)) + \
                (f". {kd.note}" if kd.note and not private else "") + f". {link}"
            if kd.occurs_at_time:
                ev = Event()
                ev.add("uid", f"keydate-{kd.id}@{host}")
                ev.add("dtstamp", dt.datetime.now(dt.timezone.utc))
                start = dt.datetime.combine(kd.occurs_on, kd.occurs_at_time, tzinfo=ZoneInfo("Europe/Minsk"))
                ev.add("dtstart", start)
                ev.add("dtend", start + dt.timedelta(hours=2))
                ev.add("summary", summary)
                ev.add("description", desc)
                if place:
                    ev.add("location", place)
                if kd.is_yearly:
                    ev.add("rrule", vRecur(freq="yearly"))
                cal.add_component(ev)
            else:
                ev = _all_day(f"keydate-{kd.id}@{host}", kd.occurs_on, summary, desc, yearly=kd.is_yearly)
                if place:
                    ev.add("location", place)
                cal.add_component(ev)
    return cal.to_ical()
