"""verified e-mail and each member's gallery consent

Accounts that exist already count as verified (they were created before verification was
asked); a team that had not opted out of the gallery keeps its members' consent, so that
what was public stays public until a member withdraws it.

Revision ID: 7a1c0e5d9b21
Revises: 0c7d6643d48a
Create Date: 2026-12-07 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a1c0e5d9b21'
down_revision = '0c7d6643d48a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gallery_consent_at', sa.DateTime(), nullable=True))
    op.execute('UPDATE user_account SET email_verified_at = CURRENT_TIMESTAMP')
    op.execute('UPDATE membership SET gallery_consent_at = CURRENT_TIMESTAMP WHERE team_id IN '
               '(SELECT id FROM team WHERE gallery_opt_out = false)')


def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('gallery_consent_at')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
