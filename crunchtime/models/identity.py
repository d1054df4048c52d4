"""University identities: the account a CAS or OpenID Connect login opens, remembered by the
provider's own subject id (an address may change; the subject does not)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

PROVIDERS = ("cas", "oidc")


class UniversityIdentity(CreatedAtMixin, Base):
    __tablename__ = "university_identity"
    __table_args__ = (
        sa.UniqueConstraint("provider", "subject"),
        # One university account per provider and Crunch Time account.
        sa.UniqueConstraint("user_id", "provider"),
        sa.CheckConstraint(check_in("provider", PROVIDERS), name="provider_known"),
        sa.CheckConstraint("length(subject) > 0", name="subject_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(sa.String(8))
    subject: Mapped[str] = mapped_column(sa.String(255))
    # The address the provider gave at the last login (what matched the account, at first).
    provider_email: Mapped[str] = mapped_column(sa.String(254), default="")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<UniversityIdentity {self.provider} {self.user_id}>"
