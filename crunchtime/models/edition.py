"""An edition of the challenge, its phase and dates, and its vocabularies."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in
from crunchtime.phases import PHASES

LEADERBOARD_ESTIMATORS = ("raw", "zscore", "calibrated")
PUBLIC_DISPLAYS = ("hidden", "progress", "ranking")


class Edition(CreatedAtMixin, Base):
    __tablename__ = "edition"
    __table_args__ = (
        sa.CheckConstraint(check_in("phase", PHASES), name="phase_known"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint(
            "team_size_min >= 1 AND team_size_max >= team_size_min AND team_size_max <= 12",
            name="team_size_bounds",
        ),
        sa.CheckConstraint(
            check_in("leaderboard_estimator", LEADERBOARD_ESTIMATORS), name="estimator_known"
        ),
        sa.CheckConstraint(check_in("public_display", PUBLIC_DISPLAYS), name="display_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    year: Mapped[int]
    phase: Mapped[str] = mapped_column(sa.String(16), default="setup")
    is_current: Mapped[bool] = mapped_column(default=False, index=True)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judging_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judging_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    team_size_min: Mapped[int] = mapped_column(default=5)
    team_size_max: Mapped[int] = mapped_column(default=6)
    max_file_mb: Mapped[int] = mapped_column(default=50)
    max_team_upload_mb: Mapped[int] = mapped_column(default=200)
    leaderboard_estimator: Mapped[str] = mapped_column(sa.String(16), default="calibrated")
    public_display: Mapped[str] = mapped_column(sa.String(16), default="progress")
    leaderboard_frozen: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    def __repr__(self) -> str:
        return f"<Edition {self.name} {self.phase}>"


class Programme(Base):
    """A study programme; organisers manage the list and imports extend it."""

    __tablename__ = "programme"
    __table_args__ = (sa.UniqueConstraint("edition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))


class Skill(Base):
    """A word of the edition's skill vocabulary, shared by students and challenges."""

    __tablename__ = "skill"
    __table_args__ = (sa.UniqueConstraint("edition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(80))
