"""Reminder rules, outbox and delivery."""
from flask import Blueprint

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.app_template_filter("reminder_reason")
def _reminder_reason(reason):
    from advocacy.reminders.reasons import reason_text

    return reason_text(reason)


from advocacy.reminders import routes  # noqa: E402,F401
