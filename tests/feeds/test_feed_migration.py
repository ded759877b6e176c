"""Migration i19: an address made when there was one per user keeps working as a named device."""
import sqlalchemy as sa

from advocacy import create_app
from advocacy.extensions import db


def test_existing_feed_tokens_become_named_devices_for_their_owners_role(tmp_path):
    from flask_migrate import downgrade, upgrade

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade(revision="670758b1bade")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO users (id, email, name, role, password_version, is_active_account, locale, created_at) "
                                 "VALUES (1, 'a@example.org', 'A', 'staff', 0, 1, 'en', '2026-01-01 00:00:00')"))
            conn.execute(sa.text("INSERT INTO feed_tokens (id, user_id, token_hash, created_at) "
                                 "VALUES (7, 1, 'abc', '2026-01-01 00:00:00')"))
        upgrade(revision="i19_feed_per_device")
        with db.engine.connect() as conn:
            row = conn.execute(sa.text("SELECT name, role, token_hash FROM feed_tokens WHERE id = 7")).one()
            assert tuple(row) == ("Calendar", "staff", "abc")
            conn.execute(sa.text("INSERT INTO feed_tokens (user_id, name, role, token_hash, created_at) "
                                 "VALUES (1, 'Phone', 'staff', 'def', '2026-01-02 00:00:00')"))  # a second device: allowed now
            conn.commit()
        downgrade(revision="670758b1bade")  # back to one per user: the newest is kept
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT token_hash FROM feed_tokens")).scalars().all() == ["def"]
        db.engine.dispose()
