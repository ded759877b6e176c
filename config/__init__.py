"""Configuration objects. ``create_app(name)`` loads ``config.<name>.Config`` then applies
environment overrides (see ``advocacy.config_from_env``)."""
