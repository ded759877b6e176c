"""Small view helpers shared by the registers."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from advocacy.extensions import db


def toggle_archived(obj, label: str, endpoint: str, **values):
    """Archive (after the confirm step) or restore a register entry (POST views), then go back
    to its page."""
    if not obj.is_archived:
        ask = confirm_first(_("Archive %(label)s?", label=label), _("Archive"), url_for(endpoint, **values),
                            _("An archived entry leaves the lists, the public pages and the reminders. "
                              "You can restore it later."))
        if ask is not None:
            return ask
    obj.is_archived = not obj.is_archived
    db.session.commit()
    flash(_("%(label)s was archived.", label=label) if obj.is_archived else _("%(label)s was restored.", label=label),
          "success")
    return redirect(url_for(endpoint, **values))


def confirm_first(question: str, button: str, cancel_url: str, details: str | None = None):
    """The confirm step of a destructive POST (archive, delete, end, revoke), without JavaScript.

    A POST without ``confirmed=yes`` changes nothing and answers a page that asks ``question``
    and re-posts the same fields with ``confirmed=yes``; returns that page. With it, returns
    None and the view goes on."""
    if request.form.get("confirmed") == "yes":
        return None
    fields = [(k, v) for k, values in request.form.lists() if k not in ("csrf_token", "confirmed") for v in values]
    return render_template("confirm.html", question=question, button=button, cancel_url=cancel_url,
                           details=details, fields=fields, action=request.path)
