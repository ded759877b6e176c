"""Jinja filters and the navigation shown in templates/base.html."""
import datetime as dt
import functools
import zoneinfo
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advocacy import i18n, pickers

#: (endpoint, label, who sees it, group). Entries whose endpoint does not exist are skipped, so a
#: feature can list itself here before it is installed. Staff entries are grouped into menus;
#: an entry without a group stands on its own. Groups appear in the order of NAV_GROUPS.
NAV_GROUPS = ("Registers", "Campaign", "Mail", "Data", "Admin")
#: the groups' names as shown (the tuples below name groups by their English key)
GROUP_LABELS = {"Registers": _l("Registers"), "Campaign": _l("Campaign"), "Mail": _l("Mail"), "Data": _l("Data"),
                "Admin": _l("Admin")}
NAV = (
    ("dashboard.index", _l("Dashboard"), "staff", None),
    ("prisoners.list", _l("Prisoners"), "staff", "Registers"),
    ("facilities.list", _l("Facilities"), "staff", "Registers"),
    ("parliamentarians.list", _l("Parliamentarians"), "staff", "Registers"),
    ("pairings.list", _l("Pairings"), "staff", "Registers"),
    ("matching.index", _l("Matching"), "staff", "Campaign"),
    ("statements.list", _l("Statements"), "staff", "Campaign"),
    ("matching.onboarding", _l("Onboarding"), "staff", "Campaign"),
    ("impact.index", _l("Impact"), "staff", "Campaign"),
    ("feeds.staff", _l("Calendar feeds"), "staff", "Campaign"),
    ("reminders.index", _l("Reminders"), "staff", "Mail"),
    ("reminders.outbox", _l("Outbox"), "staff", "Mail"),
    ("reminders.rules", _l("Reminder rules"), "staff", "Mail"),
    ("transfer.index", _l("Import"), "staff", "Data"),
    ("exports.index", _l("Export"), "staff", "Data"),
    ("audit.list", _l("Audit log"), "staff", "Data"),
    ("users.list", _l("Users"), "admin", "Admin"),
    ("tokens.list", _l("API tokens"), "admin", "Admin"),
    ("portal.index", _l("My prisoners"), "parliamentarian", None),
    ("portal.profile", _l("Profile"), "parliamentarian", None),
    ("reminders.preferences", _l("Reminders"), "parliamentarian", None),
    ("feeds.mine", _l("Calendar"), "parliamentarian", None),
)


def _visible(who) -> bool:
    if who == "staff":
        return current_user.is_staff
    if who == "admin":
        return current_user.is_admin
    return current_user.role.value == who


def nav_items():
    """The entries the current user may see, each marked active for the page being shown."""
    if not current_user.is_authenticated:
        return []
    items = []
    current = request.endpoint or ""
    visible = [entry for entry in NAV if entry[0] in current_app.view_functions and _visible(entry[2])]
    exact = any(endpoint == current for endpoint, *_ in visible)
    for endpoint, label, _who, group in visible:
        # The entry for this very page; otherwise the first entry of the page's feature (the portal
        # has two entries, index and profile: a portal prisoner page marks only "My prisoners").
        active = endpoint == current if exact else current.split(".")[0] == endpoint.split(".")[0]
        if active and not exact and any(item["active"] for item in items):
            active = False
        items.append({"url": url_for(endpoint), "label": label, "active": active, "group": group})
    return items


def nav_menu():
    """``nav_items`` arranged for the menu (templates/_nav_links.html): a list of stand-alone entries and groups, in order.

    A group is ``{"label", "items", "active"}``; a stand-alone entry has ``items`` None."""
    entries, groups = [], {}
    for item in nav_items():
        if item["group"] is None:
            entries.append({**item, "items": None})
            continue
        if item["group"] not in groups:
            groups[item["group"]] = {"key": item["group"], "label": GROUP_LABELS[item["group"]], "items": [],
                                     "active": False, "url": None}
        groups[item["group"]]["items"].append(item)
        groups[item["group"]]["active"] |= item["active"]
    order = {name: i for i, name in enumerate(NAV_GROUPS)}
    return entries + sorted(groups.values(), key=lambda g: order.get(g["key"], len(order)))


def nav_links():
    """The menu's entries as HTML (templates/_nav_links.html). They depend only on the role, the
    language and the page's endpoint, so each combination is rendered once per worker: the menu
    is on every page a signed-in user opens."""
    from flask import render_template
    from markupsafe import Markup

    key = (current_user.role.value if current_user.is_authenticated else None, i18n.current_locale(),
           request.endpoint, request.script_root)
    kept = current_app.extensions.setdefault("nav_links", {})
    html = kept.get(key)
    if html is None:
        html = Markup(render_template("_nav_links.html"))
        if len(kept) < 2000:  # roles x languages x endpoints: bounded, but never let it grow without end
            kept[key] = html
    return html


def endpoint_url(endpoint, **values):
    """``url_for`` for an endpoint that may not exist (a feature not installed): None then."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def viewer_time_zone() -> ZoneInfo:
    """The zone to show times in: a parliamentarian's own profile zone; otherwise the device's zone,
    which static/js/app.js keeps in the ``tz`` cookie; otherwise UTC (outside a request too)."""
    if not has_request_context():
        return ZoneInfo("UTC")
    if current_user.is_authenticated and getattr(current_user, "parliamentarian", None) is not None:
        zone = current_user.parliamentarian.time_zone
        if zone in _zones():
            return ZoneInfo(zone)
    zone = request.cookies.get("tz", "")
    return ZoneInfo(zone) if zone in _zones() else ZoneInfo("UTC")


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def format_datetime(value):
    """A UTC datetime as the viewer reads it: in their zone, with the zone's abbreviation."""
    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    zone = viewer_time_zone()
    local = value.astimezone(zone)
    abbrev = local.strftime("%Z")
    label = abbrev if abbrev and abbrev[0] not in "+-" else zone.key  # "+03" says less than "Europe/Minsk"
    return f"{i18n.format_date(local)} {i18n.format_time(local)} {label}"


def url_with(**changes):
    """The current URL with some query arguments replaced (for pagination and sorting links)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items()})
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register(app):
    app.jinja_env.filters["date"] = i18n.format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["country_name"] = pickers.country_name
    app.jinja_env.filters["language_name"] = pickers.language_name
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["nav_menu"] = nav_menu
    app.jinja_env.globals["nav_links"] = nav_links
    app.jinja_env.globals["endpoint_url"] = endpoint_url
    app.jinja_env.globals["today"] = lambda: dt.date.today()
