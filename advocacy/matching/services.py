"""The adoption workflow: plans, invitations, handovers. Functions flush; callers commit."""
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.matching import planner, scoring
from advocacy.matching.models import CoveragePlan, CoveragePlanItem, PlanStatus
from advocacy.pairings import services as pairings
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian

INVITATION_REMIND_AFTER = dt.timedelta(days=14)
INVITATION_EXPIRE_AFTER = dt.timedelta(days=28)


class MatchingError(ValueError):
    pass


def build_plan(*, today: dt.date, created_by=None, candidate_limit=None) -> CoveragePlan:
    """A draft plan covering every uncovered prisoner (stored, so it survives a reload)."""
    pool = scoring.load_pool(today, only_uncovered=True)
    w = scoring.settings().weights()
    result = planner.plan(pool, w, candidate_limit=candidate_limit)
    plan = CoveragePlan(created_by_id=getattr(created_by, "id", None))
    total = 0.0
    for unit, j, score in result:
        per = score / len(unit)
        for i in unit:
            plan.items.append(CoveragePlanItem(prisoner_id=pool.prisoners[i].id, parliamentarian_id=pool.parls[j].id,
                                               score=round(per, 2), parts=scoring.explain(pool, w, i, j)))
        total += score
    plan.total_score = round(total, 2)
    db.session.add(plan)
    db.session.flush()
    return plan


def accept_plan(plan: CoveragePlan, selected_item_ids: set[int], *, now: dt.datetime, by=None):
    """Invite the selected pairs (one transaction). Pairs that became impossible meanwhile
    are reported, not duplicated. Returns the invited pairings."""
    if plan.status != PlanStatus.DRAFT:
        raise MatchingError("This plan was already accepted; nothing was done again.")
    invited = []
    for item in plan.items:
        item.is_selected = item.id in selected_item_ids
        if not item.is_selected:
            continue
        parl, prisoner = db.session.get(Parliamentarian, item.parliamentarian_id), item.prisoner
        try:
            pairing = pairings.create_pairing(parl, prisoner, today=now.date(), status=PairingStatus.INVITED,
                                              created_by=by, now=now)
        except pairings.PairingError as exc:
            item.outcome = str(exc)
            continue
        item.pairing_id = pairing.id
        item.outcome = "invited"
        invited.append((pairing, item.parts))
    plan.status = PlanStatus.ACCEPTED
    plan.accepted_at = now
    db.session.flush()
    return invited


def invite(parliamentarian: Parliamentarian, prisoner, *, now: dt.datetime, by=None) -> Pairing:
    return pairings.create_pairing(parliamentarian, prisoner, today=now.date(), status=PairingStatus.INVITED,
                                   created_by=by, now=now)


def my_invitation(pairing_id: int, parliamentarian_id: int) -> Pairing | None:
    return db.session.scalar(select(Pairing).where(Pairing.id == pairing_id,
                                                   Pairing.parliamentarian_id == parliamentarian_id)
                             .options(joinedload(Pairing.prisoner)))


def process_invitations(now: dt.datetime) -> dict:
    """Remind invitations unanswered for 14 days (once); expire them 14 days later."""
    from advocacy.matching.notifications import send_invitation

    stats = {"reminded": 0, "expired": 0}
    open_ = db.session.scalars(select(Pairing).where(Pairing.status == PairingStatus.INVITED)
                               .options(joinedload(Pairing.parliamentarian), joinedload(Pairing.prisoner))).all()
    for p in open_:
        if p.invited_at is None:
            continue
        if p.invitation_reminded_at is None and now - p.invited_at >= INVITATION_REMIND_AFTER:
            send_invitation(p, reminder=True, now=now)
            p.invitation_reminded_at = now
            stats["reminded"] += 1
        elif p.invitation_reminded_at is not None and now - p.invited_at >= INVITATION_EXPIRE_AFTER:
            p.status = PairingStatus.ENDED
            p.end_reason = EndReason.INVITATION_EXPIRED
            p.ended_on = now.date()
            stats["expired"] += 1
    db.session.flush()
    return stats


def handover(old: Pairing, successor: Parliamentarian, *, now: dt.datetime, by=None) -> Pairing:
    """End a pairing whose godparent's mandate ended and invite the successor (one step)."""
    if not old.is_open:
        raise MatchingError("This pairing has already ended.")
    # Invite first, so the notice to the outgoing godparent (queued when the old pairing ends)
    # can name the successor.
    new = invite(successor, old.prisoner, now=now, by=by)
    pairings.end_pairing(old, reason=EndReason.MANDATE_ENDED, on=max(now.date(), old.started_on or now.date()),
                         note=f"Handed over to {successor.full_name}", now=now)
    return new


def successor_suggestions(old: Pairing, *, today: dt.date, limit=10):
    """Parliamentarians for this prisoner, preferring the old godparent's country and group."""
    pool = scoring.load_pool(today, prisoner_ids=[old.prisoner_id])
    if not pool.prisoners:
        return []
    w = scoring.settings().weights()
    base = scoring.suggestions_for_prisoner(pool, w, 0, limit=len(pool.parls))
    out = []
    for parl, score, parts in base:
        bonus = 0.0
        if parl.country == old.parliamentarian.country:
            bonus += w["w_successor"] / 2
        if parl.political_group and parl.political_group == old.parliamentarian.political_group:
            bonus += w["w_successor"] / 2
        if bonus:
            parts = {**parts, "Same country/group as before": round(bonus, 1)}
        out.append((parl, score + bonus, parts))
    out.sort(key=lambda t: -t[1])
    return out[:limit]
