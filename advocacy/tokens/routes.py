"""Views of tokens."""
from advocacy.tokens import bp  # noqa: F401
