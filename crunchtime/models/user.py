"""Accounts: one role per account; e-mail unique whatever its case."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime, check_in

ROLES = ("student", "company", "jury", "organizer")
LOCALES = ("fr", "en")


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(CreatedAtMixin, UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint(check_in("role", ROLES), name="role_known"),
        sa.CheckConstraint(f"locale IS NULL OR {check_in('locale', LOCALES)}", name="locale_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), index=True)
    first_name: Mapped[str] = mapped_column(sa.String(80), default="")
    last_name: Mapped[str] = mapped_column(sa.String(80), default="")
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # Rotated on password change: it is part of the login cookie, so old sessions end.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the address was shown to be the account holder's (a link sent to it was opened,
    # or the account was created from an invitation or an import). None: not verified yet.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation = relationship("Organisation", back_populates="members")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
