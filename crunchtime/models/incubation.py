"""Company interest in teams and the incubation review of flagged projects."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

FLAG_STATUSES = ("flagged", "shortlisted", "declined", "incubated")


class Interest(CreatedAtMixin, Base):
    """An organisation signals interest in a team, with a note only it can read."""

    __tablename__ = "interest"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("team.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")


class IncubationFlag(CreatedAtMixin, Base):
    __tablename__ = "incubation_flag"
    __table_args__ = (sa.CheckConstraint(check_in("status", FLAG_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), unique=True)
    score: Mapped[float] = mapped_column(default=0.0)
    model_probability: Mapped[float | None]
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(12), default="flagged")
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(sa.Text, default="")
