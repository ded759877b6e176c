"""Calendar feeds: one address per device or calendar (named, made for a role), no longer one per user

Revision ID: i19_feed_per_device
Revises: 670758b1bade
Create Date: 2026-11-25 14:50:00

Existing addresses keep working: each becomes a device named "Calendar" for its owner's
current role.
"""
from alembic import op
import sqlalchemy as sa


revision = 'i19_feed_per_device'
down_revision = 'i18_impact_facts'
branch_labels = None
depends_on = None

ROLE = sa.Enum('admin', 'staff', 'parliamentarian', name='role', native_enum=False, length=32)


def upgrade():
    with op.batch_alter_table('feed_tokens') as batch:
        batch.add_column(sa.Column('name', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('role', ROLE, nullable=True))
    feed_tokens = sa.table('feed_tokens', sa.column('user_id', sa.Integer), sa.column('name', sa.String),
                           sa.column('role', sa.String))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('role', sa.String))
    op.execute(feed_tokens.update().values(
        name='Calendar',
        role=sa.select(users.c.role).where(users.c.id == feed_tokens.c.user_id).scalar_subquery()))
    with op.batch_alter_table('feed_tokens') as batch:
        batch.alter_column('name', existing_type=sa.String(length=100), nullable=False)
        batch.alter_column('role', existing_type=ROLE, nullable=False)
        batch.drop_constraint('uq_feed_tokens_user_id', type_='unique')
        batch.create_index('ix_feed_tokens_user_id', ['user_id'], unique=False)


def downgrade():
    # Back to one address per user: keep each user's most recently made one.
    conn = op.get_bind()
    conn.execute(sa.text(
        "DELETE FROM feed_tokens WHERE id NOT IN (SELECT MAX(id) FROM feed_tokens GROUP BY user_id)"))
    with op.batch_alter_table('feed_tokens') as batch:
        batch.drop_index('ix_feed_tokens_user_id')
        batch.create_unique_constraint('uq_feed_tokens_user_id', ['user_id'])
        batch.drop_column('role')
        batch.drop_column('name')
