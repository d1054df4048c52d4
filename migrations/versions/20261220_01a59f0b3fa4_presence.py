"""presence over the week: sessions, check-in points, check-ins, declared absences

Revision ID: 01a59f0b3fa4
Revises: 3e5b7c9a1d42
Create Date: 2026-12-20 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '01a59f0b3fa4'
down_revision = '3e5b7c9a1d42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'presence_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('part', sa.String(length=12), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("part IN ('morning', 'afternoon')",
                           name=op.f('ck_presence_session_part_known')),
        sa.CheckConstraint('ends_at > starts_at',
                           name=op.f('ck_presence_session_ends_after_start')),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_presence_session_edition_id_edition'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_presence_session')),
        sa.UniqueConstraint('edition_id', 'day', 'part',
                            name=op.f('uq_presence_session_edition_id_day_part')),
    )
    op.create_index(op.f('ix_presence_session_edition_id'), 'presence_session',
                    ['edition_id'], unique=False)
    op.create_table(
        'check_in_point',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('site', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_check_in_point_edition_id_edition'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in_point')),
        sa.UniqueConstraint('edition_id', 'name',
                            name=op.f('uq_check_in_point_edition_id_name')),
    )
    op.create_index(op.f('ix_check_in_point_edition_id'), 'check_in_point', ['edition_id'],
                    unique=False)
    op.create_table(
        'check_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('point_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('how', sa.String(length=12), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("how IN ('qr', 'staff_scan', 'staff_list')",
                           name=op.f('ck_check_in_how_known')),
        sa.CheckConstraint("how = 'qr' OR recorded_by_id IS NOT NULL",
                           name=op.f('ck_check_in_staff_named')),
        sa.ForeignKeyConstraint(['point_id'], ['check_in_point.id'],
                                name=op.f('fk_check_in_point_id_check_in_point'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                                name=op.f('fk_check_in_recorded_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['presence_session.id'],
                                name=op.f('fk_check_in_session_id_presence_session'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_check_in_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
        sa.UniqueConstraint('user_id', 'session_id',
                            name=op.f('uq_check_in_user_id_session_id')),
    )
    op.create_index(op.f('ix_check_in_point_id'), 'check_in', ['point_id'], unique=False)
    op.create_index(op.f('ix_check_in_session_id'), 'check_in', ['session_id'], unique=False)
    op.create_table(
        'absence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('stored_name', sa.String(length=32), nullable=True),
        sa.Column('original_name', sa.String(length=255), nullable=True),
        sa.Column('content_type', sa.String(length=100), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'refused')",
                           name=op.f('ck_absence_status_known')),
        sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)",
                           name=op.f('ck_absence_decided_when')),
        sa.CheckConstraint('(stored_name IS NULL) = (original_name IS NULL)',
                           name=op.f('ck_absence_document_whole')),
        sa.CheckConstraint('size IS NULL OR size >= 0', name=op.f('ck_absence_size_positive')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                                name=op.f('fk_absence_decided_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['presence_session.id'],
                                name=op.f('fk_absence_session_id_presence_session'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_absence_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_absence')),
        sa.UniqueConstraint('user_id', 'session_id', name=op.f('uq_absence_user_id_session_id')),
    )
    op.create_index(op.f('ix_absence_session_id'), 'absence', ['session_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_absence_session_id'), table_name='absence')
    op.drop_table('absence')
    op.drop_index(op.f('ix_check_in_session_id'), table_name='check_in')
    op.drop_index(op.f('ix_check_in_point_id'), table_name='check_in')
    op.drop_table('check_in')
    op.drop_index(op.f('ix_check_in_point_edition_id'), table_name='check_in_point')
    op.drop_table('check_in_point')
    op.drop_index(op.f('ix_presence_session_edition_id'), table_name='presence_session')
    op.drop_table('presence_session')
