"""the pitch schedule: rooms, a round's schedule settings, juries' unavailabilities, slots

Revision ID: 5c2e8f1a7b34
Revises: a4d81c6e2f57
Create Date: 2026-12-20 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c2e8f1a7b34'
down_revision = 'a4d81c6e2f57'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'room',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('site', sa.String(length=120), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('tables', sa.Integer(), server_default='1', nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('capacity >= 0', name=op.f('ck_room_capacity_positive')),
        sa.CheckConstraint('tables BETWEEN 1 AND 10', name=op.f('ck_room_tables_range')),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_room_edition_id_edition'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_room')),
        sa.UniqueConstraint('edition_id', 'name', name=op.f('uq_room_edition_id_name')),
    )
    op.create_index(op.f('ix_room_edition_id'), 'room', ['edition_id'], unique=False)
    op.create_table(
        'round_schedule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('window_start', sa.DateTime(), nullable=True),
        sa.Column('window_end', sa.DateTime(), nullable=True),
        sa.Column('slot_minutes', sa.Integer(), server_default='20', nullable=False),
        sa.Column('breaks', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=12), server_default='draft', nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('computed_at', sa.DateTime(), nullable=True),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published')",
                           name=op.f('ck_round_schedule_status_known')),
        sa.CheckConstraint('slot_minutes BETWEEN 5 AND 240',
                           name=op.f('ck_round_schedule_slot_minutes_range')),
        sa.CheckConstraint('window_end > window_start',
                           name=op.f('ck_round_schedule_window_ordered')),
        sa.ForeignKeyConstraint(['round_id'], ['judging_round.id'],
                                name=op.f('fk_round_schedule_round_id_judging_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_schedule')),
        sa.UniqueConstraint('round_id', name=op.f('uq_round_schedule_round_id')),
    )
    op.create_table(
        'jury_unavailability',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('jury_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('remark', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_at > starts_at',
                           name=op.f('ck_jury_unavailability_period_ordered')),
        sa.ForeignKeyConstraint(['jury_id'], ['jury_profile.id'],
                                name=op.f('fk_jury_unavailability_jury_id_jury_profile'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['judging_round.id'],
                                name=op.f('fk_jury_unavailability_round_id_judging_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jury_unavailability')),
    )
    op.create_index(op.f('ix_jury_unavailability_jury_id'), 'jury_unavailability',
                    ['jury_id'], unique=False)
    op.create_index(op.f('ix_jury_unavailability_round_id'), 'jury_unavailability',
                    ['round_id'], unique=False)
    op.create_table(
        'pitch_slot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('table_number', sa.Integer(), server_default='1', nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('locked', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('state', sa.String(length=8), server_default='planned', nullable=False),
        sa.Column('state_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_pitch_slot_period_ordered')),
        sa.CheckConstraint('table_number BETWEEN 1 AND 10',
                           name=op.f('ck_pitch_slot_table_range')),
        sa.CheckConstraint("state IN ('planned', 'done', 'late')",
                           name=op.f('ck_pitch_slot_state_known')),
        sa.ForeignKeyConstraint(['room_id'], ['room.id'],
                                name=op.f('fk_pitch_slot_room_id_room'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['round_id'], ['judging_round.id'],
                                name=op.f('fk_pitch_slot_round_id_judging_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'],
                                name=op.f('fk_pitch_slot_team_id_team'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pitch_slot')),
        sa.UniqueConstraint('room_id', 'starts_at', 'table_number',
                            name=op.f('uq_pitch_slot_room_id_starts_at_table_number')),
        sa.UniqueConstraint('round_id', 'team_id', name=op.f('uq_pitch_slot_round_id_team_id')),
    )
    op.create_index(op.f('ix_pitch_slot_room_id'), 'pitch_slot', ['room_id'], unique=False)
    op.create_index(op.f('ix_pitch_slot_round_id'), 'pitch_slot', ['round_id'], unique=False)
    op.create_index(op.f('ix_pitch_slot_team_id'), 'pitch_slot', ['team_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_pitch_slot_team_id'), table_name='pitch_slot')
    op.drop_index(op.f('ix_pitch_slot_round_id'), table_name='pitch_slot')
    op.drop_index(op.f('ix_pitch_slot_room_id'), table_name='pitch_slot')
    op.drop_table('pitch_slot')
    op.drop_index(op.f('ix_jury_unavailability_round_id'), table_name='jury_unavailability')
    op.drop_index(op.f('ix_jury_unavailability_jury_id'), table_name='jury_unavailability')
    op.drop_table('jury_unavailability')
    op.drop_table('round_schedule')
    op.drop_index(op.f('ix_room_edition_id'), table_name='room')
    op.drop_table('room')
