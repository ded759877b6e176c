"""Staff dashboard."""
import datetime as dt

from flask import render_template

from advocacy.dashboard import bp, services
from advocacy.security import staff_required


@bp.route("/")
@staff_required
def index():
    today = dt.date.today()
    return render_template("dashboard/index.html", f=services.figures(today), today=today,
                           uncovered=services.uncovered_prisoners(), silent=services.silent(today))
