"""Staff dashboard."""
import datetime as dt

from flask import render_template

from advocacy.dashboard import bp, services
from advocacy.security import staff_required


@bp.route("/")
@staff_required
def index():
    today = dt.date.today()
    d = services.dashboard(today)
    return render_template("dashboard/index.html", f=d["figures"], today=today, uncovered=d["uncovered"],
                           silent=d["silent"])
