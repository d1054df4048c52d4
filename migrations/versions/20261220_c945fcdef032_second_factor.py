"""two-step verification: a TOTP secret per account (encrypted), its recovery codes (hashed),
remembered devices (hashed tokens)

Revision ID: c945fcdef032
Revises: b7e3f19c2d60
Create Date: 2026-12-20 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c945fcdef032'
down_revision = 'b7e3f19c2d60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'second_factor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret_encrypted', sa.String(length=255), nullable=False),
        sa.Column('enabled_at', sa.DateTime(), nullable=True),
        sa.Column('last_used_step', sa.BigInteger(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('last_used_step IS NULL OR last_used_step >= 0',
                           name=op.f('ck_second_factor_last_used_step_positive')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_second_factor_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factor')),
        sa.UniqueConstraint('user_id', name=op.f('uq_second_factor_user_id')),
    )
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('second_factor_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('length(code_hash) = 64',
                           name=op.f('ck_recovery_code_code_hash_sha256')),
        sa.ForeignKeyConstraint(['second_factor_id'], ['second_factor.id'],
                                name=op.f('fk_recovery_code_second_factor_id_second_factor'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
        sa.UniqueConstraint('second_factor_id', 'code_hash',
                            name=op.f('uq_recovery_code_second_factor_id_code_hash')),
    )
    op.create_index(op.f('ix_recovery_code_second_factor_id'), 'recovery_code',
                    ['second_factor_id'])
    op.create_table(
        'remembered_device',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('length(token_hash) = 64',
                           name=op.f('ck_remembered_device_token_hash_sha256')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_remembered_device_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_remembered_device')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_remembered_device_token_hash')),
    )
    op.create_index(op.f('ix_remembered_device_user_id'), 'remembered_device', ['user_id'])


def downgrade():
    op.drop_index(op.f('ix_remembered_device_user_id'), table_name='remembered_device')
    op.drop_table('remembered_device')
    op.drop_index(op.f('ix_recovery_code_second_factor_id'), table_name='recovery_code')
    op.drop_table('recovery_code')
    op.drop_table('second_factor')
