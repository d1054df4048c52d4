"""Attestations of participation issued to students: the reference printed on each PDF,
which anyone can check at /attestations/verify/<reference>."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime

REFERENCE_LENGTH = 14  # XXXX-XXXX-XXXX


class Attestation(CreatedAtMixin, Base):
    """One per student and edition; the reference stays the same at every download."""

    __tablename__ = "attestation"
    __table_args__ = (
        sa.UniqueConstraint("student_id"),
        sa.CheckConstraint(f"length(reference) = {REFERENCE_LENGTH}", name="reference_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profile.id", ondelete="CASCADE")
    )
    reference: Mapped[str] = mapped_column(sa.String(REFERENCE_LENGTH), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())

    student = relationship("StudentProfile")
