"""staff-data version: one row that moves with every change to the staff registers, for the
dashboard's and the matching suggestions' cache (advocacy/staff_version.py)

Revision ID: i17b_staff_version
Revises: i20_locales
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

import advocacy.db_types

revision = 'i17b_staff_version'
down_revision = 'i20_locales'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', advocacy.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_data_version'))
    )
    version = sa.table('staff_data_version', sa.column('id', sa.Integer), sa.column('version', sa.BigInteger),
                       sa.column('changed_at', advocacy.db_types.UTCDateTime(timezone=True)))
    # A fresh start above any version a cache may still hold from before a downgrade and upgrade.
    now = dt.datetime.now(dt.timezone.utc)
    op.get_bind().execute(version.insert().values(id=1, version=int(now.timestamp()), changed_at=now))


def downgrade():
    op.drop_table('staff_data_version')
