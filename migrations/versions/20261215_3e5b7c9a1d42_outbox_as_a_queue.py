"""the outbox as a queue: attempts, backoff, claims, permanent failures, a stable Message-ID

Messages already in the outbox and never sent are waiting messages: the sender sends them once
a server is configured.

Revision ID: 3e5b7c9a1d42
Revises: 7a1c0e5d9b21
Create Date: 2026-12-15 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3e5b7c9a1d42'
down_revision = '7a1c0e5d9b21'
branch_labels = None
depends_on = None

WAITING = sa.text('sent_at IS NULL AND failed_at IS NULL')


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(), nullable=True))
    op.create_index('ix_outbox_message_waiting', 'outbox_message', ['id'],
                    sqlite_where=WAITING, postgresql_where=WAITING)


def downgrade():
    op.drop_index('ix_outbox_message_waiting', table_name='outbox_message')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('failed_at')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('message_id')
