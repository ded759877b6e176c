"""The migration fills name_variants for people already in the database."""
import sqlalchemy as sa

from advocacy import create_app
from advocacy.extensions import db


def test_migration_backfills_variants_of_existing_people(tmp_path):
    from flask_migrate import upgrade

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/old.db"})
    with app.app_context():
        upgrade(revision="670758b1bade")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO prisoners (name, alt_names, search_text, languages, ties_countries, status, is_humanitarian, "
                "risk_serious_illness, risk_disability, risk_over_60, risk_mental_disorder, risk_large_family, "
                "has_family_consent, visibility, is_archived, created_at, updated_at) VALUES "
                "('Марыя Калеснікава', 'Maria Kolesnikova', '', '', '', 'sentenced', 0, 0, 0, 0, 0, 0, 0, 'private', 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
            conn.execute(sa.text(
                "INSERT INTO parliamentarians (full_name, search_text, parliament, chamber, country, languages, committees, "
                "time_zone, is_archived, created_at, updated_at) VALUES ('Martin Dvořák', '', 'European Parliament', "
                "'single', 'CZ', '', '', 'Europe/Prague', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT prisoner_id, parliamentarian_id, word, is_given FROM name_variants")).all()
        assert {r.word for r in rows if r.prisoner_id} >= {"kalesnikava", "kolesnikova", "maria"}
        assert {(r.word, bool(r.is_given)) for r in rows if r.parliamentarian_id} >= {("dvorak", True)}
        from advocacy.prisoners import services

        assert [p.name for p in services.search("Maryia Kalesnikava")] == ["Марыя Калеснікава"]
        db.session.remove()
        db.engine.dispose()
