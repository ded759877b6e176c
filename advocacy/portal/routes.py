"""The parliamentarian's portal."""
from flask import render_template

from advocacy.portal import bp
from advocacy.security import parliamentarian_required


@bp.route("/")
@parliamentarian_required
def index():
    return render_template("portal/index.html")
