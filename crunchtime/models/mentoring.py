"""Mentoring during the week: mentors and their expertise, the teams' help requests (one
open at a time per team, held by the database) and the mentors' office hours."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in, utcnow

URGENCIES = ("low", "normal", "high")
REQUEST_STATUSES = ("open", "claimed", "resolved", "cancelled")
WAITING_STATUSES = ("open", "claimed")
# A team's request still being dealt with: at most one per team (partial unique index).
_IN_PROGRESS = sa.text("status IN ('open', 'claimed')")
_BOOKED = sa.text("team_id IS NOT NULL")


class MentorProfile(CreatedAtMixin, Base):
    """One account's mentoring in one edition: its expertise tags and whether it mentors
    (company contacts and organisers do unless they switch it off; juries when marked)."""

    __tablename__ = "mentor_profile"
    __table_args__ = (sa.UniqueConstraint("user_id", "edition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HelpRequest(Base):
    """A team asks for help: what about, which expertise, where it is, how urgent."""

    __tablename__ = "help_request"
    __table_args__ = (
        sa.CheckConstraint(check_in("urgency", URGENCIES), name="urgency_known"),
        sa.CheckConstraint(check_in("status", REQUEST_STATUSES), name="status_known"),
        sa.Index("ix_help_request_one_open_per_team", "team_id", unique=True,
                 sqlite_where=_IN_PROGRESS, postgresql_where=_IN_PROGRESS),
        sa.Index("ix_help_request_queue", "edition_id", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"),
                                         index=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(sa.String(300))
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    location: Mapped[str] = mapped_column(sa.String(120))
    urgency: Mapped[str] = mapped_column(sa.String(8), default="normal")
    status: Mapped[str] = mapped_column(sa.String(12), default="open")
    mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    handbacks: Mapped[int] = mapped_column(default=0, server_default="0")

    team = relationship("Team", lazy="joined")
    mentor = relationship("User", foreign_keys=[mentor_id], lazy="joined")


class OfficeHour(CreatedAtMixin, Base):
    """A mentor's slot (start, end, place) that one team may book."""

    __tablename__ = "office_hour"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.UniqueConstraint("mentor_id", "starts_at"),
        sa.Index("ix_office_hour_team_start", "team_id", "starts_at", unique=True,
                 sqlite_where=_BOOKED, postgresql_where=_BOOKED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(sa.String(120))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id", ondelete="SET NULL"))
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    mentor = relationship("User", foreign_keys=[mentor_id], lazy="joined")
    team = relationship("Team", lazy="joined")
