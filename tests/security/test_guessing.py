"""Things that must not be guessed: friend-group codes (long, and wrong ones throttled) and
passwords (the common ones of a real list refused; old hashes remade at login)."""

from __future__ import annotations

import math

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, Type
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from crunchtime.models import StudentProfile, User
from crunchtime.security import passwords
from crunchtime.services.accounts import profiles
from tests import factories
from tests.helpers import csrf_token, post_form, says

ADDRESS = "192.0.2.44"


def profile_of(db, user) -> StudentProfile:
    db.session.expire_all()
    return db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))


def signed_in(app, user):
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return browser


def join(browser, code, address=ADDRESS):
    token = csrf_token(browser, "/student/profile")
    return browser.post("/student/group/join", data={"code": code, "csrf_token": token},
                        environ_base={"REMOTE_ADDR": address})


def test_new_group_codes_carry_at_least_64_random_bits(app, db, edition):
    codes = set()
    for _ in range(5):
        student = factories.student(edition)
        browser = signed_in(app, student)
        browser.post("/student/group/create",
                     data={"csrf_token": csrf_token(browser, "/student/profile")})
        codes.add(profile_of(db, student).friend_group_key)
    assert len(codes) == 5
    for code in codes:
        assert set(code) <= set(profiles.GROUP_CODE_ALPHABET)
        assert len(code) * math.log2(len(profiles.GROUP_CODE_ALPHABET)) >= 64


def test_a_short_code_made_before_still_works(app, db, edition):
    founder, friend = factories.student(edition), factories.student(edition)
    profile = profile_of(db, founder)
    profile.friend_group_key = "K7PQ2M"
    db.session.commit()
    assert join(signed_in(app, friend), " k7pq2m ").status_code == 302
    assert profile_of(db, friend).friend_group_key == "K7PQ2M"


def test_a_long_code_typed_with_spaces_or_dashes_works(app, db, edition):
    founder, friend = factories.student(edition), factories.student(edition)
    code = profiles.create_group(founder)
    typed = "-".join(code[i:i + 4] for i in range(0, len(code), 4)).lower()
    join(signed_in(app, friend), typed)
    assert profile_of(db, friend).friend_group_key == code


def test_guessing_group_codes_is_throttled_per_student(app, db, edition):
    founder, guesser = factories.student(edition), factories.student(edition)
    code = profiles.create_group(founder)
    browser = signed_in(app, guesser)
    for n in range(10):
        response = join(browser, f"ZZZZZ{n}")
        assert response.status_code == 302
    blocked = join(browser, code)
    assert blocked.status_code == 429
    assert profile_of(db, guesser).friend_group_key is None
    # Another student from another address is not held up.
    assert join(signed_in(app, factories.student(edition)), code, "192.0.2.99") \
        .status_code == 302


def test_guessing_group_codes_is_throttled_per_address(app, db, edition, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_GROUP_JOIN_FAILURES_PER_ADDRESS", "3 per hour")
    founder = factories.student(edition)
    code = profiles.create_group(founder)
    for n in range(3):
        assert join(signed_in(app, factories.student(edition)), f"WRONG{n}").status_code == 302
    late = factories.student(edition)
    assert join(signed_in(app, late), code).status_code == 429
    assert join(signed_in(app, late), code, "192.0.2.99").status_code == 302


def test_successful_joins_do_not_count(app, db, edition, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_GROUP_JOIN_FAILURES_PER_ADDRESS", "2 per hour")
    for _ in range(3):
        code = profiles.create_group(factories.student(edition))
        for _ in range(2):
            assert join(signed_in(app, factories.student(edition)), code).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(StudentProfile.id)).where(
        StudentProfile.friend_group_key.is_not(None))) == 9


def long_common_passwords() -> list[str]:
    return [p for p in FREQUENCY_LISTS["passwords"] if len(p) >= passwords.MIN_LENGTH]


def test_the_common_password_list_is_a_real_one():
    assert len(passwords.common_passwords()) >= 10_000
    assert {"qwerty123456", "1qaz2wsx3edc", "leavemealone"} <= passwords.common_passwords()


@pytest.mark.parametrize("password", ["qwerty123456", "1qaz2wsx3edc", "leavemealone",
                                      "Sunshine2026!", "2026dragondragon", "Iloveyou12345",
                                      "football1234567", "Motdepasse2026"])
def test_common_passwords_even_padded_or_repeated_are_refused(password):
    assert passwords.weakness(password) == "too_common"


def test_every_long_password_of_the_list_is_refused():
    assert all(passwords.weakness(p) in ("too_common", "too_long")
               for p in long_common_passwords())


def test_a_passphrase_is_accepted():
    assert passwords.weakness("tournesol-hydrogène-42") is None
    assert passwords.weakness("correct-horse-battery") is None


def test_registration_refuses_a_common_password_of_the_list(client, db, edition):
    data = {"first_name": "Léa", "last_name": "Dupré", "email": "lea@etu.utbm.fr",
            "password": "qwerty123456", "confirm": "qwerty123456"}
    response = post_form(client, "/register/student", data)
    assert response.status_code == 200
    assert says(response, "This password is too common or too simple; choose another one.")
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_hash_with_old_parameters_is_remade_at_login(app, client, db, edition):
    old = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1, type=Type.ID)
    student = factories.student(edition)
    student.password_hash = old.hash(factories.PASSWORD)
    db.session.commit()
    profile = app.config["PASSWORD_HASH_PROFILE"]
    assert passwords.needs_rehash(student.password_hash, profile)

    response = post_form(client, "/login", {"email": student.email,
                                            "password": factories.PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, student.id).password_hash
    assert not passwords.needs_rehash(stored, profile)
    assert passwords.verify_password(stored, factories.PASSWORD, profile)
    assert client.get("/student/").status_code == 200  # the session survives the rehash


def test_a_current_hash_is_left_alone_at_login(client, db, student):
    before = student.password_hash
    post_form(client, "/login", {"email": student.email, "password": factories.PASSWORD})
    db.session.expire_all()
    assert db.session.get(User, student.id).password_hash == before
