"""An account's second factor: its TOTP secret (encrypted), its single-use recovery codes
(hashed) and the devices remembered for a few hours (hashed tokens)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime


class SecondFactor(CreatedAtMixin, Base):
    """One per account. `enabled_at` is None while the enrolment waits for its first code."""

    __tablename__ = "second_factor"
    __table_args__ = (
        sa.CheckConstraint("last_used_step IS NULL OR last_used_step >= 0",
                           name="last_used_step_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    # Fernet token of the base-32 secret, under a key derived from SECRET_KEY.
    secret_encrypted: Mapped[str] = mapped_column(sa.String(255))
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last 30-second step whose code was accepted: that code, and older ones, are refused.
    last_used_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recovery_codes = relationship(
        "RecoveryCode", cascade="all, delete-orphan", passive_deletes=True,
        order_by="RecoveryCode.id",
    )


class RecoveryCode(Base):
    __tablename__ = "recovery_code"
    __table_args__ = (
        sa.UniqueConstraint("second_factor_id", "code_hash"),
        sa.CheckConstraint("length(code_hash) = 64", name="code_hash_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    second_factor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("second_factor.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RememberedDevice(CreatedAtMixin, Base):
    """A browser that passed the second step and asked to skip it for a few hours."""

    __tablename__ = "remembered_device"
    __table_args__ = (
        sa.CheckConstraint("length(token_hash) = 64", name="token_hash_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
