"""Impact: who spoke, when, and which reminders moved them (staff view at /impact/)."""
from flask import Blueprint

bp = Blueprint("impact", __name__, url_prefix="/impact")



@bp.context_processor
def _helpers():
    import datetime as dt

    from advocacy.i18n import format_date

    return {"timedelta": dt.timedelta,
            "month_year": lambda day: format_date(day, "yMMMM")}  # "November 2026", "listopad 2026"


from advocacy.impact import routes  # noqa: E402,F401
