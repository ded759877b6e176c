"""Name search across spellings and scripts, the same for every register.

How a person is ranked for a query (each query word is compared with every stored word of the
person, see advocacy.names.models.NameVariant):

* a word scores the best of: trigram similarity of the words; 0.95 × trigram similarity of
  their phonetic keys (so Kolesnikova ~ Kalesnikava scores 0.95); 0.9 when the stored word
  starts with the typed one (at least 3 letters: "Kales");
* the person's score is the mean over the query words of their best word score;
* **exact matches first**: a person all of whose query words equal a word staff typed for them
  (case, diacritics and soft signs ignored) ranks above every approximate match;
* people below ``MIN_SCORE`` are left out.

PostgreSQL computes this with pg_trgm (``similarity``, the ``%`` operator and its GIN
indexes); SQLite with the same SQL, ``similarity`` being a Python function that reproduces
pg_trgm exactly (advocacy.names.variants.trigram_similarity), so both rank alike.
"""
import sqlite3

from sqlalchemy import and_, case, event, func, inspect, literal, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from advocacy.extensions import db
from advocacy.names import variants
from advocacy.names.models import NameVariant

#: how similar two keys must be to be compared at all: PostgreSQL's
#: ``pg_trgm.similarity_threshold`` (used by ``%``, set on every connection), applied the same
#: way on SQLite. pg_trgm's default 0.3 let "-evich" alone bring in thousands of rows.
SIMILARITY_THRESHOLD = 0.4
#: the mean word score below which a person is not a match
MIN_SCORE = 0.45
KEY_WEIGHT = 0.95
PREFIX_SCORE = 0.9
#: longer queries are cut to their first words (a name rarely has more)
MAX_QUERY_WORDS = 6


def query_words(query: str | None) -> list[list[str]]:
    """For each word of the query, the folded forms it is compared by (plain ASCII first)."""
    plain = variants.words(query)[:MAX_QUERY_WORDS]
    if not plain:
        return []
    digraph = variants.words(variants.digraphs(query or ""))[:MAX_QUERY_WORDS]
    out = []
    for i, w in enumerate(plain):
        forms = [w]
        if len(digraph) == len(plain) and digraph[i] != w:
            forms.append(digraph[i])
        out.append(forms)
    return out


def ranked(query: str | None, owner: str):
    """A subquery ``(owner_id, exact, score)`` of the prisoners (``owner="prisoner"``) or
    parliamentarians (``"parliamentarian"``) matching ``query``, or None for an empty query."""
    tokens = query_words(query)
    if not tokens:
        return None
    owner_col = {"prisoner": NameVariant.prisoner_id, "parliamentarian": NameVariant.parliamentarian_id}[owner]
    on_postgres = db.session.get_bind().dialect.name == "postgresql"
    branches = []
    for i, forms in enumerate(tokens):
        for t in forms:
            k = variants.key(t)
            word_sim = func.similarity(NameVariant.word, t)
            key_sim = func.similarity(NameVariant.key, k)
            # Candidates: similar keys (the key is the word, normalised: what is similar as a
            # word is similar as a key) or the typed beginning of a word. One trigram index
            # look-up per query word keeps PostgreSQL fast; scores still use both similarities.
            candidate = NameVariant.key.op("%")(k) if on_postgres else key_sim >= SIMILARITY_THRESHOLD
            scores = [word_sim, key_sim * KEY_WEIGHT]
            if len(t) >= 3:
                prefix = NameVariant.word.like(t + "%")
                candidate = or_(candidate, prefix)
                scores.append(case((prefix, PREFIX_SCORE), else_=0.0))
            exact = case((and_(NameVariant.is_given.is_(True), NameVariant.word == forms[0]), 1), else_=0)
            branches.append(
                select(owner_col.label("owner_id"), literal(i).label("i"),
                       func.greatest(*scores).label("score"), exact.label("exact"))
                .where(owner_col.is_not(None), candidate))
    hits = union_all(*branches).subquery("hits")
    per_word = (select(hits.c.owner_id, hits.c.i, func.max(hits.c.score).label("score"),
                       func.max(hits.c.exact).label("exact"))
                .group_by(hits.c.owner_id, hits.c.i).subquery("per_word"))
    n = len(tokens)
    score = func.sum(per_word.c.score) / n
    all_exact = func.sum(per_word.c.exact) == n
    return (select(per_word.c.owner_id, case((all_exact, 1), else_=0).label("exact"), score.label("score"))
            .group_by(per_word.c.owner_id)
            .having(or_(score >= MIN_SCORE, all_exact))
            .subquery("ranked"))


def apply(stmt, query: str | None, model, owner: str):
    """``stmt`` (a select of ``model``) narrowed to the people matching ``query``, best first.
    Callers that sort by something else replace the order (``.order_by(None)``)."""
    rank = ranked(query, owner)
    if rank is None:
        return stmt
    return (stmt.join(rank, rank.c.owner_id == model.id)
            .order_by(rank.c.exact.desc(), rank.c.score.desc()))


def refresh(person) -> None:
    """Rebuild ``person.name_variants`` from its typed spellings. Called on every flush that
    adds a person or changes a name field; idempotent."""
    person.name_variants = [NameVariant(**row) for row in variants.variant_rows(person.spellings)]


def bulk_index(model, people: list) -> None:
    """The search spellings of people inserted in bulk (imports), given as (id, object) pairs:
    the same rows ``refresh`` makes on a normal save. Flushes."""
    from advocacy.sql import insert_ignore_rows  # COPY on PostgreSQL: a 100,000-row import stays fast

    owner = "prisoner_id" if model.__tablename__ == "prisoners" else "parliamentarian_id"
    rows = [{**row, owner: pid} for pid, person in people for row in variants.variant_rows(person.spellings)]
    insert_ignore_rows(NameVariant, rows)


def _before_flush(session, flush_context, instances):
    for obj in [*session.new, *session.dirty]:
        fields = getattr(type(obj), "__name_fields__", None)
        if not fields:
            continue
        state = inspect(obj)
        if state.pending or any(state.attrs[f].history.has_changes() for f in fields):
            refresh(obj)


def _on_connect(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("psycopg"):
        with dbapi_connection.cursor() as cur:
            # A placeholder until pg_trgm is loaded, then its setting; SET is transactional.
            cur.execute(f"SET pg_trgm.similarity_threshold = {float(SIMILARITY_THRESHOLD)}")
        dbapi_connection.commit()
    elif isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("similarity", 2, variants.trigram_similarity, deterministic=True)
        dbapi_connection.create_function("greatest", -1, lambda *a: max(x for x in a if x is not None),
                                         deterministic=True)


def install() -> None:
    """Keep name variants current on every session, set the similarity threshold on PostgreSQL
    connections and give SQLite pg_trgm's functions (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
