"""Devices remembered after a second step: for REMEMBER_HOURS a browser skips the code for
its own account. The browser holds a random token in a signed cookie; the database holds only
its SHA-256, so a leaked table opens nothing."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from crunchtime.extensions import db
from crunchtime.models import RememberedDevice, User
from crunchtime.models.base import utcnow
from crunchtime.security import totp

REMEMBER_HOURS = 12
DEVICE_COOKIE = "crunchtime_device"


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"],
                             salt="crunchtime-remembered-device")


def remember_device(user: User) -> tuple[str, int]:
    """A new remembered device: the signed cookie value and its lifetime in seconds. The
    account's expired devices are swept on the way."""
    now = utcnow()
    token = totp.new_device_token()
    db.session.execute(sa.delete(RememberedDevice).where(
        RememberedDevice.user_id == user.id, RememberedDevice.expires_at <= now))
    db.session.add(RememberedDevice(user_id=user.id, token_hash=totp.hash_device_token(token),
                                    expires_at=now + timedelta(hours=REMEMBER_HOURS)))
    db.session.commit()
    return _device_serializer().dumps({"u": user.id, "t": token}), REMEMBER_HOURS * 3600


def device_remembered(user: User, cookie_value: str | None) -> bool:
    """The cookie was made for this very account and its device has not expired."""
    if not cookie_value:
        return False
    try:
        payload = _device_serializer().loads(cookie_value)
    except BadSignature:
        return False
    if not isinstance(payload, dict) or payload.get("u") != user.id:
        return False
    token = payload.get("t")
    if not isinstance(token, str):
        return False
    return db.session.scalar(sa.select(RememberedDevice.id).where(
        RememberedDevice.user_id == user.id,
        RememberedDevice.token_hash == totp.hash_device_token(token),
        RememberedDevice.expires_at > utcnow(),
    )) is not None


def delete_devices(user: User) -> None:
    """In the caller's unit of work (the second factor removed, reset or turned off)."""
    db.session.execute(sa.delete(RememberedDevice).where(RememberedDevice.user_id == user.id))


def forget_devices(user: User) -> None:
    delete_devices(user)
    db.session.commit()


def count_devices(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RememberedDevice).where(
        RememberedDevice.user_id == user.id, RememberedDevice.expires_at > utcnow()))
