"""Emails of the adoption workflow, queued in the outbox: invitation, reminder of an open
invitation, thanks when a prisoner is freed (with an offer of another prisoner)."""
import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.mail import external_url
from advocacy.outbox.models import OutboxKind, OutboxMessage
from advocacy.outbox.services import queue


def send_invitation(pairing, parts: dict | None = None, *, reminder=False, now=None) -> OutboxMessage:
    """Queue the invitation (or its day-14 reminder, with a fresh link). Sent at once when
    queued by a request, else by the scheduler's sender; a failure is retried and shown in the
    outbox. The link works without an account (``matching.links``)."""
    from advocacy.matching.links import invitation_link
    from advocacy.matching.services import next_hearing

    now = now or utcnow()
    parl, prisoner = pairing.parliamentarian, pairing.prisoner
    subject = (_l("Reminder: will you stand by %(name)s?", name=prisoner.name) if reminder
               else _l("Will you stand by %(name)s, a political prisoner in Belarus?", name=prisoner.name))
    kind = OutboxKind.INVITATION_REMINDER if reminder else OutboxKind.INVITATION
    return queue(kind, "matching/invitation", subject=subject, recipient=parl.email, recipient_name=parl.full_name,
                 to_parliamentarian=parl, about_pairing=pairing, urgent=True,
                 key=f"invitation-reminder:{pairing.id}" if reminder else None, now=now,
                 parl=parl, prisoner=prisoner, parts=parts or {}, reminder=reminder, today=now.date(),
                 next_hearing=next_hearing(prisoner, now.date()),
                 link=invitation_link(pairing), accept_link=invitation_link(pairing, "accept"),
                 decline_link=invitation_link(pairing, "decline"),
                 contact=current_app.config["CAMPAIGN_CONTACT_EMAIL"],
                 expires_on=(pairing.invited_at or now).date() + dt.timedelta(days=28))


def queue_release_thanks(pairing, now=None) -> OutboxMessage:
    """Thank the godparent of a freed prisoner and offer them the best uncovered prisoners."""
    from advocacy.matching import scoring

    now = now or utcnow()
    parl = pairing.parliamentarian
    pool = scoring.load_pool(now.date(), parliamentarian_ids=[parl.id], only_uncovered=True)
    offers = scoring.suggestions_for_parliamentarian(pool, scoring.settings().weights(), 0, limit=3) if pool.parls else []
    return queue(OutboxKind.RELEASE_THANKS, "matching/thanks", subject=_l("%(name)s is free. Thank you.", name=pairing.prisoner.name),
                 recipient=parl.email, recipient_name=parl.full_name, to_parliamentarian=parl, about_pairing=pairing,
                 key=f"thanks:{pairing.id}", urgent=True, now=now, parl=parl, pairing=pairing, offers=offers,
                 portal=external_url("portal.index"))


def queue_condolence(pairing, now=None) -> OutboxMessage:
    """Tell the godparent of a prisoner who died, with what they can still do. No thanks, no
    offer of another prisoner in the same mail."""
    parl, prisoner = pairing.parliamentarian, pairing.prisoner
    return queue(OutboxKind.CONDOLENCE, "matching/condolence", subject=_l("Sad news about %(name)s", name=prisoner.name),
                 recipient=parl.email, recipient_name=parl.full_name, to_parliamentarian=parl, about_pairing=pairing,
                 key=f"condolence:{pairing.id}", urgent=True, now=now, parl=parl, prisoner=prisoner, pairing=pairing,
                 contact=current_app.config["CAMPAIGN_CONTACT_EMAIL"], portal=external_url("portal.index"))


def queue_handover_notice(pairing, now=None) -> OutboxMessage:
    """Tell a godparent whose mandate ended that the adoption ended and who takes over."""
    from sqlalchemy import select

    from advocacy.pairings.models import Pairing, PairingStatus

    parl, prisoner = pairing.parliamentarian, pairing.prisoner
    successor = db.session.scalar(
        select(Pairing).where(Pairing.prisoner_id == prisoner.id, Pairing.id != pairing.id,
                              Pairing.status.in_((PairingStatus.INVITED, PairingStatus.ACTIVE)))
        .order_by(Pairing.id.desc()).limit(1))
    return queue(OutboxKind.HANDOVER, "matching/handover_notice",
                 subject=_l("Your mandate has ended: handing over %(name)s's case", name=prisoner.name),
                 recipient=parl.email, recipient_name=parl.full_name, to_parliamentarian=parl, about_pairing=pairing,
                 key=f"handover:{pairing.id}", urgent=True, now=now, parl=parl, prisoner=prisoner,
                 successor=successor.parliamentarian if successor else None,
                 contact=current_app.config["CAMPAIGN_CONTACT_EMAIL"])
