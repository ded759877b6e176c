"""Impact views for staff: thin; the figures come from ``services``."""
import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.impact import bp, services
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.reminders.nudges import NudgeError, queue_nudge
from advocacy.security import staff_required


def _filters(today):
    f, errors = services.parse_filters(request.args, today)
    for e in errors:
        flash(e, "error")
    return f


def _page(template, today, tables, **extra):
    f = _filters(today)
    built = {name: services.TABLES[name](f, today) for name in tables}
    return render_template(f"impact/{template}.html", f=f, t=built, choices=services.filter_choices(),
                           today=today, args=f.args(), **extra)


@bp.route("/")
@staff_required
def index():
    today = dt.date.today()
    return _page("index", today, ("statements", "effectiveness"), refresh=services.last_refresh(),
                 min_cases=services.MIN_CASES)


@bp.route("/godparents")
@staff_required
def godparents():
    today = dt.date.today()
    f = _filters(today)
    silent = {days: services.silent_godparents(f, today, days) for days in services.SILENT_DAYS}
    return render_template("impact/godparents.html", f=f, args=f.args(), choices=services.filter_choices(),
                           t={"godparents": services.godparents_table(f, today)}, silent=silent, today=today)


@bp.route("/prisoners")
@staff_required
def prisoners():
    today = dt.date.today()
    f = _filters(today)
    total, rows = services.silent_prisoners(f, today, 90)
    return render_template("impact/prisoners.html", f=f, args=f.args(), choices=services.filter_choices(),
                           total=total, rows=rows, today=today)


@bp.route("/coverage")
@staff_required
def coverage():
    today = dt.date.today()
    f = _filters(today)
    return render_template("impact/coverage.html", f=f, args=f.args(), choices=services.filter_choices(),
                           t=services.coverage_tables(f, today), today=today)


@bp.route("/<name>.csv")
@staff_required
def csv(name):
    from advocacy.exports.services import stream_csv  # here: exports imports public (a cycle at import time)

    build = services.TABLES.get(name) or abort(404)
    today = dt.date.today()
    f, errors = services.parse_filters(request.args, today)
    if errors:
        return Response(" ".join(errors) + "\n", 400, mimetype="text/plain")
    table = build(f, today)
    resp = Response(stream_csv(table.header, table.dicts()), mimetype="text/csv; charset=utf-8")
    resp.headers["Content-Disposition"] = f'attachment; filename="impact-{name}-{today.isoformat()}.csv"'
    return resp


@bp.route("/refresh", methods=["POST"])
@staff_required
def refresh():
    services.refresh_effectiveness(dt.date.today(), utcnow())
    db.session.commit()
    flash(_("Reminder effectiveness was recomputed."), "success")
    return redirect(url_for("impact.index", **{k: v for k, v in request.args.items()}))


@bp.route("/godparents/<int:parliamentarian_id>/remind", methods=["POST"])
@staff_required
def remind(parliamentarian_id):
    parl = db.get_or_404(Parliamentarian, parliamentarian_id)
    try:
        queue_nudge(parl, now=utcnow())
    except NudgeError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("A reminder to %(name)s is queued in the outbox.", name=parl.full_name), "success")
    return redirect(url_for("impact.godparents", **{k: v for k, v in request.args.items()}))
