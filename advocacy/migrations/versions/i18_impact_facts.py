"""impact: effectiveness facts, their refreshes, the staff nudge rule

Revision ID: i18_impact_facts
Revises: 670758b1bade
Create Date: 2026-11-25 15:00:00

"""
from alembic import op
import sqlalchemy as sa

import advocacy.db_types


revision = 'i18_impact_facts'
down_revision = 'i16a1b2c3d4e5'
branch_labels = None
depends_on = None

KINDS = ('birthday', 'arrest_anniversary', 'milestone', 'hearing', 'hearing_followup', 'verdict',
         'adoption_anniversary', 'nudge')


def upgrade():
    op.create_table('impact_effect_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='rulekind', native_enum=False, length=32), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('parliament', sa.String(length=120), nullable=False),
    sa.Column('political_group', sa.String(length=120), nullable=True),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('followed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_effect_facts'))
    )
    with op.batch_alter_table('impact_effect_facts', schema=None) as batch_op:
        batch_op.create_index('ix_impact_effect_facts_month', ['month'], unique=False)
    op.create_table('impact_refreshes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('computed_on', sa.Date(), nullable=False),
    sa.Column('finished_at', advocacy.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('pairings', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_refreshes'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index('ix_statements_pairing_made_on', ['pairing_id', 'made_on'], unique=False)
        batch_op.create_index('ix_statements_made_on_kind_pairing', ['made_on', 'kind', 'pairing_id'], unique=False)
    # Data: the rule staff nudges hang on (inactive: the planner never plans it).
    rules = sa.table('reminder_rules', sa.column('kind', sa.String), sa.column('offset_days', sa.Integer),
                     sa.column('is_active', sa.Boolean), sa.column('created_at', sa.DateTime))
    conn = op.get_bind()
    exists = conn.execute(sa.text("SELECT 1 FROM reminder_rules WHERE kind = 'nudge' AND offset_days = 0")).first()
    if not exists:
        import datetime as dt
        op.bulk_insert(rules, [{'kind': 'nudge', 'offset_days': 0, 'is_active': False,
                                'created_at': dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)}])


def downgrade():
    op.execute("DELETE FROM reminders WHERE kind = 'nudge'")
    op.execute("DELETE FROM reminder_rules WHERE kind = 'nudge'")
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index('ix_statements_made_on_kind_pairing')
        batch_op.drop_index('ix_statements_pairing_made_on')
    op.drop_table('impact_refreshes')
    with op.batch_alter_table('impact_effect_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_impact_effect_facts_month')
    op.drop_table('impact_effect_facts')
