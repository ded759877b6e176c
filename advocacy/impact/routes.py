"""Impact views."""
