"""name variants: every spelling of prisoners' and parliamentarians' names, searchable

Creates pg_trgm on PostgreSQL (trigram similarity and its GIN indexes), the name_variants
table, and fills it for the people already in the registers.

Revision ID: c1f5e0a7d915
Revises: 670758b1bade
Create Date: 2026-11-25 14:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c1f5e0a7d915'
down_revision = 'i19_feed_per_device'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_table('name_variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prisoner_id', sa.Integer(), nullable=True),
    sa.Column('parliamentarian_id', sa.Integer(), nullable=True),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('is_given', sa.Boolean(), nullable=False),
    sa.CheckConstraint('(prisoner_id IS NULL) <> (parliamentarian_id IS NULL)', name='ck_name_variants_one_owner'),
    sa.ForeignKeyConstraint(['parliamentarian_id'], ['parliamentarians.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prisoner_id'], ['prisoners.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('name_variants', schema=None) as batch_op:
        batch_op.create_index('ix_name_variants_key_trgm', ['key'], unique=False, postgresql_using='gin', postgresql_ops={'key': 'gin_trgm_ops'}, postgresql_with={'fastupdate': 'off'})
        batch_op.create_index('ix_name_variants_parliamentarian_id', ['parliamentarian_id'], unique=False)
        batch_op.create_index('ix_name_variants_prisoner_id', ['prisoner_id'], unique=False)
        batch_op.create_index('ix_name_variants_word_trgm', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'}, postgresql_with={'fastupdate': 'off'})
    _backfill(bind)


def _backfill(bind):
    # The same functions the app runs on save, so existing people are found like new ones.
    from advocacy.names.variants import variant_rows
    from advocacy.text import split_lines

    variants = sa.table('name_variants', sa.column('prisoner_id', sa.Integer), sa.column('parliamentarian_id', sa.Integer),
                        sa.column('word', sa.String), sa.column('key', sa.String), sa.column('is_given', sa.Boolean))
    people = [
        ('prisoner_id', bind.execute(sa.text('SELECT id, name, alt_names FROM prisoners')),
         lambda r: [r.name, *split_lines(r.alt_names)]),
        ('parliamentarian_id', bind.execute(sa.text('SELECT id, full_name FROM parliamentarians')),
         lambda r: [r.full_name]),
    ]
    for owner, result, spellings in people:
        batch = []
        for r in result.all():
            batch += [{'prisoner_id': None, 'parliamentarian_id': None, owner: r.id, **row}
                      for row in variant_rows(spellings(r))]
            if len(batch) >= BATCH:
                bind.execute(variants.insert(), batch)
                batch = []
        if batch:
            bind.execute(variants.insert(), batch)


def downgrade():
    with op.batch_alter_table('name_variants', schema=None) as batch_op:
        batch_op.drop_index('ix_name_variants_word_trgm', postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})
        batch_op.drop_index('ix_name_variants_prisoner_id')
        batch_op.drop_index('ix_name_variants_parliamentarian_id')
        batch_op.drop_index('ix_name_variants_key_trgm', postgresql_using='gin', postgresql_ops={'key': 'gin_trgm_ops'})
    op.drop_table('name_variants')
    # pg_trgm stays: other objects may use it, and dropping an extension needs more rights.
