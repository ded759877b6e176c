import datetime as dt

import pytest

from advocacy.extensions import db
from advocacy.pairings import services
from advocacy.pairings.models import EndReason, PairingStatus
from advocacy.prisoners.models import PrisonerStatus

TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc)


def test_no_two_open_pairings_of_the_same_pair(create_parliamentarian, create_prisoner):
    mep, prisoner = create_parliamentarian(), create_prisoner()
    services.create_pairing(mep, prisoner, today=TODAY)
    db.session.commit()
    with pytest.raises(services.PairingError, match="already has an open pairing"):
        services.create_pairing(mep, prisoner, today=TODAY)


def test_a_prisoner_may_have_several_godparents(create_parliamentarian, create_prisoner):
    prisoner = create_prisoner()
    services.create_pairing(create_parliamentarian(), prisoner, today=TODAY)
    services.create_pairing(create_parliamentarian(), prisoner, today=TODAY)
    db.session.commit()
    assert len(prisoner.pairings) == 2


def test_database_refuses_duplicate_open_pairing_even_without_the_check(create_pairing):
    from sqlalchemy.exc import IntegrityError

    from advocacy.pairings.models import Pairing

    p = create_pairing()
    db.session.add(Pairing(parliamentarian_id=p.parliamentarian_id, prisoner_id=p.prisoner_id,
                           status=PairingStatus.INVITED))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_ended_pair_can_be_paired_again(create_pairing):
    p = create_pairing()
    services.end_pairing(p, reason=EndReason.WITHDREW, on=TODAY)
    again = services.create_pairing(p.parliamentarian, p.prisoner, today=TODAY)
    db.session.commit()
    assert again.status == PairingStatus.ACTIVE
    assert services.ever_paired(p.parliamentarian_id, p.prisoner_id)


def test_released_prisoner_gets_no_new_pairing(create_parliamentarian, create_prisoner):
    prisoner = create_prisoner(status=PrisonerStatus.RELEASED)
    with pytest.raises(services.PairingError, match="not in custody"):
        services.create_pairing(create_parliamentarian(), prisoner, today=TODAY)


def test_invitation_accept_and_decline(create_parliamentarian, create_prisoner):
    prisoner = create_prisoner()
    inv = services.create_pairing(create_parliamentarian(), prisoner, today=TODAY, status=PairingStatus.INVITED, now=NOW)
    services.accept_invitation(inv, now=NOW)
    assert inv.status == PairingStatus.ACTIVE and inv.started_on == TODAY
    with pytest.raises(services.PairingError):
        services.decline_invitation(inv, now=NOW)
    inv2 = services.create_pairing(create_parliamentarian(), prisoner, today=TODAY, status=PairingStatus.INVITED, now=NOW)
    services.decline_invitation(inv2, now=NOW, reason="Too busy")
    assert inv2.status == PairingStatus.DECLINED and inv2.decline_reason == "Too busy"


def test_cannot_end_twice_or_before_start(create_pairing):
    p = create_pairing(started_on=TODAY)
    with pytest.raises(services.PairingError, match="before it started"):
        services.end_pairing(p, reason=EndReason.OTHER, on=TODAY - dt.timedelta(days=1))
    services.end_pairing(p, reason=EndReason.MANDATE_ENDED, on=TODAY)
    with pytest.raises(services.PairingError, match="already ended"):
        services.end_pairing(p, reason=EndReason.OTHER, on=TODAY)
