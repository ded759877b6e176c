"""The matching engine's answers to domain events (see ``advocacy.events``): the mail each
way a pairing can end calls for."""
from advocacy import events
from advocacy.pairings.models import EndReason


@events.pairing_ended.connect
def mail_the_godparent(pairing, reason=None, now=None, **_):
    from advocacy.matching import notifications

    if pairing.started_on is None:  # an invitation that was never accepted: nothing to thank for
        return
    if reason in (EndReason.PRISONER_RELEASED, EndReason.PRISONER_DEPORTED):
        notifications.queue_release_thanks(pairing, now=now)
    elif reason == EndReason.PRISONER_DIED:
        notifications.queue_condolence(pairing, now=now)
    elif reason == EndReason.MANDATE_ENDED:
        notifications.queue_handover_notice(pairing, now=now)
