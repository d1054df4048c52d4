"""A student's request to have their personal data erased (RGPD)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

REQUEST_STATUSES = ("pending", "deferred", "done", "refused")


class DeletionRequest(CreatedAtMixin, Base):
    __tablename__ = "deletion_request"
    __table_args__ = (
        sa.CheckConstraint(check_in("status", REQUEST_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
