"""Private calendar feeds: /feeds/<secret>.ics, and the page listing a user's addresses (one per
device or calendar app), where they make a new one or revoke one."""
import datetime as dt

from flask import abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from advocacy.extensions import db, limiter
from advocacy.feeds import bp, services
from advocacy.security import roles_required


@bp.route("/<secret>.ics")
@limiter.limit("60 per minute")
def calendar(secret):
    user = services.user_for(secret, now=dt.datetime.now(dt.timezone.utc))
    if user is None:
        abort(404)
    body = services.calendar_for(user, current_app.config["BASE_URL"])
    db.session.commit()
    resp = make_response(body)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Cache-Control"] = "private, max-age=900"
    return resp


def _page(error=None, name=""):
    # A new secret is shown once, on the page after it was made; only its hash is stored.
    new = session.pop("feed_secret", None)
    url = webcal = None
    if new:
        url = current_app.config["BASE_URL"].rstrip("/") + url_for("feeds.calendar", secret=new["secret"])
        webcal = url.replace("https://", "webcal://").replace("http://", "webcal://")
    return render_template("feeds/mine.html", feeds=services.feeds_of(current_user), url=url, webcal=webcal,
                           new_name=new["name"] if new else None, error=error, name=name), 400 if error else 200


def _own_page():
    return url_for("feeds.staff" if current_user.is_staff else "feeds.mine")


@bp.route("/mine")
@roles_required("parliamentarian")
def mine():
    return _page()


@bp.route("/staff")
@roles_required("admin", "staff")
def staff():
    return _page()


def _may_have_feeds():
    if not current_user.is_staff and current_user.parliamentarian_id is None:
        abort(403)


@bp.route("/new", methods=["POST"])
@login_required
def add():
    _may_have_feeds()
    name = request.form.get("name", "")
    try:
        secret = services.create(current_user, name)
    except services.FeedError as e:
        return _page(error=str(e), name=name)
    db.session.commit()
    session["feed_secret"] = {"secret": secret, "name": name.strip()}
    flash(_("A calendar address for \"%(name)s\" is ready. Your other addresses keep working.", name=name.strip()), "success")
    return redirect(_own_page())


@bp.route("/<int:feed_id>/revoke", methods=["POST"])
@login_required
def revoke(feed_id):
    _may_have_feeds()
    token = services.revoke(current_user, feed_id) or abort(404)
    db.session.commit()
    flash(_("The address for \"%(name)s\" no longer works. Remove that calendar from the device too.", name=token.name), "success")
    return redirect(_own_page())
