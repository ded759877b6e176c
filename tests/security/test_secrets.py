"""Point 4: production accepted any secret key, including the repository's own."""
import os
import secrets
import tempfile

import pytest

from advocacy import create_app
from advocacy.mail import ConfigError

DB = "sqlite:///" + os.path.join(tempfile.gettempdir(), f"advocacy-i16-secrets-{os.getpid()}.db")
#: a key written in tests/: production must refuse it even though it is long enough
WRITTEN_DOWN = "this-key-is-long-enough-but-public-0123456789"


def _production(monkeypatch, key, fallbacks=None):
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", DB)
    # create_app binds the shared limiter to the new app's storage: keep it in memory, off Redis
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    if fallbacks is not None:
        monkeypatch.setenv("SECRET_KEY_FALLBACKS", fallbacks)
    return create_app("production")


@pytest.mark.parametrize("key", ["a", "changeme", "dev-only-change-me", "testing-secret", "x" * 31, WRITTEN_DOWN])
def test_production_refuses_weak_or_published_keys(monkeypatch, key):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        _production(monkeypatch, key)


def test_production_refuses_a_weak_fallback(monkeypatch):
    with pytest.raises(ConfigError, match="SECRET_KEY_FALLBACKS"):
        _production(monkeypatch, secrets.token_urlsafe(48), fallbacks="dev-only-change-me")


def test_after_a_rotation_links_mailed_with_the_old_key_keep_working(monkeypatch):
    from advocacy.reminders.notifications import read_unsubscribe_token, unsubscribe_token

    old, new = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    with _production(monkeypatch, old).test_request_context():
        mailed = unsubscribe_token(42)
    with _production(monkeypatch, new, fallbacks=old).test_request_context():
        assert read_unsubscribe_token(mailed) == 42
        assert unsubscribe_token(42) != mailed  # new links are signed with the new key
    with _production(monkeypatch, new, fallbacks="").test_request_context():
        assert read_unsubscribe_token(mailed) is None  # once the old key is dropped
