"""Views of users."""
from advocacy.users import bp  # noqa: F401
