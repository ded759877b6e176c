import datetime as dt
import itertools

import numpy as np
import pytest

from advocacy.extensions import db
from advocacy.matching import planner, scoring, services
from advocacy.outbox.sender import deliver
from advocacy.matching.models import CoveragePlan, GodparentCapacity, PlanStatus, PrisonerLink
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from tests.conftest import mail_text

TODAY = dt.date.today()
NOW = dt.datetime.now(dt.timezone.utc)


def test_score_parts_are_named_and_add_up(create_prisoner, create_parliamentarian):
    p = create_prisoner(name="Journalist", occupation="journalist", languages="be,ru,pl", ties_countries="PL",
                        risk_over_60=True, incommunicado_since=dt.date(2023, 1, 1), detained_on=TODAY - dt.timedelta(days=730))
    m = create_parliamentarian(country="PL", languages="pl,en", committees="CULT,AFET")
    pool = scoring.load_pool(TODAY)
    w = scoring.settings().weights()
    parts = scoring.explain(pool, w, 0, 0)
    assert parts["No active godparent"] == 50 and parts["Humanitarian list"] == 20 and parts["Incommunicado"] == 10
    assert parts["Shared language"] == 8 and parts["Country link"] == 12 and parts["Occupation ↔ committee"] == 10
    assert abs(parts["2.0 years detained"] - 6.0) < 0.1
    assert abs(sum(parts.values()) - scoring.score_matrix(pool, w)[0, 0]) < 0.2


def test_load_lowers_score_and_a_covered_prisoner_loses_the_uncovered_part(create_prisoner, create_parliamentarian, create_pairing):
    busy = create_parliamentarian(full_name="Busy")
    free = create_parliamentarian(full_name="Free")
    create_pairing(parliamentarian=busy)
    target = create_prisoner(name="Target")
    pool = scoring.load_pool(TODAY, prisoner_ids=[target.id], parliamentarian_ids=[busy.id, free.id])
    s = scoring.score_matrix(pool, scoring.settings().weights())[0]
    assert s[pool.parls.index(free)] - s[pool.parls.index(busy)] == pytest.approx(6.0)


def test_a_declined_pair_is_never_suggested_again(create_prisoner, create_parliamentarian, create_pairing):
    p, m, other = create_prisoner(), create_parliamentarian(), create_parliamentarian()
    create_pairing(parliamentarian=m, prisoner=p, status=PairingStatus.DECLINED)
    pool = scoring.load_pool(TODAY, prisoner_ids=[p.id])
    names = [parl.id for parl, _, _ in scoring.suggestions_for_prisoner(pool, scoring.settings().weights(), 0)]
    assert m.id not in names and other.id in names
    plan = services.build_plan(today=TODAY)
    assert all(not (i.parliamentarian_id == m.id and i.prisoner_id == p.id) for i in plan.items)


def _brute_force(score, cap):
    """Best total over every assignment of rows to columns (or to nobody) within capacity."""
    n, m = score.shape
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        used = np.zeros(m, dtype=int)
        total, ok = 0.0, True
        for i, j in enumerate(choice):
            if j < 0:
                continue
            used[j] += 1
            if used[j] > cap[j] or not np.isfinite(score[i, j]):
                ok = False
                break
            total += score[i, j]
        if ok:
            best = max(best, total)
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plan_equals_brute_force_optimum_and_respects_capacity(seed, create_prisoner, create_parliamentarian, create_pairing):
    rng = np.random.default_rng(seed)
    langs = ["be", "ru", "pl", "lt", "de"]
    for i in range(6):
        create_prisoner(languages=",".join(rng.choice(langs, 2, replace=False)), risk_over_60=bool(rng.integers(2)),
                        ties_countries=str(rng.choice(["PL", "LT", "DE", ""])), occupation=str(rng.choice(["journalist", "lawyer", "worker"])),
                        detained_on=TODAY - dt.timedelta(days=int(rng.integers(100, 2000))))
    parls = [create_parliamentarian(country=c, languages=l, committees=k)
             for c, l, k in [("PL", "pl,en", "CULT"), ("LT", "lt,ru", "JURI"), ("DE", "de", "EMPL")]]
    db.session.add(GodparentCapacity(parliamentarian_id=parls[0].id, capacity=2))
    db.session.commit()
    pool = scoring.load_pool(TODAY, only_uncovered=True)
    w = scoring.settings().weights()
    result = planner.plan(pool, w)
    used = {}
    for unit, j, _ in result:
        used[j] = used.get(j, 0) + len(unit) * 0 + 1
    assert all(used[j] <= pool.capacity[j] for j in used)
    total = sum(s for _, _, s in result)
    assert total == pytest.approx(_brute_force(scoring.score_matrix(pool, w), pool.capacity))
    assert total >= sum(s for _, _, s in planner.greedy(pool, w)) - 1e-9


def test_linked_prisoners_get_one_godparent(create_prisoner, create_parliamentarian):
    a, b = create_prisoner(name="Wife"), create_prisoner(name="Husband")
    create_prisoner(name="Single")
    for _ in range(3):
        create_parliamentarian()
    lo, hi = sorted((a.id, b.id))
    db.session.add(PrisonerLink(prisoner_a_id=lo, prisoner_b_id=hi, note="married"))
    db.session.commit()
    plan = services.build_plan(today=TODAY)
    by_prisoner = {i.prisoner_id: i.parliamentarian_id for i in plan.items}
    assert by_prisoner[a.id] == by_prisoner[b.id]
    assert len(by_prisoner) == 3


def test_accepting_a_plan_invites_by_email_and_twice_does_nothing(client, login_as, smtp_server, create_prisoner, create_parliamentarian):
    login_as("staff")
    create_prisoner(name="Needs Someone")
    create_parliamentarian(full_name="Willing Member")
    client.post("/matching/plan")
    plan = db.session.scalar(db.select(CoveragePlan))
    item = plan.items[0]
    resp = client.post(f"/matching/plan/{plan.id}/accept", data={"item": [str(item.id)]})
    assert resp.status_code == 302
    assert db.session.scalar(db.select(Pairing)).status == PairingStatus.INVITED
    assert len(smtp_server.messages) == 1 and "Will you stand by Needs Someone" in smtp_server.messages[0]["message"]["Subject"]
    client.post(f"/matching/plan/{plan.id}/accept", data={"item": [str(item.id)]}, follow_redirects=True)
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 1


def test_unticked_pairs_and_pairs_active_meanwhile_are_not_invited(create_prisoner, create_parliamentarian, create_pairing):
    p1, p2 = create_prisoner(), create_prisoner()
    m1, m2 = create_parliamentarian(), create_parliamentarian()
    plan = services.build_plan(today=TODAY)
    items = {i.prisoner_id: i for i in plan.items}
    create_pairing(parliamentarian=db.session.get(type(m1), items[p1.id].parliamentarian_id), prisoner=p1)  # became active meanwhile
    invited = services.accept_plan(plan, {items[p1.id].id}, now=NOW)
    assert invited == [] and "already has an open pairing" in items[p1.id].outcome
    assert items[p2.id].is_selected is False and plan.status == PlanStatus.ACCEPTED
    with pytest.raises(services.MatchingError):
        services.accept_plan(plan, set(), now=NOW)


def test_invitation_accept_decline_wrong_user_and_reuse(client, auth, create_user, create_pairing, smtp_server):
    inv = create_pairing(status=PairingStatus.INVITED, started_on=None, invited_at=NOW)
    other = create_pairing(status=PairingStatus.INVITED, started_on=None, invited_at=NOW)
    me = create_user(role="parliamentarian", parliamentarian=inv.parliamentarian)
    auth.login(me)
    assert client.get(f"/matching/invitations/{other.id}").status_code == 404  # someone else's
    page = client.get(f"/matching/invitations/{inv.id}")
    assert page.status_code == 200 and inv.prisoner.name.encode() in page.data
    client.post(f"/matching/invitations/{inv.id}", data={"answer": "accept"})
    db.session.refresh(inv)
    assert inv.status == PairingStatus.ACTIVE and inv.started_on == NOW.date()
    resp = client.post(f"/matching/invitations/{inv.id}", data={"answer": "decline"}, follow_redirects=True)
    assert b"no longer open" in resp.data
    db.session.refresh(inv)
    assert inv.status == PairingStatus.ACTIVE
    auth.logout()
    auth.login(create_user(role="parliamentarian", parliamentarian=other.parliamentarian))
    client.post(f"/matching/invitations/{other.id}", data={"answer": "decline", "reason": "Too many already"})
    db.session.refresh(other)
    assert other.status == PairingStatus.DECLINED and other.decline_reason == "Too many already"
    pool = scoring.load_pool(TODAY, prisoner_ids=[other.prisoner_id])
    assert other.parliamentarian_id not in [m.id for m, _, _ in scoring.suggestions_for_prisoner(pool, scoring.settings().weights(), 0)]


def test_unanswered_invitation_is_reminded_once_then_expires(smtp_server, create_pairing, client, login_as):
    inv = create_pairing(status=PairingStatus.INVITED, started_on=None, invited_at=NOW - dt.timedelta(days=15))
    assert services.process_invitations(NOW)["reminded"] == 1
    assert services.process_invitations(NOW)["reminded"] == 0
    db.session.commit()
    deliver(NOW)
    assert len(smtp_server.messages) == 1 and smtp_server.messages[0]["message"]["Subject"].startswith("Reminder")
    assert "/matching/invitations/" in mail_text(smtp_server.messages[0])
    db.session.commit()
    stats = services.process_invitations(NOW + dt.timedelta(days=14))
    db.session.commit()
    assert stats["expired"] == 1
    db.session.refresh(inv)
    assert inv.status == PairingStatus.ENDED and inv.end_reason == EndReason.INVITATION_EXPIRED
    login_as("staff")
    assert b"expired unanswered" in client.get("/matching/").data


def test_handover_when_a_mandate_ends(client, login_as, smtp_server, create_parliamentarian, create_pairing):
    gone = create_parliamentarian(full_name="Gone Member", country="LT", political_group="Renew",
                                  mandate_end_on=TODAY - dt.timedelta(days=3))
    same = create_parliamentarian(full_name="Same Country Group", country="LT", political_group="Renew")
    create_parliamentarian(full_name="Elsewhere", country="FR", political_group="EPP")
    old = create_pairing(parliamentarian=gone)
    login_as("staff")
    assert b"Gone Member" in client.get("/parliamentarians/needs-successor").data
    page = client.get(f"/matching/handover/{old.id}").get_data(as_text=True)
    assert page.index("Same Country Group") < page.index("Elsewhere")
    client.post(f"/matching/handover/{old.id}", data={"parliamentarian_id": same.id})
    db.session.refresh(old)
    assert old.status == PairingStatus.ENDED and old.end_reason == EndReason.MANDATE_ENDED
    new = db.session.scalar(db.select(Pairing).where(Pairing.parliamentarian_id == same.id))
    assert new.status == PairingStatus.INVITED and new.prisoner_id == old.prisoner_id
    assert smtp_server.messages[-1]["to"] == [same.email]
    history = client.get(f"/prisoners/{old.prisoner_id}").get_data(as_text=True)
    assert "Gone Member" in history and "Same Country Group" in history and "Mandate ended" in history
    assert b"Gone Member" not in client.get("/parliamentarians/needs-successor").data


def test_release_thanks_the_godparent_and_offers_another(client, login_as, smtp_server, create_pairing, create_prisoner):
    pairing = create_pairing()
    create_prisoner(name="Still Waiting")
    login_as("staff")
    client.post(f"/prisoners/{pairing.prisoner_id}/status", data={"status": "released", "changed_on": TODAY.isoformat()})
    assert len(smtp_server.messages) == 1
    text = mail_text(smtp_server.messages[0])
    assert "is no longer behind bars" in text and "Still Waiting" in text


@pytest.mark.parametrize("data,message", [
    ({"w_uncovered": "150"}, b"between 0 and 100"),
    ({"w_language": "-1"}, b"between 0 and 100"),
    ({"default_capacity": "-1"}, b"Number must be between 0 and 20"),
])
def test_bad_weights_are_refused_and_change_nothing(client, login_as, data, message):
    login_as("staff")
    client.get("/matching/settings")
    good = {k: v for k, v in scoring.settings().weights().items()} | {"default_capacity": 1}
    resp = client.post("/matching/settings", data={**good, **data})
    assert resp.status_code == 400 and message in resp.data
    db.session.expire_all()
    assert scoring.settings().w_uncovered == 50 and scoring.settings().default_capacity == 1


def test_negative_capacity_refused(client, login_as, create_parliamentarian):
    login_as("staff")
    m = create_parliamentarian()
    resp = client.post(f"/matching/parliamentarians/{m.id}", data={"capacity": "-2"})
    assert resp.status_code == 400 and b"between 0 and 20" in resp.data
    assert db.session.scalar(db.select(db.func.count(GodparentCapacity.id))) == 0


def test_matching_pages_need_staff(client, login_as, create_prisoner):
    p = create_prisoner()
    login_as("parliamentarian")
    for url in ("/matching/", "/matching/plan", f"/matching/prisoners/{p.id}", "/matching/settings"):
        assert client.get(url).status_code == 403


def test_staff_pages_render(client, login_as, create_prisoner, create_parliamentarian):
    login_as("staff")
    p, m = create_prisoner(occupation="journalist"), create_parliamentarian(committees="CULT")
    page = client.get(f"/matching/prisoners/{p.id}")
    assert page.status_code == 200 and b"Occupation" in page.data and m.full_name.encode() in page.data
    assert client.get(f"/matching/parliamentarians/{m.id}").status_code == 200
    assert client.get("/matching/").status_code == 200
