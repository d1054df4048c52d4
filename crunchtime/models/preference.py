"""A student's ranked wish for a challenge (rank 1 is the first choice)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin

MAX_RANK = 5


class Preference(CreatedAtMixin, Base):
    __tablename__ = "preference"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "rank"),
        sa.UniqueConstraint("student_id", "challenge_id"),
        sa.CheckConstraint(f"rank BETWEEN 1 AND {MAX_RANK}", name="rank_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profile.id", ondelete="CASCADE")
    )
    challenge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("challenge.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int]

    student = relationship("StudentProfile", back_populates="preferences")
    challenge = relationship("Challenge")
