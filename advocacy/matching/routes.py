"""Matching views: coverage, suggestions, the coverage plan, settings, invitations, handover."""
import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from advocacy.auth.tokens import make_onboarding_token
from advocacy.db_types import utcnow
from advocacy.extensions import db, limiter
from advocacy.matching import bp, notifications, scoring, services
from advocacy.matching.forms import CapacityForm, DeclineForm, LinkForm, SettingsForm
from advocacy.matching.links import LinkError, read_invitation_token
from advocacy.matching.models import CoveragePlan, CoveragePlanItem, GodparentCapacity, PrisonerLink, WEIGHTS
from advocacy.outbox.models import OutboxStatus
from advocacy.outbox.services import send_urgent_now
from advocacy.pagination import paginate
from advocacy.pairings import services as pairing_services
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.parliamentarians import services as parliamentarian_services
from advocacy.prisoners import services as prisoner_services
from advocacy.prisoners.models import IN_CUSTODY, Prisoner
from advocacy.prisoners.services import has_active_godparent
from advocacy.security import back_or, db_int, parliamentarian_required, staff_required
from advocacy.staff_version import render_cached

def _status_word(status) -> str:
    """An outbox message's status as a word inside a sentence ("… was sent again (pending).")."""
    return str(status.in_sentence)


@bp.route("/")
@staff_required
def index():
    covered_by = lambda col: db.session.execute(  # noqa: E731
        select(col, func.count(func.distinct(Pairing.prisoner_id))).join(Pairing.parliamentarian)
        .where(Pairing.status == PairingStatus.ACTIVE).group_by(col).order_by(func.count(func.distinct(Pairing.prisoner_id)).desc())).all()
    in_custody = select(Prisoner).where(Prisoner.status.in_(IN_CUSTODY), Prisoner.is_archived.is_(False))
    total = db.session.scalar(select(func.count()).select_from(in_custody.subquery()))
    covered = db.session.scalar(select(func.count()).select_from(in_custody.where(has_active_godparent()).subquery()))
    humanitarian = db.session.scalars(in_custody.where(~has_active_godparent(), Prisoner.is_humanitarian.is_(True))
                                      .order_by(Prisoner.detained_on.asc().nulls_last(), Prisoner.id).limit(50)).all()
    expired = db.session.scalars(select(Pairing).where(Pairing.end_reason == EndReason.INVITATION_EXPIRED)
                                 .order_by(Pairing.ended_on.desc()).limit(20)).all()
    q = request.args.get("q", "")[:200]
    found = ((prisoner_services.search(q, limit=10), parliamentarian_services.search(q, today=dt.date.today(), limit=10))
             if q.strip() else None)
    return render_template("matching/index.html", total=total, covered=covered, by_country=covered_by(Parliamentarian.country),
                           by_group=covered_by(Parliamentarian.political_group), humanitarian=humanitarian,
                           expired=expired, today=dt.date.today(), q=q, found=found)


def _filters():
    a = request.args
    return {"country": a.get("country") or None, "parliament": a.get("parliament") or None, "group": a.get("group") or None}


def _filter_choices():
    return parliamentarian_services.filter_choices()


@bp.route("/prisoners/<int:prisoner_id>", methods=["GET", "POST"])
@staff_required
def for_prisoner(prisoner_id):
    prisoner = db.get_or_404(Prisoner, prisoner_id)
    link_form = LinkForm()
    if link_form.validate_on_submit():
        other = db.session.get(Prisoner, link_form.other_prisoner_id.data)
        if other is None or other.id == prisoner.id:
            link_form.other_prisoner_id.errors.append(_("Choose another existing prisoner."))
        else:
            a, b = sorted((prisoner.id, other.id))
            if db.session.scalar(select(PrisonerLink.id).where(PrisonerLink.prisoner_a_id == a, PrisonerLink.prisoner_b_id == b)) is None:
                db.session.add(PrisonerLink(prisoner_a_id=a, prisoner_b_id=b, note=link_form.note.data))
                db.session.commit()
            flash(_("%(prisoner)s and %(other)s will be planned with one godparent.", prisoner=prisoner.name, other=other.name),
                  "success")
            return redirect(url_for("matching.for_prisoner", prisoner_id=prisoner.id))
    today = dt.date.today()

    def context():  # the weights are staff data too: saving them moves the version
        links = db.session.scalars(select(PrisonerLink).where(
            (PrisonerLink.prisoner_a_id == prisoner.id) | (PrisonerLink.prisoner_b_id == prisoner.id))).all()
        return dict(prisoner=prisoner, links=links, in_custody=scoring.matchable(prisoner), **_filter_choices(),
                    suggestions=scoring.cached_suggest_for_prisoner(prisoner, today, scoring.settings().weights(),
                                                                    limit=15, **_filters()))
    suggestions = render_cached("matching/_for_prisoner.html", context, prisoner.id, today=today)
    link_q = request.args.get("link_q", "")[:200]
    link_candidates = [p for p in prisoner_services.search(link_q, limit=10) if p.id != prisoner.id] if link_q.strip() else None
    return render_template("matching/for_prisoner.html", prisoner=prisoner, suggestions=suggestions, link_form=link_form,
                           link_q=link_q, link_candidates=link_candidates), \
        400 if link_form.errors else 200


@bp.route("/parliamentarians/<int:parliamentarian_id>", methods=["GET", "POST"])
@staff_required
def for_parliamentarian(parliamentarian_id):
    parl = db.get_or_404(Parliamentarian, parliamentarian_id)
    cap = db.session.scalar(select(GodparentCapacity).where(GodparentCapacity.parliamentarian_id == parl.id))
    form = CapacityForm(capacity=cap.capacity if cap else scoring.settings().default_capacity)
    if form.validate_on_submit():
        if cap is None:
            cap = GodparentCapacity(parliamentarian_id=parl.id, capacity=form.capacity.data)
            db.session.add(cap)
        cap.capacity = form.capacity.data
        db.session.commit()
        flash(_("Capacity saved."), "success")
        return redirect(url_for("matching.for_parliamentarian", parliamentarian_id=parl.id))
    pool = scoring.load_pool(dt.date.today(), parliamentarian_ids=[parl.id])
    sugg = scoring.suggestions_for_parliamentarian(pool, scoring.settings().weights(), 0, limit=15) if pool.parls else []
    return render_template("matching/for_parliamentarian.html", parl=parl, suggestions=sugg, cap_form=form,
                           form=FlaskForm()), 400 if form.errors else 200


@bp.route("/invite", methods=["POST"])
@staff_required
def invite():
    if not FlaskForm().validate_on_submit():
        abort(400)
    parl = db.session.get(Parliamentarian, request.form.get("parliamentarian_id", type=db_int) or 0) or abort(404)
    prisoner = db.session.get(Prisoner, request.form.get("prisoner_id", type=db_int) or 0) or abort(404)
    try:
        pairing = services.invite(parl, prisoner, now=utcnow(), by=current_user)
    except pairing_services.PairingError as exc:
        flash(str(exc), "error")
        return redirect(back_or(url_for("matching.index")))
    msg = notifications.send_invitation(pairing)
    db.session.commit()
    send_urgent_now()
    sent = msg.status == OutboxStatus.SENT
    names = dict(godparent=parl.full_name, prisoner=prisoner.name)
    if sent:
        text = _("%(godparent)s was invited to stand by %(prisoner)s.", **names)
    elif msg.last_error:
        text = _("%(godparent)s was invited to stand by %(prisoner)s. The email is not sent yet (%(status)s: %(error)s); "
                 "see the outbox.", status=_status_word(msg.status), error=msg.last_error, **names)
    else:
        text = _("%(godparent)s was invited to stand by %(prisoner)s. The email is not sent yet (%(status)s); see the outbox.",
                 status=_status_word(msg.status), **names)
    flash(text, "success" if sent else "warning")
    return redirect(url_for("pairings.view", pairing_id=pairing.id))


@bp.route("/plan", methods=["GET", "POST"])
@staff_required
def plan():
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        new = services.build_plan(today=dt.date.today(), created_by=current_user)
        db.session.commit()
        return redirect(url_for("matching.plan", plan_id=new.id))
    plan_id = request.args.get("plan_id", type=db_int)
    current = (db.session.get(CoveragePlan, plan_id) if plan_id else
               db.session.scalar(select(CoveragePlan).order_by(CoveragePlan.id.desc()).limit(1)))
    if current is not None:
        current = db.session.scalar(select(CoveragePlan).where(CoveragePlan.id == current.id).options(
            selectinload(CoveragePlan.items).joinedload(CoveragePlanItem.prisoner),
            selectinload(CoveragePlan.items).joinedload(CoveragePlanItem.parliamentarian)))
    return render_template("matching/plan.html", plan=current, form=form)


@bp.route("/plan/<int:plan_id>/accept", methods=["POST"])
@staff_required
def accept_plan(plan_id):
    plan = db.get_or_404(CoveragePlan, plan_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    selected = {db_int(v) for v in request.form.getlist("item") if v.isdigit()}
    try:
        invited = services.accept_plan(plan, selected, now=utcnow(), by=current_user)
    except services.MatchingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("matching.plan", plan_id=plan.id))
    queued = [notifications.send_invitation(p, parts) for p, parts in invited]
    db.session.commit()
    send_urgent_now()
    failed = sum(1 for m in queued if m.status != OutboxStatus.SENT)
    skipped = sum(1 for i in plan.items if i.is_selected and i.outcome != "invited")
    sentences = [ngettext("%(num)s invitation(s) sent.", "%(num)s invitation(s) sent.", len(invited))]
    if skipped:
        sentences.append(ngettext("%(num)s pair(s) could no longer be invited (see below).",
                                  "%(num)s pair(s) could no longer be invited (see below).", skipped))
    if failed:
        sentences.append(ngettext("%(num)s email(s) are not sent yet: see the outbox.",
                                  "%(num)s email(s) are not sent yet: see the outbox.", failed))
    flash(" ".join(sentences), "success")
    return redirect(url_for("matching.plan", plan_id=plan.id))


@bp.route("/settings", methods=["GET", "POST"])
@staff_required
def settings():
    s = scoring.settings()
    form = SettingsForm(obj=s)
    if form.validate_on_submit():
        form.populate_obj(s)
        db.session.add(s)  # the first save stores the defaults' object
        db.session.commit()
        flash(_("Matching settings saved."), "success")
        return redirect(url_for("matching.settings"))
    return render_template("matching/settings.html", form=form, weights=WEIGHTS), 400 if form.errors else 200


@bp.route("/handover/<int:pairing_id>", methods=["GET", "POST"])
@staff_required
def handover(pairing_id):
    old = db.get_or_404(Pairing, pairing_id)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        successor = db.session.get(Parliamentarian, request.form.get("parliamentarian_id", type=db_int) or 0) or abort(404)
        try:
            new = services.handover(old, successor, now=utcnow(), by=current_user)
        except (services.MatchingError, pairing_services.PairingError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("matching.handover", pairing_id=old.id))
        notifications.send_invitation(new)
        db.session.commit()
        flash(_("The pairing was ended (mandate ended) and %(name)s was invited.", name=successor.full_name), "success")
        return redirect(url_for("prisoners.view", prisoner_id=old.prisoner_id))
    return render_template("matching/handover.html", old=old, form=form,
                           suggestions=services.successor_suggestions(old, today=dt.date.today()) if old.is_open else [])


@bp.route("/invitations/<int:pairing_id>", methods=["GET", "POST"])
@parliamentarian_required
def invitation(pairing_id):
    pairing = services.my_invitation(pairing_id, current_user.parliamentarian_id or 0) or abort(404)
    form = DeclineForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            if request.form.get("answer") == "accept":
                pairing_services.accept_invitation(pairing, now=utcnow())
                msg = _("Thank you. You now stand by %(name)s; we will remind you of the dates that matter.", name=pairing.prisoner.name)
            elif request.form.get("answer") == "decline":
                pairing_services.decline_invitation(pairing, now=utcnow(), reason=form.reason.data)
                msg = _("Thank you for your answer. We will find another godparent.")
            else:
                abort(400)
        except pairing_services.PairingError as exc:
            flash(str(exc), "error")
            return redirect(url_for("matching.invitation", pairing_id=pairing.id))
        db.session.commit()
        flash(msg, "success")
        return redirect(url_for("portal.index"))
    return render_template("matching/invitation.html", pairing=pairing, prisoner=pairing.prisoner, form=form,
                           today=dt.date.today())


@bp.route("/invitations/answer/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def answer(token):
    """The invitation email's link: works without an account. GET shows the invitation with
    its buttons and changes nothing (mail scanners prefetch links); the POST answers, which
    uses the link up (the invitation is no longer open)."""
    try:
        pairing = read_invitation_token(token)
    except LinkError as exc:
        return render_template("matching/answer_closed.html", message=str(exc)), 400
    prisoner, parl = pairing.prisoner, pairing.parliamentarian
    if pairing.status != PairingStatus.INVITED:
        return render_template("matching/answer_closed.html", pairing=pairing, prisoner=prisoner,
                               message=services.closed_invitation_message(pairing)), 410
    form = DeclineForm()
    if request.method == "POST" and form.validate_on_submit():
        choice = request.form.get("answer")
        if choice not in ("accept", "decline"):
            abort(400)
        try:
            if choice == "accept":
                pairing_services.accept_invitation(pairing, now=utcnow())
            else:
                pairing_services.decline_invitation(pairing, now=utcnow(), reason=form.reason.data)
        except pairing_services.PairingError as exc:
            db.session.rollback()
            return render_template("matching/answer_closed.html", pairing=pairing, prisoner=prisoner,
                                   message=str(exc)), 409
        db.session.commit()
        if choice == "decline":
            return render_template("matching/answer_done.html", declined=True, prisoner=prisoner, parl=parl)
        if parl.user is None:
            return redirect(url_for("auth.onboard", token=make_onboarding_token(parl.id)))
        if current_user.is_authenticated and current_user.id == parl.user.id:
            flash(_("Thank you. You now stand by %(name)s.", name=prisoner.name), "success")
            return redirect(url_for("portal.prisoner", prisoner_id=prisoner.id))
        return render_template("matching/answer_done.html", declined=False, prisoner=prisoner, parl=parl,
                               portal=url_for("portal.prisoner", prisoner_id=prisoner.id))
    next_hearing = services.next_hearing(prisoner, dt.date.today())
    return render_template("matching/answer.html", pairing=pairing, prisoner=prisoner, parl=parl, form=form,
                           today=dt.date.today(), next_hearing=next_hearing,
                           chosen=request.args.get("answer")), 400 if form.errors else 200


@bp.route("/invitations/<int:pairing_id>/resend", methods=["POST"])
@staff_required
def resend_invitation(pairing_id):
    pairing = db.get_or_404(Pairing, pairing_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if pairing.status != PairingStatus.INVITED:
        flash(_("This invitation is no longer open."), "error")
        return redirect(back_or(url_for("matching.onboarding")))
    msg = notifications.send_invitation(pairing)
    db.session.commit()
    send_urgent_now()
    flash(_("The invitation to %(name)s was sent again with a fresh link (%(status)s).",
            name=pairing.parliamentarian.full_name, status=_status_word(msg.status)),
          "success" if msg.status == OutboxStatus.SENT else "warning")
    return redirect(back_or(url_for("matching.onboarding")))


@bp.route("/onboarding")
@staff_required
def onboarding():
    """Who has an account, who was invited and when, their last sign-in; resend buttons."""
    page = paginate(services.onboarding_query(request.args.get("show", "open")))
    details = services.onboarding_details([p.id for p in page.items])
    return render_template("matching/onboarding.html", page=page, details=details, form=FlaskForm(),
                           show=request.args.get("show", "open"))


@bp.route("/onboarding/<int:parliamentarian_id>/sign-in-link", methods=["POST"])
@staff_required
def send_sign_in_link(parliamentarian_id):
    from advocacy.auth.notifications import send_sign_in_link as queue_link

    parl = db.get_or_404(Parliamentarian, parliamentarian_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if parl.user is None or not parl.user.is_active:
        flash(_("%(name)s has no active account yet: resend the invitation instead.", name=parl.full_name), "error")
    else:
        queue_link(parl.user, url_for("portal.index"))
        db.session.commit()
        flash(_("A sign-in link is on its way to %(email)s.", email=parl.user.email), "success")
    return redirect(back_or(url_for("matching.onboarding")))
