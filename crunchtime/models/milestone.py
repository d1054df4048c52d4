"""The design-thinking stages of the week and each team's progress through them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

DELIVERABLE_KINDS = ("note", "photo", "file")


class Milestone(Base):
    __tablename__ = "milestone"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "key"),
        sa.CheckConstraint(check_in("deliverable_kind", DELIVERABLE_KINDS), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(32))
    position: Mapped[int] = mapped_column(default=0)
    label_fr: Mapped[str] = mapped_column(sa.String(120))
    label_en: Mapped[str] = mapped_column(sa.String(120), default="")
    expected: Mapped[str] = mapped_column(sa.Text, default="")
    deliverable_kind: Mapped[str] = mapped_column(sa.String(8), default="note")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MilestoneProgress(CreatedAtMixin, Base):
    __tablename__ = "milestone_progress"
    __table_args__ = (sa.UniqueConstraint("team_id", "milestone_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    milestone_id: Mapped[int] = mapped_column(
        sa.ForeignKey("milestone.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("submission_file.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class MilestoneFeedback(CreatedAtMixin, Base):
    __tablename__ = "milestone_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(
        sa.ForeignKey("milestone_progress.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(sa.Text)
