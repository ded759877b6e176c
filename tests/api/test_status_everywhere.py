"""One status service: a status set from the staff form, the API or an import has the same
effects: pairings end, their unsent reminders are cancelled, the right mail is queued."""
import ast
import datetime as dt
import pathlib

import pytest

from advocacy.extensions import db
from advocacy.outbox.models import OutboxKind, OutboxMessage
from advocacy.pairings.models import EndReason, PairingStatus
from advocacy.reminders.models import Reminder, ReminderStatus
from advocacy.reminders.planner import plan
from advocacy.transfer import services as transfer

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture()
def adopted(create_prisoner, create_parliamentarian, create_pairing):
    """A prisoner in custody with an active godparent and reminders planned ahead."""
    prisoner = create_prisoner(name="Mikalai Statkevich", source_id="viasna-77", detained_on=dt.date(2020, 12, 5),
                               birth_date=dt.date(1956, 12, 12))
    pairing = create_pairing(prisoner=prisoner, parliamentarian=create_parliamentarian(), status=PairingStatus.ACTIVE,
                             started_on=dt.date(2024, 1, 1), created_at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    plan(NOW)
    db.session.commit()
    assert _open_reminders(pairing)
    return pairing


def _open_reminders(pairing):
    return db.session.scalars(db.select(Reminder).where(
        Reminder.pairing_id == pairing.id, Reminder.status.in_((ReminderStatus.PLANNED, ReminderStatus.QUEUED)))).all()


def _mail(kind):
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def _assert_released(pairing):
    db.session.expire_all()
    assert pairing.status == PairingStatus.ENDED and pairing.end_reason == EndReason.PRISONER_RELEASED
    assert _open_reminders(pairing) == []
    cancelled = db.session.scalars(db.select(Reminder).where(Reminder.pairing_id == pairing.id)).all()
    assert cancelled and all("no longer active" in r.status_reason for r in cancelled)
    thanks = _mail(OutboxKind.RELEASE_THANKS)
    assert len(thanks) == 1 and thanks[0].pairing_id == pairing.id and "is free" in thanks[0].subject


def test_release_from_the_staff_form(client, login_as, adopted):
    login_as("staff")
    resp = client.post(f"/prisoners/{adopted.prisoner_id}/status",
                       data={"status": "released", "changed_on": "2026-11-19", "note": "freed"})
    assert resp.status_code == 302
    _assert_released(adopted)


def test_release_through_the_api_patch(api, adopted):
    resp = api.patch(f"/prisoners/{adopted.prisoner_id}", json={"status": "released", "status_on": "2026-11-19"})
    assert resp.status_code == 200, resp.get_json()
    _assert_released(adopted)


def test_release_through_an_import(adopted):
    csv = ("name,source_id,status,detained_on\n"
           "Mikalai Statkevich,viasna-77,released,2020-12-05\n").encode()
    report = transfer.run("prisoners", csv, write=True)
    db.session.commit()
    assert report.summary()["update"] == 1
    _assert_released(adopted)


def test_a_death_sends_condolence_not_thanks(client, login_as, adopted, smtp_server):
    login_as("staff")
    client.post(f"/prisoners/{adopted.prisoner_id}/status",
                data={"status": "deceased", "changed_on": "2026-11-19", "note": ""})
    db.session.expire_all()
    assert adopted.end_reason == EndReason.PRISONER_DIED and _open_reminders(adopted) == []
    assert _mail(OutboxKind.RELEASE_THANKS) == []
    assert len(_mail(OutboxKind.CONDOLENCE)) == 1
    subjects = [m["message"]["Subject"] for m in smtp_server.messages]
    assert subjects == ["Sad news about Mikalai Statkevich"]
    assert not any("Thank you" in s or "is free" in s for s in subjects)


def test_moving_between_pre_trial_and_sentenced_keeps_the_pairing(api, adopted):
    assert api.patch(f"/prisoners/{adopted.prisoner_id}", json={"status": "pre_trial"}).status_code == 200
    db.session.expire_all()
    assert adopted.status == PairingStatus.ACTIVE and _open_reminders(adopted)
    assert _mail(OutboxKind.RELEASE_THANKS) == []


RECORDS = ("prisoners", "parliamentarians", "pairings", "statements")


def test_records_never_import_the_engines():
    root = pathlib.Path(__file__).resolve().parents[2] / "advocacy"
    offenders = []
    for record in RECORDS:
        for path in (root / record).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                for name in names:
                    if name.startswith(("advocacy.matching", "advocacy.reminders")):
                        offenders.append(f"{path.relative_to(root)}: {name}")
    assert offenders == []
