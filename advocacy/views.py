"""Small view helpers shared by the registers."""
from flask import flash, redirect, url_for

from advocacy.extensions import db


def toggle_archived(obj, label: str, endpoint: str, **values):
    """Archive or restore a register entry (POST views), then go back to its page."""
    obj.is_archived = not obj.is_archived
    db.session.commit()
    flash(f"{label} was {'archived' if obj.is_archived else 'restored'}.", "success")
    return redirect(url_for(endpoint, **values))
