"""A student's profile for one edition: what the matching model reads."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime

student_skill = sa.Table(
    "student_skill",
    Base.metadata,
    sa.Column(
        "profile_id",
        sa.ForeignKey("student_profile.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("skill_id", sa.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class StudentProfile(CreatedAtMixin, Base):
    __tablename__ = "student_profile"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "edition_id"),
        sa.CheckConstraint(
            "year_of_study IS NULL OR year_of_study BETWEEN 1 AND 8", name="year_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="SET NULL"), index=True
    )
    year_of_study: Mapped[int | None]
    interests: Mapped[str] = mapped_column(sa.Text, default="")
    friend_group_key: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")
    programme = relationship("Programme")
    skills = relationship("Skill", secondary=student_skill, order_by="Skill.name")
    preferences = relationship(
        "Preference", back_populates="student", order_by="Preference.rank",
        cascade="all, delete-orphan",
    )

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None
