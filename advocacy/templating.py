"""Jinja filters and the navigation shown in templates/base.html."""
import datetime as dt

from flask import current_app, request, url_for
from flask_login import current_user

#: (endpoint, label, who sees it). Entries whose endpoint does not exist are skipped.
NAV = (
    ("dashboard.index", "Dashboard", "staff"),
    ("prisoners.list", "Prisoners", "staff"),
    ("facilities.list", "Facilities", "staff"),
    ("parliamentarians.list", "Parliamentarians", "staff"),
    ("pairings.list", "Pairings", "staff"),
    ("statements.list", "Statements", "staff"),
    ("matching.index", "Matching", "staff"),
    ("impact.index", "Impact", "staff"),
    ("reminders.index", "Reminders", "staff"),
    ("transfer.index", "Import", "staff"),
    ("exports.index", "Export", "staff"),
    ("audit.list", "Audit log", "staff"),
    ("users.list", "Users", "admin"),
    ("tokens.list", "API tokens", "admin"),
    ("portal.index", "My prisoners", "parliamentarian"),
    ("portal.profile", "Profile", "parliamentarian"),
    ("reminders.preferences", "Reminders", "parliamentarian"),
    ("feeds.mine", "Calendar", "parliamentarian"),
)


def nav_items():
    if not current_user.is_authenticated:
        return []
    role = current_user.role.value
    items = []
    current = request.endpoint or ""
    exact = any(endpoint == current for endpoint, _, _ in NAV)
    for endpoint, label, who in NAV:
        if endpoint not in current_app.view_functions:
            continue
        if who == "staff" and not current_user.is_staff:
            continue
        if who == "admin" and not current_user.is_admin:
            continue
        if who == "parliamentarian" and role != "parliamentarian":
            continue
        # The entry for this very page; otherwise the first entry of the page's feature (the portal
        # has two entries, index and profile: a portal prisoner page marks only "My prisoners").
        active = endpoint == current if exact else current.split(".")[0] == endpoint.split(".")[0]
        if active and not exact and any(item["active"] for item in items):
            active = False
        items.append({"url": url_for(endpoint), "label": label, "active": active})
    return items


def endpoint_url(endpoint, **values):
    """``url_for`` for an endpoint that may not exist (a feature not installed): None then."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def format_date(value, fmt="%-d %b %Y"):
    if not value:
        return ""
    return value.strftime(fmt)


def format_datetime(value, fmt="%-d %b %Y %H:%M UTC"):
    if not value:
        return ""
    return value.astimezone(dt.timezone.utc).strftime(fmt)


def url_with(**changes):
    """The current URL with some query arguments replaced (for pagination and sorting links)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items()})
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register(app):
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["endpoint_url"] = endpoint_url
    app.jinja_env.globals["today"] = lambda: dt.date.today()
