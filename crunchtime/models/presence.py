"""Presence over the week: the sessions (a day's morning or afternoon), the check-in points
(doors, rooms), each student's check-ins (once per session) and declared absences."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in, utcnow

SESSION_PARTS = ("morning", "afternoon")
CHECK_IN_WAYS = ("qr", "staff_scan", "staff_list")
ABSENCE_STATUSES = ("pending", "accepted", "refused")


class PresenceSession(CreatedAtMixin, Base):
    __tablename__ = "presence_session"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "day", "part"),
        sa.CheckConstraint(check_in("part", SESSION_PARTS), name="part_known"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date]
    part: Mapped[str] = mapped_column(sa.String(12))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    label: Mapped[str] = mapped_column(sa.String(120), default="")


class CheckInPoint(CreatedAtMixin, Base):
    __tablename__ = "check_in_point"
    __table_args__ = (sa.UniqueConstraint("edition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    site: Mapped[str] = mapped_column(sa.String(120), default="")


class CheckIn(Base):
    """A student seen at a session: by the door's code, a staff scan or a staff list."""

    __tablename__ = "check_in"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "session_id"),
        sa.CheckConstraint(check_in("how", CHECK_IN_WAYS), name="how_known"),
        sa.CheckConstraint("how = 'qr' OR recorded_by_id IS NOT NULL", name="staff_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("presence_session.id", ondelete="CASCADE"), index=True
    )
    point_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("check_in_point.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    how: Mapped[str] = mapped_column(sa.String(12))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    session = relationship("PresenceSession")
    point = relationship("CheckInPoint")


class Absence(CreatedAtMixin, Base):
    """A student's declared absence from a session, with its reason and an optional proof;
    organisers accept or refuse it."""

    __tablename__ = "absence"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "session_id"),
        sa.CheckConstraint(check_in("status", ABSENCE_STATUSES), name="status_known"),
        sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_when"),
        sa.CheckConstraint("(stored_name IS NULL) = (original_name IS NULL)",
                           name="document_whole"),
        sa.CheckConstraint("size IS NULL OR size >= 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("presence_session.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    stored_name: Mapped[str | None] = mapped_column(sa.String(32))
    original_name: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(sa.Text, default="")

    session = relationship("PresenceSession")
