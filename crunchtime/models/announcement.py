"""Announcements from organisers to everyone, a role, a challenge's teams or one team."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

AUDIENCES = ("everyone", "role", "challenge", "team")


class Announcement(CreatedAtMixin, Base):
    __tablename__ = "announcement"
    __table_args__ = (
        sa.CheckConstraint(check_in("audience", AUDIENCES), name="audience_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    audience: Mapped[str] = mapped_column(sa.String(12))
    audience_role: Mapped[str | None] = mapped_column(sa.String(16))
    challenge_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("challenge.id", ondelete="CASCADE")
    )
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    text_fr: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str] = mapped_column(sa.Text, default="")
    send_email: Mapped[bool] = mapped_column(default=False)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
