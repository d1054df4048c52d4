"""attestations: the reference of each student's attestation of participation

Revision ID: b7e3f19c2d60
Revises: 5c2e8f1a7b34
Create Date: 2026-12-20 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e3f19c2d60'
down_revision = '5c2e8f1a7b34'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attestation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('student_id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=14), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('length(reference) = 14',
                           name=op.f('ck_attestation_reference_length')),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_attestation_edition_id_edition'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['student_id'], ['student_profile.id'],
                                name=op.f('fk_attestation_student_id_student_profile'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attestation')),
        sa.UniqueConstraint('reference', name=op.f('uq_attestation_reference')),
        sa.UniqueConstraint('student_id', name=op.f('uq_attestation_student_id')),
    )
    op.create_index(op.f('ix_attestation_edition_id'), 'attestation', ['edition_id'])


def downgrade():
    op.drop_index(op.f('ix_attestation_edition_id'), table_name='attestation')
    op.drop_table('attestation')
