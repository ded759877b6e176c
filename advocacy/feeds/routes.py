"""Private calendar feeds: /feeds/<secret>.ics, and the pages to subscribe and rotate."""
from flask import abort, current_app, flash, make_response, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from advocacy.extensions import db, limiter
from advocacy.feeds import bp, services
from advocacy.security import roles_required


@bp.route("/<secret>.ics")
@limiter.limit("60 per minute")
def calendar(secret):
    user = services.user_for(secret)
    if user is None:
        abort(404)
    body = services.calendar_for(user, current_app.config["BASE_URL"])
    db.session.commit()
    resp = make_response(body)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Cache-Control"] = "private, max-age=900"
    return resp


def _page(template):
    secret = session.pop("feed_secret", None)
    from advocacy.feeds.models import FeedToken
    has_token = db.session.scalar(db.select(FeedToken.id).where(FeedToken.user_id == current_user.id)) is not None
    url = current_app.config["BASE_URL"].rstrip("/") + url_for("feeds.calendar", secret=secret) if secret else None
    return render_template(template, url=url, webcal=url.replace("https://", "webcal://").replace("http://", "webcal://") if url else None,
                           has_token=has_token)


@bp.route("/mine")
@roles_required("parliamentarian")
def mine():
    return _page("feeds/mine.html")


@bp.route("/staff")
@roles_required("admin", "staff")
def staff():
    return _page("feeds/mine.html")


@bp.route("/rotate", methods=["POST"])
@login_required
def rotate():
    if not current_user.is_staff and current_user.parliamentarian_id is None:
        abort(403)
    # Shown once on the next page; only its hash is stored.
    session["feed_secret"] = services.rotate(current_user)
    db.session.commit()
    flash("Your calendar address is ready. Any earlier address no longer works.", "success")
    return redirect(url_for("feeds.staff" if current_user.is_staff else "feeds.mine"))
