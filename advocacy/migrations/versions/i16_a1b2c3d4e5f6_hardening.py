"""hardening (issue 16): session versions, random public ids, scoped expiring API tokens, the
public-data version

Revision ID: i16a1b2c3d4e5
Revises: 670758b1bade
Create Date: 2026-11-25 14:40:00

Data migration:
- every prisoner gets a random ``public_id`` (old integer public URLs then answer 404);
- existing API tokens keep working as they did (scope ``write``) for 90 more days, bound to the
  role their creator has now; a token whose creator is gone is revoked;
- the public-data version row starts at 1.
"""
import datetime as dt
import secrets

import sqlalchemy as sa
from alembic import op

import advocacy.db_types

revision = 'i16a1b2c3d4e5'
down_revision = 'i10_outbox'
branch_labels = None
depends_on = None

ROLE = sa.Enum('admin', 'staff', 'parliamentarian', name='role', native_enum=False, length=32)
SCOPE = sa.Enum('read_public', 'read_all', 'write', name='tokenscope', native_enum=False, length=32)


def upgrade():
    bind = op.get_bind()
    now = dt.datetime.now(dt.timezone.utc)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('prisoners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=16), nullable=True))
    prisoners = sa.table('prisoners', sa.column('id', sa.Integer), sa.column('public_id', sa.String))
    ids = bind.execute(sa.select(prisoners.c.id).where(prisoners.c.public_id.is_(None))).scalars().all()
    for prisoner_id in ids:
        bind.execute(prisoners.update().where(prisoners.c.id == prisoner_id)
                     .values(public_id=secrets.token_urlsafe(9)))
    with op.batch_alter_table('prisoners', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_prisoners_public_id'), ['public_id'])

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_role', ROLE, nullable=True))
        batch_op.add_column(sa.Column('scope', SCOPE, nullable=True))
        batch_op.add_column(sa.Column('expires_at', advocacy.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=200), nullable=True))
    tokens = sa.table('api_tokens', sa.column('id', sa.Integer), sa.column('created_by_id', sa.Integer),
                      sa.column('issued_role', sa.String), sa.column('scope', sa.String),
                      sa.column('expires_at', advocacy.db_types.UTCDateTime(timezone=True)),
                      sa.column('revoked_at', advocacy.db_types.UTCDateTime(timezone=True)),
                      sa.column('revoked_reason', sa.String))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('role', sa.String))
    role_of = sa.select(users.c.role).where(users.c.id == tokens.c.created_by_id).scalar_subquery()
    bind.execute(tokens.update().values(scope='write', expires_at=now + dt.timedelta(days=90),
                                        issued_role=sa.func.coalesce(role_of, 'admin')))
    bind.execute(tokens.update().where(tokens.c.created_by_id.is_(None), tokens.c.revoked_at.is_(None))
                 .values(revoked_at=now, revoked_reason='It has no owner (the account was deleted).'))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('issued_role', existing_type=ROLE, nullable=False)
        batch_op.alter_column('scope', existing_type=SCOPE, nullable=False)
        batch_op.alter_column('expires_at', existing_type=advocacy.db_types.UTCDateTime(timezone=True), nullable=False)

    op.create_table('public_data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', advocacy.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_data_version'))
    )
    version = sa.table('public_data_version', sa.column('id', sa.Integer), sa.column('version', sa.BigInteger),
                       sa.column('changed_at', advocacy.db_types.UTCDateTime(timezone=True)))
    bind.execute(version.insert().values(id=1, version=1, changed_at=now))


def downgrade():
    op.drop_table('public_data_version')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('revoked_reason')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scope')
        batch_op.drop_column('issued_role')
    with op.batch_alter_table('prisoners', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_prisoners_public_id'), type_='unique')
        batch_op.drop_column('public_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
