"""Reminder views: staff (upcoming, outbox, failures, preview, rules) and the godparent's
preferences and one-click unsubscribe."""
import datetime as dt

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from advocacy.db_types import utcnow
from advocacy.extensions import csrf, db
from advocacy.pagination import paginate
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.reminders import bp, delivery
from advocacy.reminders.forms import PreferenceForm, RuleForm
from advocacy.outbox import sender as outbox_sender
from advocacy.reminders.models import OutboxKind, OutboxMessage, OutboxStatus, Reminder, ReminderPreference, ReminderRule, ReminderStatus, RuleKind
from advocacy.reminders.notifications import build_reminder_email, read_unsubscribe_token
from advocacy.reminders.rules import ensure_default_rules
from advocacy.security import parliamentarian_required, staff_required


@bp.route("/")
@staff_required
def index():
    now = utcnow()
    stmt = (select(Reminder).where(Reminder.due_at >= now - dt.timedelta(days=1), Reminder.due_at <= now + dt.timedelta(days=30))
            .options(joinedload(Reminder.parliamentarian), joinedload(Reminder.prisoner), joinedload(Reminder.outbox_message))
            .order_by(Reminder.due_at, Reminder.id))
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)).all())
    return render_template("reminders/index.html", page=paginate(stmt), counts=counts, statuses=OutboxStatus)


@bp.route("/outbox")
@staff_required
def outbox():
    stmt = (select(OutboxMessage).options(joinedload(OutboxMessage.parliamentarian), joinedload(OutboxMessage.user))
            .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id.desc()))
    status, kind = request.args.get("status"), request.args.get("kind")
    if status in OutboxStatus._value2member_map_:
        stmt = stmt.where(OutboxMessage.status == status)
    if kind in OutboxKind._value2member_map_:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return render_template("reminders/outbox.html", page=paginate(stmt), statuses=OutboxStatus, status=status,
                           kinds=OutboxKind, kind=kind)


@bp.route("/outbox/<int:message_id>")
@staff_required
def preview(message_id):
    msg = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id)
                            .options(joinedload(OutboxMessage.parliamentarian), joinedload(OutboxMessage.user))) or abort(404)
    live = [r for r in msg.reminders if r.status != ReminderStatus.CANCELLED] or list(msg.reminders)
    error = None
    email = None
    if msg.kind.carries_secret:
        # A sign-in, reset or account link is for its recipient only: staff see that it was
        # sent, never the link (which would let them take over the account).
        error = _("this message carries a personal sign-in link, which staff cannot see")
    else:
        try:
            # A reminder is worded as it will go out: at its due time, or now if that has passed.
            email = (build_reminder_email(msg, live, now=max(utcnow(), msg.due_at)) if msg.kind == OutboxKind.REMINDER
                     else outbox_sender.stored_message(msg))
        except ValueError as exc:
            error = str(exc)
    if request.args.get("html") and email is not None:
        resp = make_response(email.html or "")
        # The email's own inline styles, isolated from the app: no scripts, nothing loaded.
        resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return resp
    return render_template("reminders/preview.html", msg=msg, email=email, error=error, reminders=live)


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@staff_required
def retry(message_id):
    msg = db.get_or_404(OutboxMessage, message_id)
    try:
        delivery.retry(msg, utcnow())
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The message will be sent again at the next delivery run (within a minute)."), "success")
    return redirect(url_for("reminders.outbox", status="failed"))


@bp.route("/rules")
@staff_required
def rules():
    ensure_default_rules()
    db.session.commit()
    return render_template("reminders/rules.html",
                           rules=db.session.scalars(select(ReminderRule).order_by(ReminderRule.kind, ReminderRule.offset_days)).all())


@bp.route("/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_rule(rule_id):
    rule = db.get_or_404(ReminderRule, rule_id)
    form = RuleForm(obj=rule, rule=rule)
    if form.validate_on_submit():
        clash = db.session.scalar(select(ReminderRule.id).where(ReminderRule.kind == rule.kind,
                                                                ReminderRule.offset_days == form.offset_days.data,
                                                                ReminderRule.id != rule.id))
        if clash:
            form.offset_days.errors.append(_("Another rule of this kind already has this offset."))
        else:
            form.populate_obj(rule)
            db.session.commit()
            flash(_("The rule was saved; the next planning run applies it."), "success")
            return redirect(url_for("reminders.rules"))
    return render_template("reminders/rule_form.html", form=form, rule=rule), 400 if form.errors else 200


def _preference_for(parliamentarian_id: int) -> ReminderPreference:
    pref = db.session.scalar(select(ReminderPreference).where(ReminderPreference.parliamentarian_id == parliamentarian_id))
    if pref is None:
        pref = ReminderPreference(parliamentarian_id=parliamentarian_id, disabled_kinds="")
        db.session.add(pref)
    return pref


@bp.route("/preferences", methods=["GET", "POST"])
@parliamentarian_required
def preferences():
    if current_user.parliamentarian_id is None:
        abort(403)
    pref = _preference_for(current_user.parliamentarian_id)
    disabled = set(filter(None, (pref.disabled_kinds or "").split(",")))
    form = PreferenceForm(kinds=[k.value for k in RuleKind if k.value not in disabled], is_digest=pref.is_digest,
                          is_unsubscribed=pref.is_unsubscribed)
    if form.validate_on_submit():
        wanted = set(form.kinds.data or [])
        pref.disabled_kinds = ",".join(k.value for k in RuleKind if k.value not in wanted)
        pref.is_digest = form.is_digest.data
        pref.is_unsubscribed = form.is_unsubscribed.data
        db.session.commit()
        flash(_("Your reminder preferences were saved."), "success")
        return redirect(url_for("reminders.preferences"))
    db.session.rollback()
    return render_template("reminders/preferences.html", form=form), 400 if form.errors else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs without our form token; the signed token is the proof
def unsubscribe(token):
    parliamentarian_id = read_unsubscribe_token(token)
    parl = db.session.get(Parliamentarian, parliamentarian_id) if parliamentarian_id else None
    if parl is None:
        return render_template("reminders/unsubscribe.html", invalid=True), 404
    if request.method == "POST":
        _preference_for(parl.id).is_unsubscribed = True
        db.session.commit()
        return render_template("reminders/unsubscribe.html", done=True, parl=parl)
    return render_template("reminders/unsubscribe.html", parl=parl, token=token)
