"""Views of transfer."""
from advocacy.transfer import bp  # noqa: F401
