"""A team's deliverables: every save is a new version; files are kept with their digest."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime


class Submission(CreatedAtMixin, Base):
    __tablename__ = "submission"
    __table_args__ = (sa.CheckConstraint("version >= 0", name="version_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("team.id", ondelete="CASCADE"), unique=True
    )
    # The optimistic-concurrency counter: a save names the version it started from.
    version: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    versions = relationship(
        "SubmissionVersion", back_populates="submission", order_by="SubmissionVersion.number",
        cascade="all, delete-orphan",
    )
    files = relationship(
        "SubmissionFile", back_populates="submission", cascade="all, delete-orphan"
    )


class SubmissionVersion(CreatedAtMixin, Base):
    __tablename__ = "submission_version"
    __table_args__ = (sa.UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    pitch: Mapped[str] = mapped_column(sa.String(300), default="")
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    solution: Mapped[str] = mapped_column(sa.Text, default="")
    prototype: Mapped[str] = mapped_column(sa.Text, default="")
    user_tests: Mapped[str] = mapped_column(sa.Text, default="")
    links: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    file_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    changed_fields: Mapped[list] = mapped_column(sa.JSON, default=list)
    restored_from: Mapped[int | None]

    submission = relationship("Submission", back_populates="versions")


class SubmissionFile(CreatedAtMixin, Base):
    __tablename__ = "submission_file"
    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    submission = relationship("Submission", back_populates="files")
