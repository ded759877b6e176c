"""Embedded defaults: SQLite under instance/, mail written to instance/mail/ as .eml files."""
import os

BASE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
INSTANCE_DIR = os.path.join(BASE_DIR, "instance")


class Config:
    ENV_NAME = "default"
    SECRET_KEY = "dev-only-change-me"
    SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(INSTANCE_DIR, "advocacy.db")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Public base URL used in emails and calendar feeds (no request context there).
    BASE_URL = "http://127.0.0.1:5000"

    # Mail. MAIL_BACKEND: "file" (write .eml into MAIL_FILE_DIR) or "smtp" (Flask-Mail).
    MAIL_BACKEND = "file"
    MAIL_FILE_DIR = os.path.join(INSTANCE_DIR, "mail")
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "WeStandByYou campaign <campaign@advocacy.example.org>"
    #: where godparents can write to a person on the campaign team (shown in mail)
    CAMPAIGN_CONTACT_EMAIL = "team@advocacy.example.org"
    MAIL_TIMEOUT = 10.0  # seconds, connect and each SMTP command
    MAIL_TLS_CA_FILE = None  # CA bundle to verify the relay with (default: the system store)
    # The outbox's sender (every kind of mail): see README "Mail".
    MAIL_BATCH_SIZE = 200  # messages claimed at a time
    MAIL_COMMIT_EVERY = 20  # statuses committed per group; a killed sender re-sends at most one group
    MAIL_LEASE_SECONDS = 600  # a claim's lease, renewed before every group
    MAIL_DELIVER_BUDGET_SECONDS = 50  # one deliver run drains batches for at most this long
    MAIL_MAX_ATTEMPTS = 6  # temporary failures (4xx, timeouts) before a message fails for good
    #: mail a person waits for (reset, sign-in link) leaves once the response has gone out, so
    #: neither latency nor timing depends on the relay; False sends it before the response
    MAIL_URGENT_AFTER_RESPONSE = True

    # Security
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "advocacy"
    RATELIMIT_STRATEGY = "moving-window"  # no burst of double the limit across a window's edge
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count in each worker's memory (a warning is logged), never fail the request
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Failed logins (see advocacy/auth/throttle.py): per (account, client), per client, per
    # account from browsers it never logged in from
    LOGIN_LIMIT_ACCOUNT_CLIENT = "5 per minute;20 per hour"
    LOGIN_LIMIT_CLIENT = "20 per minute;100 per hour"
    LOGIN_LIMIT_ACCOUNT = "10 per hour"
    # Requests that send a mail (password reset, sign-in links): every one counts
    MAIL_LIMIT_ACCOUNT_CLIENT = "3 per hour"
    MAIL_LIMIT_CLIENT = "10 per hour"
    MAIL_LIMIT_ACCOUNT = "5 per hour"
    # Pages behind a mailed link (set or reset a password), per client
    LINK_LIMIT_CLIENT = "30 per minute"
    # API: per token, and failed token checks per client
    API_LIMIT_TOKEN = "600 per minute"
    API_LIMIT_FAILED_CLIENT = "30 per minute"
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none, the default).
    # Exactly the number of proxies you run: more lets clients choose their own address.
    PROXY_COUNT = 0
    INVITE_TOKEN_MAX_AGE = 7 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600
    SIGN_IN_LINK_MAX_AGE = 2 * 3600  # passwordless sign-in links
    INVITATION_LINK_MAX_AGE = 30 * 24 * 3600  # an invitation can be answered for 28 days
    ONBOARDING_LINK_MAX_AGE = 7 * 24 * 3600  # from accepting to creating the account

    # Rendered public pages (README "Public page cache"): keyed on the public-data version, so a
    # change shows at once in every worker. SimpleCache lives in each worker's memory; production
    # shares one Redis. Redis down: pages render uncached (a warning is logged), never a 500.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 24 * 3600  # keys carry the day and the version: old ones just expire
    CACHE_THRESHOLD = 2000  # SimpleCache entries per worker
    CACHE_KEY_PREFIX = "advocacy:page:"

    PER_PAGE = 50
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # any request body: 10 MB, larger ones get a friendly 413
    # Imports: files up to 100 MB, stored on disk (IMPORT_UPLOAD_DIR, default instance/uploads),
    # checked and committed by the job runner (`flask scheduler` or `flask import run-jobs`).
    IMPORT_MAX_BYTES = 100 * 1024 * 1024
    IMPORT_UPLOAD_DIR = None
    IMPORT_INLINE_CHECK_BYTES = 1024 * 1024  # smaller files are checked at once, in the upload request
    IMPORT_JOB_INTERVAL_SECONDS = 5
    AUDIT_ENABLED = True

    # Reminders / scheduler
    REMINDER_LOCAL_HOUR = 8
    REMINDER_LOOKAHEAD_DAYS = 45
    REMINDER_GRACE_HOURS = 48
    FEB29_POLICY = "feb28"  # or "mar1"
    SCHEDULER_PLAN_INTERVAL_SECONDS = 600
    SCHEDULER_DELIVER_INTERVAL_SECONDS = 60
    # the impact pages' snapshot (advocacy/impact/models.py); they show its time
    IMPACT_REFRESH_INTERVAL_SECONDS = 3600
    # how stale a worker's idea of the latest snapshot may be (another worker's refresh)
    IMPACT_SNAPSHOT_RECHECK_SECONDS = 2
