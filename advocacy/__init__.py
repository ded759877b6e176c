"""advocacy: a godparent campaign for political prisoners.

``create_app(config_name)`` builds the Flask app: configuration (``config/<name>.py`` then
environment variables), extensions, blueprints, CLI commands, error pages, security headers.
"""
import importlib
import os

from flask import Flask, jsonify, render_template, request

from advocacy import extensions as ext

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

FEATURES = (
    "auth", "users", "dashboard", "prisoners", "facilities", "parliamentarians", "pairings",
    "statements", "portal", "audit", "reminders", "matching", "public", "feeds", "transfer", "exports",
    "tokens", "api", "impact",
)

#: environment variables that override configuration (type converters)
ENV_OVERRIDES = {
    "SECRET_KEY": str,
    # old keys, comma-separated, still accepted for signatures (sessions, mailed links) during a rotation
    "SECRET_KEY_FALLBACKS": lambda v: [k.strip() for k in v.split(",") if k.strip()],
    "PROXY_COUNT": int,
    "DATABASE_URL": str,
    "BASE_URL": str,
    "MAIL_BACKEND": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_USE_SSL": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "CAMPAIGN_CONTACT_EMAIL": str,
    "MAIL_TIMEOUT": float,
    "MAIL_TLS_CA_FILE": str,
    "MAIL_FILE_DIR": str,
    "RATELIMIT_STORAGE_URI": str,
    "CACHE_TYPE": str,
    "CACHE_REDIS_URL": str,
    "CACHE_KEY_PREFIX": str,
    "MAIL_BATCH_SIZE": int,
    "MAIL_COMMIT_EVERY": int,
    "MAIL_LEASE_SECONDS": int,
    "MAIL_DELIVER_BUDGET_SECONDS": float,
    "MAIL_MAX_ATTEMPTS": int,
    "RATELIMIT_KEY_PREFIX": str,
    "REMINDER_LOCAL_HOUR": int,
    "REMINDER_GRACE_HOURS": int,
    "REMINDER_LOOKAHEAD_DAYS": int,
    "SCHEDULER_PLAN_INTERVAL_SECONDS": int,
    "SCHEDULER_DELIVER_INTERVAL_SECONDS": int,
}


def config_from_env(app: Flask) -> None:
    for name, conv in ENV_OVERRIDES.items():
        value = os.environ.get("ADVOCACY_" + name, os.environ.get(name))
        if value is None or value == "":
            continue
        key = "SQLALCHEMY_DATABASE_URI" if name == "DATABASE_URL" else name
        app.config[key] = conv(value)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    # psycopg 3 is our PostgreSQL driver; accept the common postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len(prefix):]


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    config_name = config_name or os.environ.get("ADVOCACY_CONFIG", "default")
    app = Flask(
        __name__,
        instance_path=os.path.join(ROOT, "instance"),
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    app.config.from_object(importlib.import_module(f"config.{config_name}").Config)
    config_from_env(app)
    if overrides:
        app.config.update(overrides)
    _check_config(app)
    trust_proxies(app)
    os.makedirs(app.instance_path, exist_ok=True)

    from advocacy.mail import validate_sender

    app.config["MAIL_DEFAULT_SENDER"] = validate_sender(app.config.get("MAIL_DEFAULT_SENDER"))

    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
                     render_as_batch=True)
    ext.login_manager.init_app(app)
    ext.mail.init_app(app)
    ext.csrf.init_app(app)
    ext.limiter.init_app(app)
    ext.cache.init_app(app)
    from advocacy import i18n

    i18n.init_app(app)
    _log_limiter_warnings(app)

    import advocacy.models  # noqa: F401  (register every table)
    from advocacy.audit import services as audit

    audit.install()
    from advocacy.public import services as public_data

    public_data.install()
    from advocacy import staff_version

    staff_version.install()
    staff_version.init_app(app)
    from advocacy.auth import services as auth_services

    auth_services.install()
    from advocacy.names import services as names

    names.install()
    _configure_login()
    from advocacy.security import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any rule is added
    for name in FEATURES:
        module = importlib.import_module(f"advocacy.{name}")
        app.register_blueprint(module.bp)
    ext.csrf.exempt(importlib.import_module("advocacy.api").bp)  # token-authenticated, no cookies

    from advocacy import cli, templating
    from advocacy.security import add_security_headers, refuse_nul_bytes

    from advocacy.outbox import services as outbox
    import advocacy.reminders.delivery  # noqa: F401  (registers the reminder renderer with the outbox)
    import advocacy.reminders.receivers  # noqa: F401  (the engines answer domain events)
    import advocacy.matching.receivers  # noqa: F401

    outbox.install(app)
    cli.register(app)
    templating.register(app)
    app.before_request(_forget_loaded_user)
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
    _register_errors(app)
    return app


def _log_limiter_warnings(app: Flask) -> None:
    """Flask-Limiter reports "storage unreachable, falling back to memory" on its own logger,
    which has only a NullHandler: without this the Redis outage would pass unseen."""
    import logging

    from flask.logging import default_handler

    logger = ext.limiter.logger
    if not any(not isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(default_handler)
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)


def trust_proxies(app: Flask) -> None:
    """Behind ``PROXY_COUNT`` reverse proxies, take the client's address and scheme from the
    X-Forwarded-For/-Proto entries those proxies added (and no further: the rest is the client's
    word). Throttling keys on that address."""
    n = app.config.get("PROXY_COUNT") or 0
    if n:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)


def _check_config(app: Flask) -> None:
    from advocacy.mail import ConfigError

    missing = [k for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not app.config.get(k)]
    if missing:
        raise ConfigError(f"missing configuration: {', '.join(missing)} (set them in the environment)")
    if app.config.get("ENV_NAME") == "production":
        from advocacy.security import secret_key_problems

        problems = secret_key_problems(app.config["SECRET_KEY"], app.config.get("SECRET_KEY_FALLBACKS") or [], ROOT)
        if problems:
            raise ConfigError("refusing to start: " + "; ".join(problems))


def _configure_login() -> None:
    from advocacy.auth.models import User

    login_manager = ext.login_manager
    login_manager.login_view = "auth.login"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.localize_callback = str  # resolved in the language of the request that flashes it
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        """Session and remember cookies hold ``"<id>.<session version>"`` (``User.get_id``): a
        cookie from before a password change, role change, deactivation or "sign out
        everywhere" names an old version and is refused."""
        from advocacy.auth.services import user_for_session_id

        return user_for_session_id(user_id)


def _forget_loaded_user() -> None:
    """Check the session cookie against the database on every request. Flask-Login caches the
    user on ``g``, which lives as long as the app context; when one context serves several
    requests (tests), a cookie refused since (older session version) would still pass."""
    from flask import g

    g.pop("_login_user", None)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _register_errors(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l
    from flask_wtf.csrf import CSRFError

    def handler(code: int, title: str, text: str):
        def handle(error):
            if wants_json():
                return jsonify(error={"code": code, "message": getattr(error, "description", title)}), code
            # the language switcher leads home: an error page must not echo the address it refused
            return render_template("errors/error.html", code=code, title=title, text=text, language_next="/"), code

        return handle

    for code, title, text in (
        (400, _l("Bad request"), _l("The request could not be understood.")),
        (403, _l("Forbidden"), _l("You do not have access to this page.")),
        (404, _l("Not found"), _l("There is nothing at this address.")),
        (405, _l("Method not allowed"), _l("This address does not accept that method.")),
        (413, _l("Too large"), _l("The upload is too large.")),
        (429, _l("Too many requests"), _l("Too many attempts. Please wait a minute and try again.")),
        (500, _l("Server error"), _l("Something went wrong on our side. The team has been told.")),
    ):
        app.register_error_handler(code, handler(code, title, text))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if wants_json():
            return jsonify(error={"code": 400, "message": error.description}), 400
        return render_template("errors/error.html", code=400, title=_l("Form expired"), language_next="/",
                               text=_l("The form was missing its security token or it had expired. "
                                       "Go back, reload the page and try again.")), 400
