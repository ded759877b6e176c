"""The i14 migration moves each member's single mandate into a mandate row and merges EP group
names stored by spelling (English full names beside French-edition abbreviations)."""
import sqlalchemy as sa

from advocacy import create_app
from advocacy.extensions import db


def test_migration_moves_mandates_and_merges_groups_split_by_spelling(tmp_path):
    from flask_migrate import upgrade

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade(revision="i13_imports")
        insert = sa.text(
            "INSERT INTO parliamentarians (id, full_name, search_text, parliament, chamber, country, political_group, "
            "languages, committees, time_zone, is_archived, mandate_start_on, mandate_end_on, created_at, updated_at) "
            "VALUES (:id, :n, '', :parl, 'single', 'DE', :g, '', '', 'Europe/Berlin', 0, :s, :e, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        with db.engine.begin() as conn:
            for row in [
                dict(id=1, n="A", parl="European Parliament", g="Group of the European People's Party (Christian Democrats)",
                     s="2019-07-02", e=None),
                dict(id=2, n="B", parl="European Parliament", g="EPP", s="2024-07-16", e=None),
                dict(id=3, n="C", parl="European Parliament",
                     g="Groupe confédéral de la Gauche unitaire européenne/Gauche verte nordique", s=None, e=None),
                dict(id=4, n="D", parl="Bundestag", g="CDU/CSU", s="2021-10-26", e="2025-03-24"),
            ]:
                conn.execute(insert, row)
        upgrade(revision="i14_mandates")
        with db.engine.connect() as conn:
            groups = dict(conn.execute(sa.text("SELECT id, political_group FROM parliamentarians")).all())
            mandates = conn.execute(sa.text(
                "SELECT parliamentarian_id, term, start_on, end_on, political_group FROM mandates "
                "ORDER BY parliamentarian_id")).all()
        db.engine.dispose()
    assert groups == {1: "EPP", 2: "EPP", 3: "The Left", 4: "CDU/CSU"}
    assert [tuple(str(v) if v is not None else None for v in m) for m in mandates] == [
        ("1", "9", "2019-07-02", None, "EPP"),
        ("2", "10", "2024-07-16", None, "EPP"),
        ("3", "", None, None, "The Left"),
        ("4", "2021", "2021-10-26", "2025-03-24", "CDU/CSU"),
    ]
