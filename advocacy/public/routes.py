"""Public campaign pages (no login): public pairings, prisoners and godparents."""
import datetime as dt

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy.orm import joinedload

from advocacy.security import db_int
from advocacy.extensions import db
from advocacy.pairings.models import Pairing
from advocacy.portal.services import cyrillic_name
from advocacy.public import bp, page_cache, report, services


ROBOTS_TXT = """User-agent: *
Disallow: /feeds/
Disallow: /exports/
Disallow: /api/
Disallow: /auth/
Disallow: /reminders/unsubscribe/
"""


@bp.route("/language/<code>")
def set_language(code):
    """The language switcher: remembers the choice in a cookie (a signed-in user's profile choice
    still comes first) and goes back to the page it was used on."""
    from advocacy.i18n import COOKIE, LANGUAGES
    from advocacy.security import is_safe_next

    if code not in LANGUAGES:
        abort(404)
    target = request.args.get("next")
    resp = redirect(target if is_safe_next(target) else url_for("public.campaign"))
    resp.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                    secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return resp


@bp.route("/robots.txt")
def robots():
    """Keeps secret-link feeds, exports, the API and sign-in pages out of search indexes."""
    resp = make_response(ROBOTS_TXT)
    resp.mimetype = "text/plain"
    return resp


@bp.route("/")
def index():
    if current_user.is_authenticated and request.args.get("campaign") is None:
        home = "dashboard.index" if current_user.is_staff else "portal.index"
        return redirect(url_for(home))
    return campaign()


@bp.route("/campaign/")
def campaign():
    country = request.args.get("country") or None
    group = request.args.get("group") or None
    page = max(request.args.get("page", 1, type=db_int) or 1, 1)

    def render():
        pagination, godparents = services.campaign_prisoners(country, group, page)
        countries, groups = services.filter_choices()
        return render_template("public/index.html", page=pagination, godparents=godparents,
                               statements=services.latest_statements(8), countries=countries, groups=groups,
                               today=dt.date.today(), share_url=_absolute("public.campaign"))
    return page_cache.response(render, country, group, page)


@bp.route("/campaign/prisoners/<string(length=12):public_id>")
def prisoner(public_id):
    def render():
        prisoner = services.public_prisoner(public_id) or abort(404)
        pairings = db.session.scalars(services.public_pairings_select().where(Pairing.prisoner_id == prisoner.id)
                                      .options(joinedload(Pairing.parliamentarian))).all()
        today = dt.date.today()
        return render_template("public/prisoner.html", prisoner=prisoner, pairings=pairings, today=today,
                               statements=services.latest_statements(50, prisoner_id=prisoner.id),
                               events=report.events_for([prisoner], today)[prisoner.id],
                               share_url=_absolute("public.prisoner", public_id=prisoner.public_id))
    return page_cache.response(render, public_id)


def _absolute(endpoint, **values) -> str:
    """A full address to share or paste in a letter (the public one, not the request's host)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


@bp.route("/campaign/write-a-letter")
def letter_guide():
    return page_cache.response(lambda: render_template("public/letter.html", prisoner=None, address=None, cyrillic_name=None))


@bp.route("/campaign/prisoners/<string(length=12):public_id>/letter")
def letter(public_id):
    def render():
        prisoner = services.public_prisoner(public_id) or abort(404)
        return render_template("public/letter.html", prisoner=prisoner, address=services.public_letter_address(prisoner),
                               cyrillic_name=cyrillic_name(prisoner))
    return page_cache.response(render, public_id)


@bp.route("/campaign/godparents/<int:parliamentarian_id>")
def godparent(parliamentarian_id):
    def render():
        parl = services.public_godparent(parliamentarian_id) or abort(404)
        pairings = db.session.scalars(services.public_pairings_select().where(Pairing.parliamentarian_id == parl.id)
                                      .options(joinedload(Pairing.prisoner))).all()
        return render_template("public/godparent.html", parl=parl, pairings=pairings, today=dt.date.today(),
                               statements=services.latest_statements(50, parliamentarian_id=parl.id))
    return page_cache.response(render, parliamentarian_id)


@bp.route("/campaign/report")
def campaign_report():
    page = max(request.args.get("page", 1, type=db_int) or 1, 1)

    def render():
        today = dt.date.today()
        figures, tables = report.summary(today)
        pagination, events = report.timelines(today, page)
        return render_template("public/report.html", today=today, f=figures, t=tables,
                               statements_chart=report.statements_chart(tables["statements"]), page=pagination, events=events)
    return page_cache.response(render, page)


@bp.route("/campaign/report/<name>.csv")
def report_csv(name):
    from advocacy.exports.services import stream_csv  # here: exports imports public (a cycle at import time)

    build = report.TABLES.get(name) or abort(404)
    today = dt.date.today()

    def render():
        with force_locale("en"):  # a CSV's column names are machine headers: the same in every language
            table = build(today)
            return "".join(stream_csv(table.header, table.dicts()))
    return page_cache.response(render, name, mimetype="text/csv; charset=utf-8", localized=False, headers={
        "Content-Disposition": f'attachment; filename="westandbyyou-report-{name}-{today.isoformat()}.csv"'})
