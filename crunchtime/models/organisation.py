"""Organisations (companies, public bodies, labs, associations) and their challenges."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

ORGANISATION_KINDS = ("company", "public_body", "lab", "association")
CHALLENGE_STATUSES = ("draft", "submitted", "approved", "rejected")

challenge_skill = sa.Table(
    "challenge_skill",
    Base.metadata,
    sa.Column(
        "challenge_id", sa.ForeignKey("challenge.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("skill_id", sa.ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(CreatedAtMixin, Base):
    __tablename__ = "organisation"
    __table_args__ = (sa.CheckConstraint(check_in("kind", ORGANISATION_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(16), default="company")
    sector: Mapped[str] = mapped_column(sa.String(80), default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="")
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )

    members = relationship("User", back_populates="organisation")
    challenges = relationship("Challenge", back_populates="organisation")


class Challenge(CreatedAtMixin, Base):
    __tablename__ = "challenge"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "code"),
        sa.CheckConstraint("teams_wanted BETWEEN 1 AND 10", name="teams_wanted_range"),
        sa.CheckConstraint(check_in("status", CHALLENGE_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    context: Mapped[str] = mapped_column(sa.Text, default="")
    deliverable: Mapped[str] = mapped_column(sa.Text, default="")
    teams_wanted: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(sa.String(12), default="draft", index=True)
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")
    contact_name: Mapped[str] = mapped_column(sa.String(160), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Folded (lowercase, no accents) title, organisation and texts, for catalogue search.
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    organisation = relationship("Organisation", back_populates="challenges")
    skills = relationship("Skill", secondary=challenge_skill, order_by="Skill.name")
    attachments = relationship("ChallengeAttachment", cascade="all, delete-orphan")


class ChallengeAttachment(CreatedAtMixin, Base):
    __tablename__ = "challenge_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("challenge.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
