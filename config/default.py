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
    MAIL_TIMEOUT = 10.0  # seconds, connect and each SMTP command

    # Security
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "5 per minute;20 per hour"
    INVITE_TOKEN_MAX_AGE = 7 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600

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
    REMINDER_MAX_ATTEMPTS = 6
    FEB29_POLICY = "feb28"  # or "mar1"
    SCHEDULER_PLAN_INTERVAL_SECONDS = 600
    SCHEDULER_DELIVER_INTERVAL_SECONDS = 60
