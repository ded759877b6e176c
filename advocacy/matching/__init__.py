"""Matching engine and adoption workflow."""
from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")


@bp.app_template_filter("score_part")
def _score_part(key):
    from advocacy.matching.scoring import part_label

    return part_label(key)


@bp.app_template_filter("plan_outcome")
def _plan_outcome(outcome):
    """A plan item's stored outcome: "invited", or why the pair could not be invited (stored
    in English as the pairing rules worded it: shown as it is)."""
    from flask_babel import gettext

    return gettext("invited") if outcome == "invited" else outcome


from advocacy.matching import routes  # noqa: E402,F401
