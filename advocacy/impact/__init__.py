"""Impact: who spoke, when, and which reminders moved them (staff view at /impact/)."""
from flask import Blueprint

bp = Blueprint("impact", __name__, url_prefix="/impact")



@bp.context_processor
def _helpers():
    import datetime as dt

    return {"timedelta": dt.timedelta}


from advocacy.impact import routes  # noqa: E402,F401
