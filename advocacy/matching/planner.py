"""The coverage plan: a godparent for every uncovered prisoner at once, as an optimal
assignment (maximum total score) under each parliamentarian's capacity.

Solved as a sparse min-cost bipartite matching (scipy's LAPJVsp,
``min_weight_full_bipartite_matching``): rows are prisoners (a linked couple is one row: one
godparent for both), columns are capacity slots (a parliamentarian with capacity 2 has two),
plus one "unassigned" column per row so a full matching always exists and leaving someone
out is allowed when every candidate is excluded. ``candidate_limit`` keeps only each row's
best k parliamentarians, for very large problems.
"""
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from advocacy.matching.scoring import Pool, score_matrix


def units(pool: Pool):
    """Rows of the assignment: single prisoners, or a linked couple together."""
    linked = {}
    for a, b in pool.links:
        linked[a], linked[b] = b, a
    seen, out = set(), []
    for i in range(len(pool.prisoners)):
        if i in seen:
            continue
        j = linked.get(i)
        if j is not None and j not in seen:
            out.append((i, j))
            seen.update((i, j))
        else:
            out.append((i,))
            seen.add(i)
    return out


def unit_scores(pool: Pool, w: dict, us, rows_per_chunk=2000):
    """Yield (unit index, score vector over parliamentarians) in chunks (bounded memory)."""
    for start in range(0, len(us), rows_per_chunk):
        chunk = us[start:start + rows_per_chunk]
        needed = sorted({i for u in chunk for i in u})
        where = {i: k for k, i in enumerate(needed)}
        s = score_matrix(pool, w, rows=np.array(needed, dtype=np.int64)) if needed else np.zeros((0, len(pool.parls)))
        for k, u in enumerate(chunk):
            yield start + k, sum(s[where[i]] for i in u)


def plan(pool: Pool, w: dict, candidate_limit: int | None = None):
    """Returns [(unit, parliamentarian column, score)] maximising the total score."""
    us = units(pool)
    n_units, n_parls = len(us), len(pool.parls)
    cap = np.maximum(pool.capacity, 0)
    if n_units == 0 or n_parls == 0 or cap.sum() == 0:
        return []
    slot_start = np.concatenate([[0], np.cumsum(cap)[:-1]])
    n_slots = int(cap.sum())
    rows, cols, scores = [], [], []
    for u, s in unit_scores(pool, w, us):
        ok = np.flatnonzero(np.isfinite(s) & (cap > 0))
        if candidate_limit and len(ok) > candidate_limit:
            ok = ok[np.argpartition(-s[ok], candidate_limit - 1)[:candidate_limit]]
        for j in ok:
            for k in range(cap[j]):
                rows.append(u)
                cols.append(slot_start[j] + k)
                scores.append(s[j])
    scores = np.asarray(scores, dtype=np.float64)
    top = float(scores.max()) if len(scores) else 0.0
    top = max(top, 0.0)
    # cost = top + 1 - score > 0 (a zero would read as "no edge"); unassigned costs top + 1 (score 0)
    data = np.concatenate([top + 1.0 - scores, np.full(n_units, top + 1.0)])
    r = np.concatenate([np.asarray(rows, dtype=np.int64), np.arange(n_units)])
    c = np.concatenate([np.asarray(cols, dtype=np.int64), n_slots + np.arange(n_units)])
    graph = csr_matrix((data, (r, c)), shape=(n_units, n_slots + n_units))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    slot_owner = np.repeat(np.arange(n_parls), cap)
    out = []
    score_of = {(ru, cu): sc for ru, cu, sc in zip(rows, cols, scores)}
    for u, col in zip(matched_rows.tolist(), matched_cols.tolist()):
        if col < n_slots:
            out.append((us[u], int(slot_owner[col]), float(score_of[(u, col)])))
    return out


def greedy(pool: Pool, w: dict, candidate_limit: int | None = None):
    """Baseline: take the best remaining pair until nothing fits (for the benchmark)."""
    us = units(pool)
    cap = np.maximum(pool.capacity, 0).copy()
    pairs = []
    for u, s in unit_scores(pool, w, us):
        ok = np.flatnonzero(np.isfinite(s))
        if candidate_limit and len(ok) > candidate_limit:
            ok = ok[np.argpartition(-s[ok], candidate_limit - 1)[:candidate_limit]]
        pairs.extend((float(s[j]), u, int(j)) for j in ok)
    pairs.sort(key=lambda t: -t[0])
    done, out = set(), []
    for sc, u, j in pairs:
        if u in done or cap[j] <= 0 or sc <= 0:
            continue
        done.add(u)
        cap[j] -= 1
        out.append((us[u], j, sc))
    return out
