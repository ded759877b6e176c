"""Exports: every register for staff (private data included and marked), and a public-only
export that contains exactly what the public campaign page shows."""
import csv
import datetime as dt
import enum
import io
import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.pairings.models import Pairing
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Facility, KeyDate, Prisoner
from advocacy.public import services as public
from advocacy.statements.models import Statement
from advocacy.transfer.columns import SCHEMAS, guard_formula

BATCH = 1000


def _value(v):
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    return v


def _columns(model, exclude=("search_text",)):
    return [c.key for c in model.__mapper__.column_attrs if c.key not in exclude]


REGISTERS = {
    "prisoners": (Prisoner, lambda p: {"is_public": p.is_public, "facility_name": p.facility.name if p.facility else None}),
    "facilities": (Facility, None),
    "key_dates": (KeyDate, None),
    "parliamentarians": (Parliamentarian, None),
    "pairings": (Pairing, None),
    "statements": (Statement, None),
}

#: the registers' names on the export page (the file names keep the codes above)
REGISTER_LABELS = {
    "prisoners": _l("Prisoners"), "facilities": _l("Facilities"), "key_dates": _l("Key dates"),
    "parliamentarians": _l("Parliamentarians"), "pairings": _l("Pairings"), "statements": _l("Statements"),
}


def register_rows(name):
    """Rows of one register as dicts, streamed in batches (bounded memory, no N+1)."""
    model, extra = REGISTERS[name]
    cols = _columns(model)
    for obj in _in_batches(model):
        row = {c: _value(getattr(obj, c)) for c in cols}
        if extra:
            row.update(extra(obj))
        yield row


def _in_batches(model):
    """Every row of ``model`` by id, ``BATCH`` at a time (keyset; the session is emptied after
    each batch, so memory stays bounded on 100,000 rows)."""
    last_id = 0
    while True:
        stmt = select(model).where(model.id > last_id).order_by(model.id).limit(BATCH)
        if model is Prisoner:
            stmt = stmt.options(joinedload(Prisoner.facility))
        batch = db.session.scalars(stmt).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        db.session.expunge_all()


def header(name):
    model, extra = REGISTERS[name]
    cols = _columns(model)
    if model is Prisoner:
        cols += ["is_public", "facility_name"]
    return cols


def public_rows():
    """One row per public active pairing: what the campaign page shows, nothing more."""
    today = dt.date.today()
    stmt = public.public_pairings_select().options(joinedload(Pairing.prisoner), joinedload(Pairing.parliamentarian)) \
        .order_by(Prisoner.name, Pairing.id)
    for p in db.session.scalars(stmt):
        pr, m = p.prisoner, p.parliamentarian
        yield {
            "prisoner_id": pr.public_id, "prisoner_name": pr.name, "status": pr.status.value,
            "detained_on": _value(pr.detained_on), "days_detained": pr.days_detained(today),
            "sentence": pr.sentence_text, "humanitarian": pr.is_humanitarian,
            "godparent_id": m.id, "godparent_name": m.full_name, "godparent_country": m.country,
            "godparent_group": m.political_group, "godparent_since": _value(p.started_on),
        }


PUBLIC_HEADER = ["prisoner_id", "prisoner_name", "status", "detained_on", "days_detained", "sentence", "humanitarian",
                 "godparent_id", "godparent_name", "godparent_country", "godparent_group", "godparent_since"]


def public_statements():
    """Every public statement, newest first. Plain rows, not ORM objects: at 10x data (~100,000
    public statements) building objects and their joined pairing and prisoner was most of the
    export's first build."""
    stmt = (public.public_statements_select()
            .with_only_columns(Prisoner.public_id, Pairing.parliamentarian_id, Statement.made_on, Statement.kind,
                               Statement.title, Statement.url)
            .order_by(Statement.made_on.desc(), Statement.id.desc()))
    for public_id, godparent_id, made_on, kind, title, url in db.session.execute(stmt):
        yield {"prisoner_id": public_id, "godparent_id": godparent_id, "made_on": _value(made_on),
               "kind": _value(kind), "title": title, "url": url}


def public_json_document() -> str:
    """The public open-data export as one JSON document (pairings, then statements). Built with
    one ``json.dumps`` of whole lists: at 10x data (100,000 statements) a call per row was
    seconds of the first build after each public change."""
    return json.dumps({"generated_at": dt.datetime.now(dt.timezone.utc).isoformat(), "pairings": list(public_rows()),
                       "statements": list(public_statements())}, ensure_ascii=False)


def csv_safe(value):
    """Neutralise spreadsheet formulas (CSV injection): a cell starting with = + - @ or a tab
    gets a leading quote so Excel/LibreOffice show it as text (the import removes it again)."""
    return guard_formula(value) if isinstance(value, str) else value


def vocabulary_rows(name):
    """The prisoner or parliamentarian register as rows of the import's column vocabulary
    (advocacy.transfer.columns): what is exported here imports back unchanged."""
    schema = SCHEMAS[name]
    for obj in _in_batches(schema.model):
        yield schema.export_row(obj)


def stream_vocabulary_csv(name):
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(SCHEMAS[name].header)
    yield "\ufeff" + buf.getvalue()
    for row in vocabulary_rows(name):
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)  # cells are already formula-guarded by the columns
        yield buf.getvalue()


def stream_csv(fields, rows):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    yield "\ufeff" + buf.getvalue()
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow({k: csv_safe(v) for k, v in row.items()})
        yield buf.getvalue()


def stream_json(rows, key="items", extra=None):
    yield "{" + (f'"generated_at": {json.dumps(dt.datetime.now(dt.timezone.utc).isoformat())}, ') + f'"{key}": ['
    first = True
    for row in rows:
        yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]"
    if extra:
        for k, gen in extra.items():
            yield f', "{k}": ['
            first = True
            for row in gen:
                yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
                first = False
            yield "]"
    yield "}"
