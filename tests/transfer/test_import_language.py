"""What an import job stores for staff to read (row errors, notes, why a file was refused) is
written in the language of the staff member who started the import, also when the scheduler
runs the job (no request) and whoever looks at it later."""
import io

import flask_babel

from advocacy.extensions import db
from advocacy.transfer import jobs, services
from advocacy.transfer.models import ImportBatch, ImportRow
from tests.i18n import pseudo


def _queue(user, content: bytes) -> str:
    batch = jobs.create_batch(kind="prisoners", source="test", filename="x.csv", stream=io.BytesIO(content),
                              options={}, user_id=user.id)
    db.session.commit()
    return batch.id


def test_a_job_writes_its_report_in_the_language_of_whoever_started_the_import(create_user, monkeypatch):
    seen = {}
    run = services.run

    def spy(*args, **kw):
        seen[kw.get("write")] = str(flask_babel.get_locale())
        return run(*args, **kw)

    monkeypatch.setattr(services, "run", spy)
    pseudo.install(monkeypatch)
    german = create_user(email="de@example.org", locale="de")
    batch_id = _queue(german, b"name,source_id,birth_date\nA,s-1,1980-13-45\n")
    assert jobs.run_jobs() == 1  # as the scheduler does: no request
    assert seen == {False: "de"}
    [row] = db.session.scalars(db.select(ImportRow).where(ImportRow.batch_id == batch_id)).all()
    assert row.error.startswith("⟦") and "1980-13-45" in row.error  # through gettext, stored translated

    undecided = create_user(email="nobody@example.org", locale=None)
    batch_id = _queue(undecided, b"nothing here\n")
    jobs.run_jobs()
    assert seen == {False: "en"}
    assert db.session.get(ImportBatch, batch_id).error.startswith("⟦")
