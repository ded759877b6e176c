"""Emails of the adoption workflow, queued in the outbox: invitation, reminder of an open
invitation, thanks when a prisoner is freed (with an offer of another prisoner)."""
from advocacy.mail import external_url
from advocacy.outbox.models import OutboxKind, OutboxMessage
from advocacy.outbox.services import queue


def send_invitation(pairing, parts: dict | None = None, *, reminder=False, now=None) -> OutboxMessage:
    """Queue the invitation (or its day-14 reminder). Sent at once when queued by a request,
    else by the scheduler's sender; a failure is retried and shown in the outbox."""
    parl, prisoner = pairing.parliamentarian, pairing.prisoner
    subject = (f"Reminder: will you stand by {prisoner.name}?" if reminder
               else f"Will you stand by {prisoner.name}, a political prisoner in Belarus?")
    kind = OutboxKind.INVITATION_REMINDER if reminder else OutboxKind.INVITATION
    return queue(kind, "matching/invitation", subject=subject, recipient=parl.email, recipient_name=parl.full_name,
                 to_parliamentarian=parl, about_pairing=pairing, urgent=True,
                 key=f"invitation-reminder:{pairing.id}" if reminder else None, now=now, parl=parl, prisoner=prisoner, parts=parts or {},
                 reminder=reminder, link=external_url("matching.invitation", pairing_id=pairing.id))


def notify_pairings_ended_by_release(pairings, now) -> int:
    """Thank each godparent of a freed prisoner and offer them the best uncovered prisoners."""
    from advocacy.matching import scoring

    queued = 0
    for pairing in pairings:
        parl = pairing.parliamentarian
        pool = scoring.load_pool(now.date(), parliamentarian_ids=[parl.id], only_uncovered=True)
        offers = scoring.suggestions_for_parliamentarian(pool, scoring.settings().weights(), 0, limit=3) if pool.parls else []
        queue(OutboxKind.RELEASE_THANKS, "matching/thanks", subject=f"{pairing.prisoner.name} is free. Thank you.",
              recipient=parl.email, recipient_name=parl.full_name, to_parliamentarian=parl, about_pairing=pairing,
              key=f"thanks:{pairing.id}", urgent=True, now=now, parl=parl, pairing=pairing, offers=offers,
              portal=external_url("portal.index"))
        queued += 1
    return queued
