import os
import tempfile

from config.default import Config as Default


class Config(Default):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or (
        "sqlite:///" + os.path.join(tempfile.gettempdir(), f"advocacy-test-{os.getpid()}.db")
    )
    IMPORT_UPLOAD_DIR = os.path.join(tempfile.gettempdir(), f"advocacy-test-uploads-{os.getpid()}")
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 1  # tests that send start aiosmtpd and set the port; port 1 fails fast
    MAIL_TIMEOUT = 5.0
    # The test client does not close responses, so "after the response" would never come; one
    # test turns it on with a client that does (tests/outbox).
    MAIL_URGENT_AFTER_RESPONSE = False
    MAIL_SUPPRESS_SEND = False  # Flask-Mail would drop mail under TESTING; tests use a real local SMTP server
    RATELIMIT_ENABLED = True
    BASE_URL = "http://localhost"
