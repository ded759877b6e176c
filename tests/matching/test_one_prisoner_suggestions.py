"""The one-prisoner suggestions (the fast path used by /matching/prisoners/<id>) give exactly
what the whole-pool scoring gives for that prisoner: same parliamentarians, scores, order, parts."""
import datetime as dt
import itertools

from advocacy.extensions import db
from advocacy.matching import scoring
from advocacy.pairings.models import PairingStatus
from advocacy.prisoners.models import PrisonerStatus

TODAY = dt.date(2026, 11, 24)


def _slow(prisoner, w, **filters):
    pool = scoring.load_pool(TODAY, prisoner_ids=[prisoner.id], **filters)
    return scoring.suggestions_for_prisoner(pool, w, 0, limit=15) if pool.prisoners else []


def _flat(suggestions):
    return [(p.id, round(score, 6), parts) for p, score, parts in suggestions]


def test_fast_path_matches_the_pool_scoring(create_prisoner, create_parliamentarian, create_pairing):
    prisoner = create_prisoner(languages="be,ru,en", ties_countries="LT,PL", occupation="journalist",
                               is_humanitarian=True, detained_on=dt.date(2021, 5, 1))
    other = create_prisoner()
    langs, countries, comms = ["en,de", "ru", "fr", ""], ["LT", "DE", "PL", "FR"], ["CULT", "AFET", "LIBE,JURI", ""]
    parls = [create_parliamentarian(languages=l, country=c, committees=m, political_group=g)
             for (l, c, m), g in zip(itertools.product(langs, countries, comms), itertools.cycle(["EPP", "Renew"]))]
    create_pairing(parliamentarian=parls[0], prisoner=prisoner)  # active: excluded, and the prisoner is covered
    create_pairing(parliamentarian=parls[1], prisoner=prisoner, status=PairingStatus.ENDED)  # ever paired: excluded
    for p in parls[2:12]:
        create_pairing(parliamentarian=p, prisoner=other)  # load
    parls[5].is_archived = True
    parls[6].mandate_end_on = TODAY - dt.timedelta(days=1)
    db.session.commit()
    w = scoring.settings().weights()
    for filters in ({}, {"country": "LT"}, {"group": "Renew"}):
        fast = scoring.suggest_for_prisoner(prisoner, TODAY, w, limit=15, **filters)
        assert fast and _flat(fast) == _flat(_slow(prisoner, w, **filters)), filters
    assert parls[0].id not in [p.id for p, _, _ in fast] and parls[5].id not in [p.id for p, _, _ in fast]


def test_a_released_prisoner_gets_no_suggestions(create_prisoner, create_parliamentarian):
    create_parliamentarian()
    prisoner = create_prisoner(status=PrisonerStatus.RELEASED, status_on=TODAY)
    assert scoring.suggest_for_prisoner(prisoner, TODAY, scoring.settings().weights()) == []


def test_a_matching_page_writes_nothing(client, login_as, create_prisoner, count_queries):
    """Without saved settings the defaults are used, not inserted (and rolled back) on every GET."""
    prisoner = create_prisoner()
    login_as("staff")
    with count_queries() as q:
        assert client.get(f"/matching/prisoners/{prisoner.id}").status_code == 200
    writes = [s for s in q.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert not writes, writes
