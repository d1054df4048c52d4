"""Teams on challenges and their members (one team per student per edition)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime


class Team(CreatedAtMixin, Base):
    __tablename__ = "team"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "code"),
        sa.UniqueConstraint("edition_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    challenge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("challenge.id", ondelete="RESTRICT"), index=True
    )
    matching_run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matching_run.id", ondelete="SET NULL")
    )
    code: Mapped[str] = mapped_column(sa.String(8))
    name: Mapped[str | None] = mapped_column(sa.String(80))
    deadline_extension_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    gallery_opt_out: Mapped[bool] = mapped_column(default=False)
    wants_to_continue: Mapped[bool | None]
    continuation_plan: Mapped[str] = mapped_column(sa.Text, default="")

    challenge = relationship("Challenge")
    memberships = relationship("Membership", back_populates="team", cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.name or self.code


class Membership(CreatedAtMixin, Base):
    __tablename__ = "membership"
    __table_args__ = (sa.UniqueConstraint("student_id", "edition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profile.id", ondelete="CASCADE")
    )
    # Repeats the team's edition so that the database itself enforces one team per edition.
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"))
    # When this member agreed to show the team's project in the public gallery (None: not
    # agreed): a project is shown only once every member has.
    gallery_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    team = relationship("Team", back_populates="memberships")
    student = relationship("StudentProfile")
