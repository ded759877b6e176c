"""The i16 migration backfills existing rows: public ids, tokens, the public-data version."""
import sqlalchemy as sa

from advocacy import create_app
from advocacy.extensions import db


def test_existing_prisoners_and_tokens_are_backfilled(tmp_path):
    from flask_migrate import upgrade

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/old.db"})
    with app.app_context():
        upgrade(revision="670758b1bade")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO users (id, email, name, role, password_version, is_active_account, locale, created_at) "
                "VALUES (1, 'a@example.org', 'A', 'staff', 0, 1, 'en', '2026-01-01 00:00:00')"))
            for i in (1, 2, 3):
                conn.execute(sa.text(
                    "INSERT INTO prisoners (id, name, alt_names, search_text, languages, ties_countries, status, visibility, has_family_consent, "
                    "is_humanitarian, is_archived, risk_serious_illness, risk_disability, risk_over_60, "
                    "risk_mental_disorder, risk_large_family, created_at, updated_at) VALUES "
                    f"({i}, 'P{i}', '', '', '', '', 'sentenced', 'public', 1, 0, 0, 0, 0, 0, 0, 0, "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
            conn.execute(sa.text("INSERT INTO api_tokens (id, name, token_hash, created_by_id, created_at) "
                                 "VALUES (1, 'owned', 'h1', 1, '2026-01-01 00:00:00'), "
                                 "(2, 'orphan', 'h2', NULL, '2026-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as conn:
            ids = conn.execute(sa.text("SELECT public_id FROM prisoners")).scalars().all()
            tokens = conn.execute(sa.text("SELECT name, scope, issued_role, expires_at IS NOT NULL, revoked_at IS NOT NULL "
                                          "FROM api_tokens ORDER BY id")).all()
            version = conn.execute(sa.text("SELECT version FROM public_data_version WHERE id = 1")).scalar()
            session_version = conn.execute(sa.text("SELECT session_version FROM users")).scalar()
        db.engine.dispose()
    assert len(set(ids)) == 3 and all(i and len(i) == 12 for i in ids)
    assert tokens == [("owned", "write", "staff", 1, 0), ("orphan", "write", "admin", 1, 1)]
    assert version == 1 and session_version == 0
