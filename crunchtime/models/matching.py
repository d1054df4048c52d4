"""Matching runs: a proposed placement of every student, previewed then published."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

RUN_STATUSES = ("preview", "published", "replaced")


class MatchingRun(CreatedAtMixin, Base):
    __tablename__ = "matching_run"
    __table_args__ = (sa.CheckConstraint(check_in("status", RUN_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(12), default="preview")
    parameters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    metrics: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    placements = relationship(
        "Placement", back_populates="run", cascade="all, delete-orphan"
    )


class Placement(Base):
    """One student's proposed challenge and team slot within a run."""

    __tablename__ = "placement"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "student_id"),
        sa.CheckConstraint("team_index >= 0", name="team_index_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_run.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profile.id", ondelete="CASCADE"), index=True
    )
    challenge_id: Mapped[int] = mapped_column(sa.ForeignKey("challenge.id", ondelete="CASCADE"))
    team_index: Mapped[int] = mapped_column(default=0)
    utility: Mapped[float] = mapped_column(default=0.0)
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    pinned: Mapped[bool] = mapped_column(default=False)

    run = relationship("MatchingRun", back_populates="placements")
