"""Public campaign pages (no login)."""
from flask import redirect, url_for

from advocacy.public import bp


@bp.route("/")
def index():
    # Replaced by the public campaign page (issue 6).
    return redirect(url_for("auth.login"))
