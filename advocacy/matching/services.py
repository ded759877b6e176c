"""The adoption workflow: plans, invitations, handovers. Functions flush; callers commit."""
import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import func, select
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
        raise MatchingError(_("This plan was already accepted; nothing was done again."))
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
        raise MatchingError(_("This pairing has already ended."))
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




def next_hearing(prisoner, today: dt.date):
    """The prisoner's next hearing (trial, appeal or verdict) from today, or None."""
    from advocacy.prisoners.models import KeyDate, KeyDateKind

    kinds = (KeyDateKind.TRIAL, KeyDateKind.APPEAL, KeyDateKind.VERDICT)
    return db.session.scalar(
        select(KeyDate).where(KeyDate.prisoner_id == prisoner.id, KeyDate.kind.in_(kinds),
                              KeyDate.occurs_on >= today)
        .order_by(KeyDate.occurs_on).limit(1))


def closed_invitation_message(pairing: Pairing) -> str:
    name = pairing.prisoner.name
    if pairing.status == PairingStatus.ACTIVE:
        return _("You have already accepted: you stand by %(name)s. Thank you. Sign in to see your portal.", name=name)
    if pairing.status == PairingStatus.DECLINED:
        return _("You have already answered this invitation (declined). Thank you for letting us know.")
    if pairing.end_reason == EndReason.INVITATION_EXPIRED:
        return _("This invitation has expired: it was open for 28 days. If you would still like to stand by "
                 "%(name)s, please write to the campaign team.", name=name)
    if pairing.status == PairingStatus.ENDED:
        return _("This invitation is closed (ended). The campaign team can tell you more.")
    return _("This invitation is closed (%(status)s). The campaign team can tell you more.",
             status=pairing.status.in_sentence)


def onboarding_query(show: str = "open"):
    """Parliamentarians to follow up: with an open invitation ("open"), with an account
    ("accounts"), or any with an invitation or an account ("all"). Newest invitations first."""
    from advocacy.auth.models import User

    last_invited = (select(Pairing.parliamentarian_id, func.max(Pairing.invited_at).label("last_invited_at"))
                    .where(Pairing.invited_at.is_not(None)).group_by(Pairing.parliamentarian_id).subquery())
    stmt = (select(Parliamentarian).outerjoin(last_invited, last_invited.c.parliamentarian_id == Parliamentarian.id)
            .options(joinedload(Parliamentarian.user)))
    has_account = select(User.id).where(User.parliamentarian_id == Parliamentarian.id).exists()
    has_open = select(Pairing.id).where(Pairing.parliamentarian_id == Parliamentarian.id,
                                        Pairing.status == PairingStatus.INVITED).exists()
    if show == "accounts":
        stmt = stmt.where(has_account)
    elif show == "all":
        stmt = stmt.where(last_invited.c.last_invited_at.is_not(None) | has_account)
    else:
        stmt = stmt.where(has_open)
    return stmt.order_by(last_invited.c.last_invited_at.desc().nulls_last(), Parliamentarian.id)


def onboarding_details(parliamentarian_ids: list[int]) -> dict:
    """For one page of the onboarding list: open invitations and the last invitation mail of
    each parliamentarian, in two queries."""
    from advocacy.outbox.models import OutboxKind, OutboxMessage

    out = {pid: {"open": [], "mail": None} for pid in parliamentarian_ids}
    if not parliamentarian_ids:
        return out
    for p in db.session.scalars(select(Pairing).where(Pairing.parliamentarian_id.in_(parliamentarian_ids),
                                                      Pairing.status == PairingStatus.INVITED)
                                .options(joinedload(Pairing.prisoner)).order_by(Pairing.invited_at.desc())):
        out[p.parliamentarian_id]["open"].append(p)
    newest = (select(OutboxMessage.parliamentarian_id, func.max(OutboxMessage.id).label("id"))
              .where(OutboxMessage.parliamentarian_id.in_(parliamentarian_ids),
                     OutboxMessage.kind.in_((OutboxKind.INVITATION, OutboxKind.INVITATION_REMINDER)))
              .group_by(OutboxMessage.parliamentarian_id).subquery())
    for m in db.session.scalars(select(OutboxMessage).join(newest, newest.c.id == OutboxMessage.id)):
        out[m.parliamentarian_id]["mail"] = m
    return out
