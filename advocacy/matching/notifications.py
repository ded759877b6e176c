"""Emails of the adoption workflow: invitation, reminder of an open invitation, thanks when a
prisoner is freed (with an offer of another prisoner)."""
import logging
import smtplib

from advocacy.mail import build_message, external_url, send_now

log = logging.getLogger(__name__)
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def _send(message) -> bool:
    try:
        send_now(message)
        return True
    except MAIL_ERRORS as exc:  # the pairing stays; staff see "not sent" and can resend
        log.warning("could not send %s: %r", message.subject, exc)
        return False


def send_invitation(pairing, parts: dict | None = None, *, reminder=False) -> bool:
    parl, prisoner = pairing.parliamentarian, pairing.prisoner
    if not parl.email:
        return False
    subject = (f"Reminder: will you stand by {prisoner.name}?" if reminder
               else f"Will you stand by {prisoner.name}, a political prisoner in Belarus?")
    return _send(build_message("matching/invitation", subject=subject, recipient=parl.email, parl=parl,
                               prisoner=prisoner, parts=parts or {}, reminder=reminder,
                               link=external_url("matching.invitation", pairing_id=pairing.id)))


def notify_pairings_ended_by_release(pairings, now) -> int:
    """Thank each godparent of a freed prisoner and offer them the best uncovered prisoners."""
    from advocacy.matching import scoring

    sent = 0
    for pairing in pairings:
        parl = pairing.parliamentarian
        if not parl.email:
            continue
        pool = scoring.load_pool(now.date(), parliamentarian_ids=[parl.id], only_uncovered=True)
        offers = scoring.suggestions_for_parliamentarian(pool, scoring.settings().weights(), 0, limit=3) if pool.parls else []
        sent += _send(build_message("matching/thanks", subject=f"{pairing.prisoner.name} is free. Thank you.",
                                    recipient=parl.email, parl=parl, pairing=pairing, offers=offers,
                                    portal=external_url("portal.index")))
    return sent
