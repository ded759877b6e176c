"""Column types shared by every feature."""
import datetime as dt
import enum

from sqlalchemy import DateTime, Enum, TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every backend.

    PostgreSQL stores ``timestamptz``; SQLite stores naive UTC text. Either way Python code
    gets an aware datetime in UTC back, and a naive value is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        value = value.astimezone(dt.timezone.utc)
        if dialect.name == "sqlite":
            value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def enum_type(enum_cls: type[enum.Enum], length: int = 32) -> Enum:
    """A Python enum stored as its string value (no native DB enum, easy to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a human label: ``Status.SENTENCED.label``, and, where a
    sentence names them, the form a sentence uses (``in_sentence``: "sentenced", lower case in
    English; each language decides its own, so code never lower-cases a translated label)."""

    def __new__(cls, value, label=None, in_sentence=None):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label or value.replace("_", " ").capitalize()
        obj.in_sentence = in_sentence if in_sentence is not None else obj.label
        return obj

    @classmethod
    def choices(cls):
        return [(m.value, m.label) for m in cls]

    def __str__(self):
        return self.value
