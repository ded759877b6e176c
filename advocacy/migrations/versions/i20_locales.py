"""languages: a parliamentarian's own locale; a user's locale becomes "no choice yet" (null)

Revision ID: i20_locales
Revises: i14_mandates
Create Date: 2026-11-25 17:40:00

Every user had locale "en" by default, because English was the only language: nobody chose
it, so it becomes null ("no choice yet"), and their browser or their parliamentarian's
language decides until they choose. Parliamentarians get a nullable locale: null means their
country's language.
"""
import sqlalchemy as sa
from alembic import op

revision = 'i20_locales'
down_revision = 'i14_mandates'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('parliamentarians') as batch:
        batch.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
    with op.batch_alter_table('users') as batch:
        batch.alter_column('locale', existing_type=sa.String(length=8), nullable=True)
    op.execute("UPDATE users SET locale = NULL WHERE locale = 'en'")


def downgrade():
    op.execute("UPDATE users SET locale = 'en' WHERE locale IS NULL")
    with op.batch_alter_table('users') as batch:
        batch.alter_column('locale', existing_type=sa.String(length=8), nullable=False)
    with op.batch_alter_table('parliamentarians') as batch:
        batch.drop_column('locale')
