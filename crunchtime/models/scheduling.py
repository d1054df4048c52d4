"""The pitch schedule of a judging round: the edition's rooms, the round's window and
breaks, the juries' unavailabilities and the slots (issue 22)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

SCHEDULE_STATUSES = ("draft", "published")
SLOT_STATES = ("planned", "done", "late")
MAX_TABLES = 10


class Room(CreatedAtMixin, Base):
    """A room of the edition where panels hear pitches; `tables` panels sit in it at once."""

    __tablename__ = "room"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "name"),
        sa.CheckConstraint("capacity >= 0", name="capacity_positive"),
        sa.CheckConstraint(f"tables BETWEEN 1 AND {MAX_TABLES}", name="tables_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    site: Mapped[str] = mapped_column(sa.String(120), default="")
    capacity: Mapped[int] = mapped_column(default=0)
    tables: Mapped[int] = mapped_column(default=1, server_default="1")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class RoundSchedule(CreatedAtMixin, Base):
    """A round's schedule settings and state; the figures of the last computation."""

    __tablename__ = "round_schedule"
    __table_args__ = (
        sa.UniqueConstraint("round_id"),
        sa.CheckConstraint(check_in("status", SCHEDULE_STATUSES), name="status_known"),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 240", name="slot_minutes_range"),
        sa.CheckConstraint("window_end > window_start", name="window_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("judging_round.id", ondelete="CASCADE"))
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slot_minutes: Mapped[int] = mapped_column(default=20, server_default="20")
    # [[start ISO, end ISO], ...] in UTC
    breaks: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(12), default="draft", server_default="draft")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # bumped on every change the room screens must follow
    version: Mapped[int] = mapped_column(default=0, server_default="0")


class JuryUnavailability(CreatedAtMixin, Base):
    __tablename__ = "jury_unavailability"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="period_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("judging_round.id", ondelete="CASCADE"), index=True)
    jury_id: Mapped[int] = mapped_column(
        sa.ForeignKey("jury_profile.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remark: Mapped[str] = mapped_column(sa.String(200), default="")


class PitchSlot(CreatedAtMixin, Base):
    """One team's pitch: when, in which room and at which of its tables; its panel is the
    round's juries assigned to the team (JuryAssignment)."""

    __tablename__ = "pitch_slot"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "team_id"),
        sa.UniqueConstraint("room_id", "starts_at", "table_number"),
        sa.CheckConstraint("ends_at > starts_at", name="period_ordered"),
        sa.CheckConstraint(f"table_number BETWEEN 1 AND {MAX_TABLES}", name="table_range"),
        sa.CheckConstraint(check_in("state", SLOT_STATES), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("judging_round.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id", ondelete="RESTRICT"),
                                         index=True)
    table_number: Mapped[int] = mapped_column(default=1, server_default="1")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"),
                                         index=True)
    locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    state: Mapped[str] = mapped_column(sa.String(8), default="planned", server_default="planned")
    state_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
