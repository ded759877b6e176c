"""Models of this feature (none yet)."""
