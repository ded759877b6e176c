"""Views of audit."""
from advocacy.audit import bp  # noqa: F401
