"""Fixtures of two-step verification: an enrolled account and its codes."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyotp
import pytest

from crunchtime.security import totp
from crunchtime.services.accounts import second_factor
from tests import factories

# A fixed instant in the middle of a 30-second step, for the service's `at=` argument.
NOW = (int(time.time()) // 30) * 30 + 15.0


@dataclass
class Enrolled:
    user: object
    secret: str
    recovery_codes: list[str]

    def code(self, at: float | None = None) -> str:
        return pyotp.TOTP(self.secret).at(time.time() if at is None else at)


def enrol(user, at: float = NOW - 300) -> Enrolled:
    """Turn the second factor on with a code of five minutes ago (so that codes of `NOW` and
    of the real clock are all newer than the one used at enrolment)."""
    enrolment = second_factor.begin_enrolment(user)
    codes = second_factor.confirm_enrolment(user, pyotp.TOTP(enrolment.secret).at(at), at=at)
    return Enrolled(user, enrolment.secret, codes)


@pytest.fixture
def enrolled_jury(db, jury) -> Enrolled:
    return enrol(jury)


@pytest.fixture
def enrolled_organizer(db, organizer) -> Enrolled:
    return enrol(organizer)


def code_at(secret: str, at: float) -> str:
    return pyotp.TOTP(secret, interval=totp.STEP_SECONDS).at(at)


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "ORGANIZER_2FA", "required")


def other_organizer():
    return factories.organizer()
