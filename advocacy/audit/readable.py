"""The audit log as people read it: object names instead of class names and ids, field labels
instead of column names, referenced records by name, enum labels, dates and times formatted
(times in the viewer's zone). Works for any model marked ``__audited__``, including ones added
later: a model may set ``__audit_label__`` (its name in the log) and ``__audit_fields__`` (labels
for some columns); everything else is derived.

Loads what one page shows in a fixed number of queries: one per kind of object named on it.
"""
import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _, pgettext
from sqlalchemy import Enum as SAEnum, String, inspect, or_, select

from advocacy.extensions import db
from advocacy.i18n import format_date
from advocacy.templating import format_datetime

#: columns whose value names the record, tried in this order
NAME_COLUMNS = ("name", "full_name", "title", "email")
#: words spelled in capitals in labels
ACRONYMS = {"api": "API", "url": "URL", "id": "ID", "mep": "MEP", "iana": "IANA"}


def audited_models() -> dict[str, type]:
    return {m.class_.__name__: m.class_ for m in db.Model.registry.mappers if getattr(m.class_, "__audited__", False)}


def _known(label: str) -> str:
    """A label derived from a class or column name, translated when the catalogues hold the same
    English text (most do: they are form labels too); otherwise the English label. Derived labels
    cannot be extracted, so this is best effort; ``__audit_label__``/``__audit_fields__`` given
    as lazy strings are translated fully."""
    return _(label) if label else label


def _numbered(type_name: str, ident) -> str:
    return _("%(type)s #%(id)s", type=type_label(type_name), id=ident)


def _words(text: str) -> str:
    words = [ACRONYMS.get(w.lower(), w) for w in text.split()]
    if not words:
        return text
    first = words[0] if words[0] in ACRONYMS.values() else words[0].capitalize()
    return " ".join([first] + [w if w in ACRONYMS.values() else w.lower() for w in words[1:]])


def type_label(object_type: str) -> str:
    """"KeyDate" → "Key date" (or the model's ``__audit_label__``)."""
    model = audited_models().get(object_type)
    if model is not None and getattr(model, "__audit_label__", None):
        return str(model.__audit_label__)
    return _known(_words(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", object_type)))


def field_label(model, key: str) -> str:
    """"parliamentarian_id" → "Parliamentarian", "is_public" → "Public", "detained_on" → "Detained on"."""
    labels = getattr(model, "__audit_fields__", {}) if model is not None else {}
    if key in labels:
        return str(labels[key])
    text = key
    if text.endswith("_id") and model is not None and _foreign_target(model, key) is not None:
        text = text[:-3]
    if text.startswith("is_"):
        text = text[3:]
    return _known(_words(text.replace("_", " ")))


def _column(model, key):
    try:
        return model.__table__.columns[key] if model is not None else None
    except KeyError:
        return None


def _foreign_target(model, key):
    """The mapped class a foreign-key column points at, if any."""
    col = _column(model, key)
    if col is None or not col.foreign_keys:
        return None
    table = next(iter(col.foreign_keys)).column.table
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def _name_column(model):
    for name in NAME_COLUMNS:
        col = _column(model, name)
        if col is not None and isinstance(col.type, String):
            return col
    return None


def _display_name(obj) -> str:
    if type(obj).__str__ is not object.__str__:
        return str(obj)
    for name in NAME_COLUMNS:
        if getattr(obj, name, None):
            return str(getattr(obj, name))
    return _numbered(type(obj).__name__, inspect(obj).identity[0])


def _names(wanted: dict[type, set[int]]) -> dict[tuple[type, int], str]:
    """Names of the records in ``wanted`` (one query per class)."""
    found = {}
    for model, ids in wanted.items():
        ids = {i for i in ids if isinstance(i, int)}
        if not ids:
            continue
        pk = inspect(model).primary_key[0]
        for obj in db.session.scalars(select(model).where(pk.in_(ids))):
            found[(model, inspect(obj).identity[0])] = _display_name(obj)
    return found


def _enum_class(model, key):
    col = _column(model, key)
    if col is not None and isinstance(col.type, SAEnum) and isinstance(col.type.enum_class, type) \
            and issubclass(col.type.enum_class, enum.Enum):
        return col.type.enum_class
    return None


def _value(model, key, value, names) -> str:
    if value is None or value == "":
        return "—"
    target = _foreign_target(model, key)
    if target is not None:
        return names.get((target, value)) or _numbered(target.__name__, value)
    enum_cls = _enum_class(model, key)
    if enum_cls is not None:
        try:
            member = enum_cls(value)
            return str(getattr(member, "label", member.value))
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return pgettext("audit value", "yes") if value else pgettext("audit value", "no")
    col = _column(model, key)
    if isinstance(value, str) and col is not None:
        try:
            if getattr(col.type, "python_type", None) is dt.datetime or col.type.__class__.__name__ == "UTCDateTime":
                return format_datetime(dt.datetime.fromisoformat(value))
            if col.type.python_type is dt.date:
                return format_date(dt.date.fromisoformat(value))
        except (NotImplementedError, ValueError):
            pass
    return str(value)


@dataclass
class Change:
    label: str
    old: str | None
    new: str | None


@dataclass
class Entry:
    entry: object
    type_label: str
    object_name: str
    is_gone: bool
    changes: list[Change] = field(default_factory=list)


def readable(entries) -> list[Entry]:
    """Entries with names and labels, for the audit pages."""
    models = audited_models()
    wanted: dict[type, set[int]] = {}
    for e in entries:
        model = models.get(e.object_type)
        if model is None:
            continue
        wanted.setdefault(model, set()).add(e.object_id)
        for key, (old, new) in (e.changes or {}).items():
            target = _foreign_target(model, key)
            if target is not None:
                wanted.setdefault(target, set()).update(v for v in (old, new) if v is not None)
    names = _names(wanted)
    out = []
    for e in entries:
        model = models.get(e.object_type)
        name = names.get((model, e.object_id)) if model is not None else None
        gone = name is None
        if gone:  # deleted since: the entry itself may still hold its name
            for key in NAME_COLUMNS:
                pair = (e.changes or {}).get(key)
                if pair and (pair[0] or pair[1]):
                    name = pair[0] or pair[1]
                    break
            name = name or _numbered(e.object_type, e.object_id)
        changes = [Change(field_label(model, key), None if old is None else _value(model, key, old, names),
                          None if new is None else _value(model, key, new, names))
                   for key, (old, new) in (e.changes or {}).items()]
        changes.sort(key=lambda c: c.label)
        out.append(Entry(e, type_label(e.object_type), name, gone, changes))
    return out


def objects_named(text: str, object_type: str | None = None):
    """A condition on AuditEntry: the object is (one of the types) whose name contains ``text``."""
    from advocacy.audit.models import AuditEntry

    conditions = []
    for type_name, model in audited_models().items():
        if object_type and type_name != object_type:
            continue
        col = _name_column(model)
        if col is None:
            continue
        pk = inspect(model).primary_key[0]
        ids = select(pk).where(col.icontains(text, autoescape=True))
        conditions.append((AuditEntry.object_type == type_name) & AuditEntry.object_id.in_(ids))
    return or_(*conditions) if conditions else AuditEntry.id.is_(None)
