"""mentoring: mentors' profiles, the teams' help requests (one open per team), office hours

Revision ID: a4d81c6e2f57
Revises: 01a59f0b3fa4
Create Date: 2026-12-20 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4d81c6e2f57'
down_revision = '01a59f0b3fa4'
branch_labels = None
depends_on = None

IN_PROGRESS = sa.text("status IN ('open', 'claimed')")
BOOKED = sa.text('team_id IS NOT NULL')


def upgrade():
    op.create_table(
        'mentor_profile',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('tags', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_mentor_profile_edition_id_edition'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_mentor_profile_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_profile')),
        sa.UniqueConstraint('user_id', 'edition_id',
                            name=op.f('uq_mentor_profile_user_id_edition_id')),
    )
    op.create_index(op.f('ix_mentor_profile_edition_id'), 'mentor_profile', ['edition_id'])
    op.create_table(
        'help_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('topic', sa.String(length=300), nullable=False),
        sa.Column('tags', sa.JSON(), nullable=False),
        sa.Column('location', sa.String(length=120), nullable=False),
        sa.Column('urgency', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('resolution_note', sa.Text(), server_default='', nullable=False),
        sa.Column('handbacks', sa.Integer(), server_default='0', nullable=False),
        sa.CheckConstraint("urgency IN ('low', 'normal', 'high')",
                           name=op.f('ck_help_request_urgency_known')),
        sa.CheckConstraint("status IN ('open', 'claimed', 'resolved', 'cancelled')",
                           name=op.f('ck_help_request_status_known')),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'],
                                name=op.f('fk_help_request_author_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_help_request_edition_id_edition'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'],
                                name=op.f('fk_help_request_mentor_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'],
                                name=op.f('fk_help_request_team_id_team'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_help_request')),
    )
    op.create_index(op.f('ix_help_request_team_id'), 'help_request', ['team_id'])
    op.create_index(op.f('ix_help_request_mentor_id'), 'help_request', ['mentor_id'])
    op.create_index('ix_help_request_queue', 'help_request',
                    ['edition_id', 'status', 'opened_at'])
    op.create_index('ix_help_request_one_open_per_team', 'help_request', ['team_id'],
                    unique=True, sqlite_where=IN_PROGRESS, postgresql_where=IN_PROGRESS)
    op.create_table(
        'office_hour',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('place', sa.String(length=120), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('booked_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_office_hour_ends_after_start')),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_office_hour_edition_id_edition'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'],
                                name=op.f('fk_office_hour_mentor_id_user_account'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'],
                                name=op.f('fk_office_hour_team_id_team'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_hour')),
        sa.UniqueConstraint('mentor_id', 'starts_at',
                            name=op.f('uq_office_hour_mentor_id_starts_at')),
    )
    op.create_index(op.f('ix_office_hour_edition_id'), 'office_hour', ['edition_id'])
    op.create_index('ix_office_hour_team_start', 'office_hour', ['team_id', 'starts_at'],
                    unique=True, sqlite_where=BOOKED, postgresql_where=BOOKED)


def downgrade():
    op.drop_index('ix_office_hour_team_start', table_name='office_hour')
    op.drop_index(op.f('ix_office_hour_edition_id'), table_name='office_hour')
    op.drop_table('office_hour')
    op.drop_index('ix_help_request_one_open_per_team', table_name='help_request')
    op.drop_index('ix_help_request_queue', table_name='help_request')
    op.drop_index(op.f('ix_help_request_mentor_id'), table_name='help_request')
    op.drop_index(op.f('ix_help_request_team_id'), table_name='help_request')
    op.drop_table('help_request')
    op.drop_index(op.f('ix_mentor_profile_edition_id'), table_name='mentor_profile')
    op.drop_table('mentor_profile')
