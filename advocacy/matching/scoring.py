"""Scores for (parliamentarian, prisoner) pairs, made of named parts staff can read.

``Pool`` loads everyone who can be matched in a fixed number of queries; ``score_matrix``
computes every pair's score at once with numpy; ``explain`` gives one pair's parts.
A pair that was ever paired (active, invited, declined or ended) is never suggested again.
"""
import dataclasses
import datetime as dt

import re

import numpy as np
from flask_babel import format_decimal, gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import func, select

from advocacy.extensions import db
from advocacy.matching.models import GodparentCapacity, MatchingSettings, PrisonerLink, WEIGHTS
from advocacy.pairings.models import OPEN_STATUSES, Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import IN_CUSTODY, Prisoner
from advocacy.text import fold, split_csv

#: occupation keywords → committees whose members have an affinity with it
AFFINITY = {
    "journalist": ("CULT", "LIBE"), "media": ("CULT",), "editor": ("CULT",), "blogger": ("CULT",),
    "photographer": ("CULT",), "writer": ("CULT",), "poet": ("CULT",), "musician": ("CULT",), "artist": ("CULT",),
    "lawyer": ("JURI", "LIBE"), "attorney": ("JURI",), "advocate": ("JURI",), "judge": ("JURI",),
    "trade union": ("EMPL",), "unionist": ("EMPL",), "worker": ("EMPL",),
    "human rights": ("DROI", "LIBE"), "activist": ("DROI", "AFET"), "politician": ("AFET", "AFCO"),
    "doctor": ("SANT", "ENVI"), "nurse": ("SANT",), "teacher": ("CULT",), "student": ("CULT",),
    "scientist": ("ITRE", "CULT"), "it ": ("ITRE",), "programmer": ("ITRE",), "entrepreneur": ("ITRE", "IMCO"),
    "priest": ("DROI",), "pastor": ("DROI",), "environment": ("ENVI",), "ecolog": ("ENVI",),
}


def settings() -> MatchingSettings:
    """The saved settings, or (none saved yet) the defaults as an unsaved object: reading them
    writes nothing, so a GET never inserts a row (nor an audit entry) only to roll it back.
    The settings page adds the object to the session when staff save it."""
    s = db.session.scalar(select(MatchingSettings).order_by(MatchingSettings.id).limit(1))
    if s is None:
        s = MatchingSettings(**{a: d for a, _, d, _ in WEIGHTS}, default_capacity=1)
    return s


def affine_committees(occupation: str | None) -> set[str]:
    occ = f" {fold(occupation)} "
    return {c for key, comms in AFFINITY.items() if key in occ for c in comms}


@dataclasses.dataclass
class Pool:
    prisoners: list
    parls: list
    uncovered: np.ndarray
    humanitarian: np.ndarray
    years: np.ndarray
    incommunicado: np.ndarray
    lang: np.ndarray  # P×M bool
    country: np.ndarray  # P×M bool
    affinity: np.ndarray  # P×M bool
    load: np.ndarray  # M
    capacity: np.ndarray  # M
    excluded: np.ndarray  # P×M bool
    links: list  # (row_a, row_b)


def _bits(sets, vocab):
    m = np.zeros((len(sets), len(vocab)), dtype=np.float32)
    for i, s in enumerate(sets):
        for v in s:
            j = vocab.get(v)
            if j is not None:
                m[i, j] = 1
    return m


def load_pool(today: dt.date, *, prisoner_ids=None, parliamentarian_ids=None, only_uncovered=False,
              country=None, parliament=None, group=None) -> Pool:
    """Everyone matchable: prisoners in custody; parliamentarians with a running mandate and an
    email. Filters narrow either side."""
    ps = select(Prisoner).where(Prisoner.status.in_(IN_CUSTODY), Prisoner.is_archived.is_(False))
    if prisoner_ids is not None:
        ps = ps.where(Prisoner.id.in_(prisoner_ids))
    prisoners = db.session.scalars(ps.order_by(Prisoner.id)).all()
    ms = select(Parliamentarian).where(Parliamentarian.is_archived.is_(False),
                                       Parliamentarian.current_mandate_clause(today))
    if parliamentarian_ids is not None:
        ms = ms.where(Parliamentarian.id.in_(parliamentarian_ids))
    if country:
        ms = ms.where(Parliamentarian.country == country)
    if parliament:
        ms = ms.where(Parliamentarian.parliament == parliament)
    if group:
        ms = ms.where(Parliamentarian.political_group == group)
    parls = db.session.scalars(ms.order_by(Parliamentarian.id)).all()

    active = set(db.session.scalars(select(Pairing.prisoner_id).where(Pairing.status == PairingStatus.ACTIVE)))
    if only_uncovered:
        prisoners = [p for p in prisoners if p.id not in active]
    load = dict(db.session.execute(select(Pairing.parliamentarian_id, func.count(Pairing.id))
                                   .where(Pairing.status.in_(OPEN_STATUSES)).group_by(Pairing.parliamentarian_id)).all())
    caps = dict(db.session.execute(select(GodparentCapacity.parliamentarian_id, GodparentCapacity.capacity)).all())
    default_cap = settings().default_capacity
    p_index = {p.id: i for i, p in enumerate(prisoners)}
    m_index = {m.id: j for j, m in enumerate(parls)}
    excluded = np.zeros((len(prisoners), len(parls)), dtype=bool)
    for parl_id, prisoner_id in db.session.execute(select(Pairing.parliamentarian_id, Pairing.prisoner_id)):
        i, j = p_index.get(prisoner_id), m_index.get(parl_id)
        if i is not None and j is not None:
            excluded[i, j] = True

    langs = {v: k for k, v in enumerate(sorted({l for p in prisoners for l in split_csv(p.languages)} |
                                                {l for m in parls for l in split_csv(m.languages)}))}
    countries = {v: k for k, v in enumerate(sorted({c for p in prisoners for c in split_csv(p.ties_countries)} |
                                                   {m.country for m in parls}))}
    comms = {v: k for k, v in enumerate(sorted({c for m in parls for c in split_csv(m.committees)} |
                                               {c for cs in AFFINITY.values() for c in cs}))}
    P_lang, M_lang = _bits([set(split_csv(p.languages)) for p in prisoners], langs), _bits([set(split_csv(m.languages)) for m in parls], langs)
    P_ties, M_cty = _bits([set(split_csv(p.ties_countries)) for p in prisoners], countries), _bits([{m.country} for m in parls], countries)
    P_aff, M_com = _bits([affine_committees(p.occupation) for p in prisoners], comms), _bits([set(split_csv(m.committees)) for m in parls], comms)

    links = []
    for a, b in db.session.execute(select(PrisonerLink.prisoner_a_id, PrisonerLink.prisoner_b_id)):
        if a in p_index and b in p_index:
            links.append((p_index[a], p_index[b]))
    return Pool(
        prisoners=prisoners, parls=parls,
        uncovered=np.array([p.id not in active for p in prisoners], dtype=np.float32),
        humanitarian=np.array([p.is_humanitarian for p in prisoners], dtype=np.float32),
        years=np.array([(p.days_detained(today) or 0) / 365.25 for p in prisoners], dtype=np.float32),
        incommunicado=np.array([p.incommunicado_since is not None for p in prisoners], dtype=np.float32),
        lang=(P_lang @ M_lang.T) > 0, country=(P_ties @ M_cty.T) > 0, affinity=(P_aff @ M_com.T) > 0,
        load=np.array([load.get(m.id, 0) for m in parls], dtype=np.float32),
        capacity=np.array([caps.get(m.id, default_cap) for m in parls], dtype=np.int64),
        excluded=excluded, links=links)


def score_matrix(pool: Pool, w: dict, rows=slice(None)) -> np.ndarray:
    """Scores of every (prisoner row, parliamentarian column); excluded pairs are -inf."""
    base = (w["w_uncovered"] * pool.uncovered + w["w_humanitarian"] * pool.humanitarian
            + w["w_detention"] * pool.years + w["w_incommunicado"] * pool.incommunicado)[rows]
    s = (base[:, None] + w["w_language"] * pool.lang[rows] + w["w_country"] * pool.country[rows]
         + w["w_affinity"] * pool.affinity[rows] - w["w_load"] * pool.load[None, :]).astype(np.float64)
    s[pool.excluded[rows]] = -np.inf
    return s


def explain(pool: Pool, w: dict, i: int, j: int) -> dict:
    """The named parts of one pair's score (only the non-zero ones)."""
    parts = {
        "No active godparent": w["w_uncovered"] * pool.uncovered[i],
        "Humanitarian list": w["w_humanitarian"] * pool.humanitarian[i],
        f"{pool.years[i]:.1f} years detained": w["w_detention"] * pool.years[i],
        "Incommunicado": w["w_incommunicado"] * pool.incommunicado[i],
        "Shared language": w["w_language"] * pool.lang[i, j],
        "Country link": w["w_country"] * pool.country[i, j],
        "Occupation ↔ committee": w["w_affinity"] * pool.affinity[i, j],
        f"Already adopts {int(pool.load[j])}": -w["w_load"] * pool.load[j],
    }
    return {k: round(float(v), 1) for k, v in parts.items() if abs(v) > 1e-9}


#: the fixed names of score parts (stored in English in plans: translated when shown)
PART_LABELS = {
    "No active godparent": _l("No active godparent"),
    "Humanitarian list": _l("Humanitarian list"),
    "Incommunicado": _l("Incommunicado"),
    "Shared language": _l("Shared language"),
    "Country link": _l("Country link"),
    "Occupation ↔ committee": _l("Occupation ↔ committee"),
    "Same country/group as before": _l("Same country/group as before"),
}
_YEARS_PART = re.compile(r"^(\d+(?:\.\d+)?) years detained$")
_LOAD_PART = re.compile(r"^Already adopts (\d+)$")


def part_label(key: str) -> str:
    """A score part's name (as ``explain`` writes it, in English) in the page's language."""
    if key in PART_LABELS:
        return str(PART_LABELS[key])
    if m := _YEARS_PART.match(key):
        return _("%(years)s years detained", years=format_decimal(float(m.group(1)), format="0.0"))
    if m := _LOAD_PART.match(key):
        n = int(m.group(1))
        return ngettext("Already adopts %(num)s", "Already adopts %(num)s", n)
    return key


def suggestions_for_prisoner(pool: Pool, w: dict, prisoner_index: int, limit=10):
    s = score_matrix(pool, w, rows=slice(prisoner_index, prisoner_index + 1))[0]
    order = [j for j in np.argsort(-s, kind="stable") if np.isfinite(s[j])][:limit]
    return [(pool.parls[j], float(s[j]), explain(pool, w, prisoner_index, j)) for j in order]


def suggestions_for_parliamentarian(pool: Pool, w: dict, parl_index: int, limit=10):
    s = score_matrix(pool, w)[:, parl_index]
    order = [i for i in np.argsort(-s, kind="stable") if np.isfinite(s[i])][:limit]
    return [(pool.prisoners[i], float(s[i]), explain(pool, w, i, parl_index)) for i in order]


def matchable(prisoner: Prisoner) -> bool:
    """In custody and not archived: as ``load_pool`` selects prisoners."""
    return prisoner.status in IN_CUSTODY and not prisoner.is_archived


def cached_suggest_for_prisoner(prisoner: Prisoner, today: dt.date, w: dict, *, limit=15, **filters):
    """``suggest_for_prisoner``, computed once per staff-data version and day
    (``advocacy.staff_version``): every input (the prisoner, parliamentarians and their
    mandates, pairings) moves that version when it changes; the weights are part of the key."""
    from advocacy.staff_version import cached

    def compute():
        return [(p.id, score, parts) for p, score, parts in
                suggest_for_prisoner(prisoner, today, w, limit=limit, **filters)]
    rows = cached("matching.for_prisoner", compute, prisoner.id, sorted(w.items()), limit, sorted(filters.items()),
                  today=today)
    parls = {p.id: p for p in db.session.scalars(select(Parliamentarian).where(
        Parliamentarian.id.in_([r[0] for r in rows])))}
    return [(parls[i], score, parts) for i, score, parts in rows if i in parls]


def suggest_for_prisoner(prisoner: Prisoner, today: dt.date, w: dict, *, limit=15, country=None, parliament=None,
                         group=None):
    """The same suggestions as ``suggestions_for_prisoner(load_pool(today, prisoner_ids=[id],
    ...), w, 0)`` (same scores, same order), for one prisoner at 10x data in a few tens of ms:
    parliamentarians already paired with this prisoner are left out in SQL, only the columns
    the score needs are read (no ORM objects for 10,000 parliamentarians), the score is one numpy
    expression, and only the ``limit`` chosen ones are loaded whole. [] when the prisoner is not
    matchable (released, archived)."""
    if not matchable(prisoner):
        return []
    ever_paired = select(Pairing.parliamentarian_id).where(Pairing.prisoner_id == prisoner.id)
    loads = (select(Pairing.parliamentarian_id.label("parliamentarian_id"), func.count(Pairing.id).label("n"))
             .where(Pairing.status.in_(OPEN_STATUSES)).group_by(Pairing.parliamentarian_id).subquery())
    ms = select(Parliamentarian.id, Parliamentarian.languages, Parliamentarian.country, Parliamentarian.committees,
                func.coalesce(loads.c.n, 0)) \
        .outerjoin(loads, loads.c.parliamentarian_id == Parliamentarian.id) \
        .where(Parliamentarian.is_archived.is_(False),
               (Parliamentarian.mandate_end_on.is_(None)) | (Parliamentarian.mandate_end_on >= today),
               Parliamentarian.id.not_in(ever_paired))
    if country:
        ms = ms.where(Parliamentarian.country == country)
    if parliament:
        ms = ms.where(Parliamentarian.parliament == parliament)
    if group:
        ms = ms.where(Parliamentarian.political_group == group)
    # Core rows, not ORM ones: the ORM's per-row work was most of the time at 10,000 rows.
    rows = db.session.connection().execute(ms.order_by(Parliamentarian.id)).all()
    if not rows:
        return []
    covered = db.session.scalar(select(Pairing.id).where(Pairing.prisoner_id == prisoner.id,
                                                         Pairing.status == PairingStatus.ACTIVE).limit(1)) is not None
    p_ties = set(split_csv(prisoner.ties_countries))

    def shares(wanted: set, column: int) -> np.ndarray:
        # A substring test first (in C), the exact list comparison only for rows that pass it.
        if not wanted:
            return np.zeros(len(rows), dtype=bool)
        return np.fromiter((bool(r[column]) and any(x in r[column] for x in wanted)
                            and not wanted.isdisjoint(split_csv(r[column])) for r in rows), dtype=bool, count=len(rows))
    lang = shares(set(split_csv(prisoner.languages)), 1)
    aff = shares(affine_committees(prisoner.occupation), 3)
    cty = np.fromiter((r[2] in p_ties for r in rows), dtype=bool, count=len(rows))
    load = np.fromiter((r[4] for r in rows), dtype=np.float32, count=len(rows))
    one = lambda v: np.array([v], dtype=np.float32)  # noqa: E731
    pool = Pool(prisoners=[prisoner], parls=[], uncovered=one(not covered), humanitarian=one(prisoner.is_humanitarian),
                years=one((prisoner.days_detained(today) or 0) / 365.25), incommunicado=one(prisoner.incommunicado_since is not None),
                lang=lang[None, :], country=cty[None, :], affinity=aff[None, :], load=load,
                capacity=np.zeros(len(rows), dtype=np.int64), excluded=np.zeros((1, len(rows)), dtype=bool), links=[])
    s = score_matrix(pool, w)[0]
    order = np.argsort(-s, kind="stable")[:limit]
    parls = {p.id: p for p in db.session.scalars(select(Parliamentarian).where(
        Parliamentarian.id.in_([rows[j].id for j in order])))}
    return [(parls[rows[j].id], float(s[j]), explain(pool, w, 0, j)) for j in order]
