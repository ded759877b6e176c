"""Impact views for staff: thin; the figures come from ``services``."""
import datetime as dt

from flask import Response, abort, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

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


def _figure(refresh, f, today, name, fig_id, draw=None, title=None):
    """A table's HTML (with its chart beside it when ``draw`` names one), kept per snapshot like
    its figures: drawing an SVG chart in the template costs more than reading the roll-ups."""
    def build():
        table = services.cached_table(refresh, name, f, today)
        csv_url = url_for("impact.csv", name=name, **f.args())
        if draw is None:
            return Markup(get_template_attribute("_charts.html", "table")(table, csv_url))
        chart = getattr(services, draw)(table, title)
        return Markup(get_template_attribute("_charts.html", "chart_with_table")(chart, table, csv_url, fig_id))
    return services.cached(refresh, ("figure", name, today, f), build)


def _render(template, today, f, refresh, **figures):
    return render_template(f"impact/{template}.html", f=f, args=f.args(), today=today, refresh=refresh,
                           choices=services.cached(refresh, ("choices",), services.filter_choices), **figures)


@bp.route("/")
@staff_required
def index():
    today, refresh = dt.date.today(), services.current_snapshot()
    f = _filters(today)
    figures = {"statements": _figure(refresh, f, today, "statements", "c-statements", "stacked_chart",
                                     _("Statements per month, stacked by kind")),
               "effectiveness": _figure(refresh, f, today, "effectiveness", "c-effect", "rates_chart",
                                        _("Share followed by a statement within 14 days"))}
    return _render("index", today, f, refresh, figures=figures, min_cases=services.MIN_CASES)


@bp.route("/godparents")
@staff_required
def godparents():
    today, refresh = dt.date.today(), services.current_snapshot()
    f = _filters(today)
    silent = {days: services.cached(refresh, ("silent", days, today, f), lambda d=days: services.silent_godparents(f, today, d))
              for days in services.SILENT_DAYS}

    def silent_html(days):  # the rows' HTML, kept per snapshot; the form around it carries the CSRF token
        return Markup(get_template_attribute("impact/_silent.html", "silent_table")(silent[days][1], f.args()))
    return _render("godparents", today, f, refresh, figures={"godparents": _figure(refresh, f, today, "godparents", "c-godparents")},
                   silent=silent, silent_html={days: services.cached(refresh, ("silent_html", days, today, f),
                                                                     lambda d=days: silent_html(d))
                                               for days in services.SILENT_DAYS})


@bp.route("/prisoners")
@staff_required
def prisoners():
    today, refresh = dt.date.today(), services.current_snapshot()
    f = _filters(today)

    def build():  # the rows' HTML, kept like the figures: rendering ~100 rows costs more than reading them
        total, rows = services.silent_prisoners(f, today, 90)
        return Markup(render_template("impact/_prisoners.html", total=total, rows=rows, today=today, args=f.args()))
    return _render("prisoners", today, f, refresh, section=services.cached(refresh, ("prisoners-html", today, f), build))


@bp.route("/coverage")
@staff_required
def coverage():
    today, refresh = dt.date.today(), services.current_snapshot()
    f = _filters(today)
    figures = {"country": _figure(refresh, f, today, "coverage_country", "c-country", "lines_chart",
                                  _("Prisoners with a godparent, by country")),
               "group": _figure(refresh, f, today, "coverage_group", "c-group", "lines_chart",
                                _("Prisoners with a godparent, by political group"))}
    return _render("coverage", today, f, refresh, figures=figures)


@bp.route("/<name>.csv")
@staff_required
def csv(name):
    from advocacy.exports.services import stream_csv  # here: exports imports public (a cycle at import time)

    if name not in services.TABLES:
        abort(404)
    today = dt.date.today()
    f, errors = services.parse_filters(request.args, today)
    if errors:
        return Response(" ".join(errors) + "\n", 400, mimetype="text/plain")
    refresh = services.current_snapshot()

    def build():
        table = services.cached_table(refresh, name, f, today)
        return "".join(stream_csv(table.header, table.dicts()))
    resp = Response(services.cached(refresh, ("csv", name, today, f), build), mimetype="text/csv; charset=utf-8")
    resp.headers["Content-Disposition"] = f'attachment; filename="impact-{name}-{today.isoformat()}.csv"'
    return resp


@bp.route("/refresh", methods=["POST"])
@staff_required
def refresh():
    services.refresh(dt.date.today(), utcnow())
    db.session.commit()
    services.forget_snapshot()
    flash(_("The impact figures were recomputed."), "success")
    back = request.form.get("next")
    endpoint = back if back in ("impact.index", "impact.godparents", "impact.prisoners", "impact.coverage") else "impact.index"
    return redirect(url_for(endpoint, **{k: v for k, v in request.args.items()}))


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
