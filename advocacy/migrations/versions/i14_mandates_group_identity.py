"""mandates as their own records; EP groups merged by identity; prosecutor; import keys

Revision ID: i14_mandates
Revises: i13_imports
Create Date: 2026-11-25 15:50:00

Moves each member's single mandate (mandate_start_on, mandate_end_on, political_group) into a
``mandates`` row, and merges EP group names that earlier imports stored by spelling (the
English edition's full names beside the French edition's abbreviations) into one canonical
group each, using the table in advocacy.parliamentarians.ep_groups.
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

import advocacy.db_types

revision = 'i14_mandates'
down_revision = 'i17_list_indexes'
branch_labels = None
depends_on = None

EP = "European Parliament"


def upgrade():
    op.create_table(
        'mandates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('parliamentarian_id', sa.Integer(), nullable=False),
        sa.Column('parliament', sa.String(length=120), nullable=False),
        sa.Column('chamber', sa.Enum('single', 'lower', 'upper', name='chamber', native_enum=False, length=32),
                  nullable=False),
        sa.Column('term', sa.String(length=20), nullable=False),
        sa.Column('start_on', sa.Date(), nullable=True),
        sa.Column('end_on', sa.Date(), nullable=True),
        sa.Column('political_group', sa.String(length=120), nullable=True),
        sa.Column('source_on', sa.Date(), nullable=True),
        sa.Column('created_at', advocacy.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['parliamentarian_id'], ['parliamentarians.id'],
                                name=op.f('fk_mandates_parliamentarian_id_parliamentarians'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mandates')),
        sa.UniqueConstraint('parliamentarian_id', 'parliament', 'chamber', 'term', name='uq_mandates_member_term'),
    )
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.create_index('ix_mandates_parliamentarian_id', ['parliamentarian_id'], unique=False)
        batch_op.create_index('ix_mandates_end_on', ['end_on'], unique=False)
    with op.batch_alter_table('parliamentarians', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('prisoners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prosecutor', sa.String(length=200), nullable=True))
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_keys', sa.JSON(), nullable=True))

    _merge_groups_and_move_mandates()


def _merge_groups_and_move_mandates():
    from advocacy.parliamentarians import ep_groups

    conn = op.get_bind()
    parl = sa.table('parliamentarians', sa.column('id', sa.Integer), sa.column('parliament', sa.String),
                    sa.column('chamber', sa.String), sa.column('political_group', sa.String),
                    sa.column('mandate_start_on', sa.Date), sa.column('mandate_end_on', sa.Date))
    mandates = sa.table('mandates', sa.column('parliamentarian_id', sa.Integer), sa.column('parliament', sa.String),
                        sa.column('chamber', sa.String), sa.column('term', sa.String),
                        sa.column('start_on', sa.Date), sa.column('end_on', sa.Date),
                        sa.column('political_group', sa.String), sa.column('created_at', sa.DateTime))
    now = dt.datetime.now(dt.timezone.utc)
    rows = conn.execute(sa.select(parl)).mappings().all()
    # one-off merge: "Group of the European People's Party (Christian Democrats)" → EPP, and so on
    for r in rows:
        if r['parliament'] == EP and r['political_group']:
            canonical = ep_groups.canonical_group(r['political_group'])
            if canonical and canonical != r['political_group']:
                conn.execute(parl.update().where(parl.c.id == r['id']).values(political_group=canonical))
    rows = conn.execute(sa.select(parl)).mappings().all()
    batch = []
    for r in rows:
        if r['parliament'] == EP:
            term = ep_groups.term_on(r['mandate_start_on']) if r['mandate_start_on'] else None
            term = str(term) if term else ""
        else:
            term = str(r['mandate_start_on'].year) if r['mandate_start_on'] else ""
        batch.append({"parliamentarian_id": r['id'], "parliament": r['parliament'], "chamber": r['chamber'],
                      "term": term, "start_on": r['mandate_start_on'], "end_on": r['mandate_end_on'],
                      "political_group": r['political_group'], "created_at": now})
        if len(batch) >= 1000:
            conn.execute(mandates.insert(), batch)
            batch = []
    if batch:
        conn.execute(mandates.insert(), batch)


def downgrade():
    # the latest mandate is still in the member's own fields: dropping the rows loses older terms only
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_column('seen_keys')
    with op.batch_alter_table('prisoners', schema=None) as batch_op:
        batch_op.drop_column('prosecutor')
    with op.batch_alter_table('parliamentarians', schema=None) as batch_op:
        batch_op.drop_column('listed_on')
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.drop_index('ix_mandates_end_on')
        batch_op.drop_index('ix_mandates_parliamentarian_id')
    op.drop_table('mandates')
