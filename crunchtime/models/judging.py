"""Judging rounds, their rubric, the juries, their conflicts and their assignments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

ROUND_KINDS = ("per_challenge", "final")
ROUND_STATUSES = ("draft", "open", "closed")
ASSIGNMENT_STATUSES = ("to_score", "scored", "absent")
CONFLICT_KINDS = ("team", "organisation", "student")


class JudgingRound(CreatedAtMixin, Base):
    __tablename__ = "judging_round"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "number"),
        sa.CheckConstraint(check_in("kind", ROUND_KINDS), name="kind_known"),
        sa.CheckConstraint(check_in("status", ROUND_STATUSES), name="status_known"),
        sa.CheckConstraint("juries_per_team BETWEEN 1 AND 20", name="juries_per_team_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"))
    number: Mapped[int]
    # The organisers' title; empty for the default name, which is said in the reader's
    # language ("Tour 1" to a French reader, "Round 1" to an English one).
    title: Mapped[str] = mapped_column("name", sa.String(120), default="")
    kind: Mapped[str] = mapped_column(sa.String(16), default="per_challenge")
    status: Mapped[str] = mapped_column(sa.String(8), default="draft")
    juries_per_team: Mapped[int] = mapped_column(default=3)
    exclude_own_organisation: Mapped[bool] = mapped_column(default=True)
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    criteria = relationship(
        "Criterion", back_populates="round", order_by="Criterion.position",
        cascade="all, delete-orphan",
    )

    @staticmethod
    def shown_name(title: str | None, number: int) -> str:
        """A round's name as a reader sees it: its title, else "Round N" in their language."""
        return title or gettext("Round %(number)d", number=number)

    @property
    def name(self) -> str:
        return self.shown_name(self.title, self.number)

    @name.setter
    def name(self, value: str) -> None:
        self.title = value


class Criterion(Base):
    __tablename__ = "criterion"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "key"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint("scale_max > scale_min", name="scale_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("judging_round.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(32))
    position: Mapped[int] = mapped_column(default=0)
    label_fr: Mapped[str] = mapped_column(sa.String(120))
    label_en: Mapped[str] = mapped_column(sa.String(120), default="")
    levels: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    weight: Mapped[float] = mapped_column(default=1.0)
    scale_min: Mapped[int] = mapped_column(default=0)
    scale_max: Mapped[int] = mapped_column(default=10)

    round = relationship("JudgingRound", back_populates="criteria")


class JuryProfile(CreatedAtMixin, Base):
    """A jury member's expertise for one edition (the organisation is on the account)."""

    __tablename__ = "jury_profile"
    __table_args__ = (sa.UniqueConstraint("user_id", "edition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    expertise: Mapped[str] = mapped_column(sa.Text, default="")
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    user = relationship("User", foreign_keys=[user_id])


class ConflictOfInterest(CreatedAtMixin, Base):
    __tablename__ = "conflict_of_interest"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", CONFLICT_KINDS), name="kind_known"),
        sa.CheckConstraint(
            "(kind = 'team' AND team_id IS NOT NULL)"
            " OR (kind = 'organisation' AND organisation_id IS NOT NULL)"
            " OR (kind = 'student' AND student_id IS NOT NULL)",
            name="target_given",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    jury_id: Mapped[int] = mapped_column(
        sa.ForeignKey("jury_profile.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    student_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("student_profile.id", ondelete="CASCADE")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")


class RoundEntry(CreatedAtMixin, Base):
    """A team competing in a round (all teams in round 1, the finalists in the final)."""

    __tablename__ = "round_entry"
    __table_args__ = (sa.UniqueConstraint("round_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("judging_round.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("team.id", ondelete="CASCADE"), index=True
    )


class JuryAssignment(CreatedAtMixin, Base):
    __tablename__ = "jury_assignment"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "jury_id", "team_id"),
        sa.CheckConstraint(check_in("status", ASSIGNMENT_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("judging_round.id", ondelete="CASCADE"))
    jury_id: Mapped[int] = mapped_column(
        sa.ForeignKey("jury_profile.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("team.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(12), default="to_score")
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
