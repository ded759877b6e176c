"""Staff dashboard."""
from flask import render_template

from advocacy.dashboard import bp
from advocacy.security import staff_required


@bp.route("/")
@staff_required
def index():
    return render_template("dashboard/index.html")
