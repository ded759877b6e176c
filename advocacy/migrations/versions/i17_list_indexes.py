"""Staff lists and dashboard at 10x data: an index for every filter and sort, partial indexes
for the dashboard's counts and "has an active godparent".

Revision ID: i17_list_indexes
Revises: i13_imports
"""
import sqlalchemy as sa
from alembic import op

revision = 'i17_list_indexes'
down_revision = 'i13_imports'
branch_labels = None
depends_on = None

UNVERIFIED = sa.text("verified_at IS NULL")
ACTIVE = sa.text("status = 'active'")


def upgrade():
    op.drop_index('ix_statements_made_on', table_name='statements')  # (made_on, id) below covers it
    op.create_index('ix_statements_made_on_id', 'statements', ['made_on', 'id'])
    op.create_index('ix_statements_created_at_id', 'statements', ['created_at', 'id'])
    op.create_index('ix_statements_kind_made_on_id', 'statements', ['kind', 'made_on', 'id'])
    op.create_index('ix_statements_unverified', 'statements', ['made_on', 'id'], sqlite_where=UNVERIFIED,
                    postgresql_where=UNVERIFIED)
    op.drop_index('ix_pairings_status', table_name='pairings')  # (status, created_at, id) below covers it
    op.create_index('ix_pairings_status_created_at_id', 'pairings', ['status', 'created_at', 'id'])
    op.create_index('ix_pairings_created_at_id', 'pairings', ['created_at', 'id'])
    op.create_index('ix_pairings_started_on_id', 'pairings', ['started_on', 'id'])
    op.create_index('ix_pairings_active_prisoner', 'pairings', ['prisoner_id'], sqlite_where=ACTIVE,
                    postgresql_where=ACTIVE)
    op.create_index('ix_pairings_active_parliamentarian', 'pairings', ['parliamentarian_id'], sqlite_where=ACTIVE,
                    postgresql_where=ACTIVE)
    op.create_index('ix_prisoners_updated_at', 'prisoners', ['updated_at'])


def downgrade():
    op.drop_index('ix_prisoners_updated_at', table_name='prisoners')
    for name in ('ix_pairings_active_parliamentarian', 'ix_pairings_active_prisoner', 'ix_pairings_started_on_id',
                 'ix_pairings_created_at_id', 'ix_pairings_status_created_at_id'):
        op.drop_index(name, table_name='pairings')
    op.create_index('ix_pairings_status', 'pairings', ['status'])
    for name in ('ix_statements_unverified', 'ix_statements_kind_made_on_id', 'ix_statements_created_at_id',
                 'ix_statements_made_on_id'):
        op.drop_index(name, table_name='statements')
    op.create_index('ix_statements_made_on', 'statements', ['made_on'])
