"""university sign-in: the CAS or OpenID Connect identity each account is remembered by

Revision ID: d8e4a1b7c350
Revises: c945fcdef032
Create Date: 2026-12-20 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd8e4a1b7c350'
down_revision = 'c945fcdef032'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'university_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=8), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('provider_email', sa.String(length=254), nullable=False),
        sa.Column('last_login_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("provider IN ('cas', 'oidc')",
                           name=op.f('ck_university_identity_provider_known')),
        sa.CheckConstraint('length(subject) > 0',
                           name=op.f('ck_university_identity_subject_not_empty')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_university_identity_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_university_identity')),
        sa.UniqueConstraint('provider', 'subject',
                            name=op.f('uq_university_identity_provider_subject')),
        sa.UniqueConstraint('user_id', 'provider',
                            name=op.f('uq_university_identity_user_id_provider')),
    )
    with op.batch_alter_table('university_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_university_identity_user_id'), ['user_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('university_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_university_identity_user_id'))
    op.drop_table('university_identity')
