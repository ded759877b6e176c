"""Impact: who spoke, when, and which reminders moved them (staff view at /impact/)."""
from flask import Blueprint

bp = Blueprint("impact", __name__, url_prefix="/impact")



@bp.context_processor
def _chart_helpers():
    import datetime as dt

    from advocacy.i18n import format_date
    from advocacy.impact import services

    return {"stacked_chart": services.stacked_chart, "lines_chart": services.lines_chart,
            "rates_chart": services.rates_chart, "timedelta": dt.timedelta,
            "month_year": lambda day: format_date(day, "yMMMM")}  # "November 2026", "listopad 2026"


from advocacy.impact import routes  # noqa: E402,F401
