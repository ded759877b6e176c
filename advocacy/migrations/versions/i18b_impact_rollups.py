"""impact: the snapshot tables (statements per month, godparents' and prisoners' last
statements, coverage per month) and grains for the effectiveness facts; filled for existing data

Revision ID: i18b_impact_rollups
Revises: i17b_staff_version
"""
import sqlalchemy as sa
from alembic import op

revision = 'i18b_impact_rollups'
down_revision = 'i17b_staff_version'
branch_labels = None
depends_on = None

KINDS = ('speech', 'press_release', 'social_post', 'parliamentary_question', 'letter_to_prisoner',
         'letter_to_authorities', 'media', 'trial_observation', 'other')
GRAIN_INDEX = ['grain', 'country', 'political_group', 'parliament', 'month']


def _dims():
    return [sa.Column('country', sa.String(length=2), nullable=True),
            sa.Column('parliament', sa.String(length=120), nullable=True),
            sa.Column('political_group', sa.String(length=120), nullable=True)]


def upgrade():
    with op.batch_alter_table('impact_effect_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grain', sa.SmallInteger(), nullable=False, server_default='7'))
        batch_op.alter_column('country', existing_type=sa.String(length=2), nullable=True)
        batch_op.alter_column('parliament', existing_type=sa.String(length=120), nullable=True)
        batch_op.drop_index('ix_impact_effect_facts_month')
        batch_op.create_index('ix_impact_effect_facts_grain', GRAIN_INDEX, unique=False)
    with op.batch_alter_table('impact_effect_facts', schema=None) as batch_op:
        batch_op.alter_column('grain', existing_type=sa.SmallInteger(), server_default=None)

    op.create_table('impact_statement_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grain', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='statementkind', native_enum=False, length=32), nullable=False),
    *_dims(),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_statement_months'))
    )
    op.create_index('ix_impact_statement_months_grain', 'impact_statement_months', GRAIN_INDEX, unique=False)
    op.create_table('impact_coverage_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grain', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    *_dims(),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_coverage_months'))
    )
    op.create_index('ix_impact_coverage_months_grain', 'impact_coverage_months', GRAIN_INDEX, unique=False)
    op.create_table('impact_godparent_months',
    sa.Column('parliamentarian_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('last_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('parliamentarian_id', 'month', name=op.f('pk_impact_godparent_months'))
    )
    op.create_index('ix_impact_godparent_months_month', 'impact_godparent_months', ['month', 'parliamentarian_id'],
                    unique=False)
    op.create_table('impact_godparents',
    sa.Column('parliamentarian_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    *_dims(),
    sa.Column('last_statement_on', sa.Date(), nullable=True),
    sa.Column('has_active_pairing', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('parliamentarian_id', name=op.f('pk_impact_godparents'))
    )
    op.create_index('ix_impact_godparents_active_last', 'impact_godparents', ['has_active_pairing', 'last_statement_on'],
                    unique=False)
    op.create_index('ix_impact_godparents_name', 'impact_godparents', ['full_name', 'parliamentarian_id'], unique=False)
    op.create_table('impact_active_pairings',
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('prisoner_id', sa.Integer(), nullable=False),
    sa.Column('parliamentarian_id', sa.Integer(), nullable=False),
    *_dims(),
    sa.Column('last_statement_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('pairing_id', name=op.f('pk_impact_active_pairings'))
    )
    op.create_index('ix_impact_active_pairings_prisoner', 'impact_active_pairings', ['prisoner_id'], unique=False)
    op.create_table('impact_prisoners',
    sa.Column('prisoner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_humanitarian', sa.Boolean(), nullable=False),
    sa.Column('detained_on', sa.Date(), nullable=True),
    sa.Column('last_statement_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('prisoner_id', name=op.f('pk_impact_prisoners'))
    )
    op.create_index('ix_impact_prisoners_order', 'impact_prisoners', ['is_humanitarian', 'detained_on', 'prisoner_id'],
                    unique=False)

    # Data: where a snapshot exists, fill the new tables as of its day and add the coarser
    # grains to its effectiveness facts (all at grain 7 until now), so the pages read one
    # consistent snapshot. Without one there is nothing to fill: the pages say "not computed yet".
    conn = op.get_bind()
    computed_on = conn.scalar(sa.text("SELECT computed_on FROM impact_refreshes ORDER BY id DESC LIMIT 1"))
    if computed_on is not None:
        import datetime as dt

        from advocacy.impact import models, services
        if isinstance(computed_on, str):  # SQLite
            computed_on = dt.date.fromisoformat(computed_on)
        services.refresh_rollups(conn, computed_on)
        services._grains_from_finest(conn, models.EffectFact, [models.EffectFact.cases, models.EffectFact.followed],
                                     [models.EffectFact.month, models.EffectFact.kind])


def downgrade():
    for table in ('impact_prisoners', 'impact_active_pairings', 'impact_godparents', 'impact_godparent_months',
                  'impact_coverage_months', 'impact_statement_months'):
        op.drop_table(table)
    op.execute("DELETE FROM impact_effect_facts WHERE grain <> 7")
    with op.batch_alter_table('impact_effect_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_impact_effect_facts_grain')
        batch_op.create_index('ix_impact_effect_facts_month', ['month'], unique=False)
        batch_op.alter_column('parliament', existing_type=sa.String(length=120), nullable=False)
        batch_op.alter_column('country', existing_type=sa.String(length=2), nullable=False)
        batch_op.drop_column('grain')
