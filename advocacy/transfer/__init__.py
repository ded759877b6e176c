"""Imports and exports."""
from flask import Blueprint, current_app, request

bp = Blueprint("transfer", __name__, url_prefix="/transfer")


def _import_upload_limit():
    """Imports may be up to IMPORT_MAX_BYTES (100 MB); every other request keeps
    MAX_CONTENT_LENGTH. It has to be set before anything reads the body (the app-wide NUL-byte
    check reads every form), hence the first before-request function of the app."""
    if request.endpoint == "transfer.index":
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


@bp.record_once
def _install(state):
    state.app.before_request_funcs.setdefault(None, []).insert(0, _import_upload_limit)


from advocacy.transfer import routes  # noqa: E402,F401
