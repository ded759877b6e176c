"""one outbox for every mail: kinds, claim tokens, stored bodies

Revision ID: i10_outbox
Revises: 670758b1bade
Create Date: 2026-11-25 14:34:46.109753

"""
from alembic import op
import sqlalchemy as sa

import advocacy.db_types


# revision identifiers, used by Alembic.
revision = 'i10_outbox'
down_revision = '670758b1bade'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('reminder', 'invitation', 'invitation_reminder', 'release_thanks', 'condolence', 'pairing_ended', 'handover', 'account_invite', 'sign_in_link', 'password_reset', 'nudge', name='outboxkind', native_enum=False, length=32), server_default='reminder', nullable=False))
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pairing_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recipient_name', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('body_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))
        batch_op.alter_column('parliamentarian_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        # Partial indexes: reminder rows (the bulk) have none of these set.
        for name, cols, where in (
                ('ix_outbox_messages_claim_token', ['claim_token'], "claim_token IS NOT NULL"),
                ('ix_outbox_messages_kind', ['kind', 'parliamentarian_id'], "kind <> 'reminder'"),
                ('ix_outbox_messages_pairing_id', ['pairing_id'], "pairing_id IS NOT NULL"),
                ('ix_outbox_messages_user_id', ['user_id'], "user_id IS NOT NULL")):
            batch_op.create_index(name, cols, unique=False, sqlite_where=sa.text(where),
                                  postgresql_where=sa.text(where))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_pairing_id_pairings'), 'pairings', ['pairing_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_user_id_users'), 'users', ['user_id'], ['id'], ondelete='CASCADE')


    # Data: every existing row is reminder mail (the server default above says so; digests
    # keep is_digest). Rows left "sending" by the old sender (which could stop on an address
    # it could not encode) go back to pending, so the new sender tries them and, if they fail,
    # records why.
    op.execute("UPDATE outbox_messages SET status = 'pending', claimed_until = NULL WHERE status = 'sending'")


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_user_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_pairing_id_pairings'), type_='foreignkey')
        batch_op.drop_index('ix_outbox_messages_user_id')
        batch_op.drop_index('ix_outbox_messages_pairing_id')
        batch_op.drop_index('ix_outbox_messages_kind')
        batch_op.drop_index('ix_outbox_messages_claim_token')
        batch_op.alter_column('parliamentarian_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('headers')
        batch_op.drop_column('body_html')
        batch_op.drop_column('body_text')
        batch_op.drop_column('claim_token')
        batch_op.drop_column('recipient_name')
        batch_op.drop_column('pairing_id')
        batch_op.drop_column('user_id')
        batch_op.drop_column('kind')

