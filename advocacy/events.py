"""Domain events: how the records tell the engines that something happened.

The records (prisoners, parliamentarians, pairings, statements) know nothing of the engines
(reminders, matching, the outbox's notices). When something happens that the engines act on,
the record's service sends an event here, inside the same transaction; each engine connects
its own receiver when it is imported (``create_app`` imports them all). So a release recorded
from the staff form, the API or an import has the same effects.

Receivers flush and never commit: the caller of the service commits once.
"""
from blinker import Namespace

_signals = Namespace()

#: sender: the ended Pairing; kwargs: reason (EndReason), now (aware UTC datetime or None)
pairing_ended = _signals.signal("pairing-ended")

#: sender: the Prisoner; kwargs: old and new (PrisonerStatus), on (date), ended (list of Pairing)
prisoner_status_changed = _signals.signal("prisoner-status-changed")
