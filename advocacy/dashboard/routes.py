"""Staff dashboard."""
import datetime as dt

from flask import render_template

from advocacy.dashboard import bp, services
from advocacy.outbox.services import failed_count
from advocacy.security import staff_required
from advocacy.staff_version import render_cached


@bp.route("/")
@staff_required
def index():
    today = dt.date.today()
    failed = failed_count()  # live (the outbox is not staff data): part of the cached part's key

    def context():
        d = services.dashboard(today, failed_mail=failed)
        return dict(f=d["figures"], today=today, uncovered=d["uncovered"], silent=d["silent"])
    return render_template("dashboard/index.html",
                           content=render_cached("dashboard/_index.html", context, failed, today=today))
