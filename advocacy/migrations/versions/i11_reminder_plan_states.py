"""reminder plan states: incremental planning

Revision ID: i11_plan_states
Revises: 670758b1bade
Create Date: 2026-11-25 14:50:00

Data migration: every pairing that already has reminders gets a state with an empty
fingerprint, so the first incremental plan re-derives it (and reconciles what the previous
planner left: cancelled reminders that hold again, digests, ended pairings).
"""
from alembic import op
import sqlalchemy as sa

import advocacy.db_types


revision = 'i11_plan_states'
down_revision = 'c1f5e0a7d915'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_plan_states',
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('planned_through', sa.Date(), nullable=False),
    sa.Column('updated_at', advocacy.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_reminder_plan_states_pairing_id_pairings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pairing_id', name=op.f('pk_reminder_plan_states'))
    )
    op.execute(
        "INSERT INTO reminder_plan_states (pairing_id, fingerprint, planned_through, updated_at) "
        "SELECT pairing_id, '', MAX(send_on), CURRENT_TIMESTAMP FROM reminders GROUP BY pairing_id")


def downgrade():
    op.drop_table('reminder_plan_states')
