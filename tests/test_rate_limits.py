"""Login and registration limits: guessing is throttled, a campus NAT is never refused."""

from __future__ import annotations

import uuid

import redis
import sqlalchemy as sa

from crunchtime.models import User
from tests import factories
from tests.helpers import csrf_token, last_mail_to, link_in, path_of, says

CAMPUS_NAT = "10.20.30.40"


def attempt_login(client, email, password):
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": CAMPUS_NAT},
    )


def test_guessing_one_accounts_password_is_throttled(client, db, student):
    for _ in range(5):
        assert attempt_login(client, student.email, "guess-guess-guess").status_code == 200
    blocked = attempt_login(client, student.email, "guess-guess-guess")
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    text = blocked.get_data(as_text=True)
    assert "Too many attempts" not in text  # French by default
    assert says(
        blocked,
        "Too many attempts. Wait %(num)d minute, then try again.",
        "Too many attempts. Wait %(num)d minutes, then try again.",
        num=1,
    )
    # Even the right password waits: that is what stops guessing.
    assert attempt_login(client, student.email, factories.PASSWORD).status_code == 429


def test_throttle_on_one_account_does_not_block_another(client, db, edition):
    victim, other = factories.student(edition), factories.student(edition)
    for _ in range(6):
        attempt_login(client, victim.email, "wrong-wrong-wrong")
    assert attempt_login(client, other.email, factories.PASSWORD).status_code == 302


def test_the_throttle_answers_json_clients_in_json(client, db, student):
    for _ in range(5):
        attempt_login(client, student.email, "guess-guess-guess")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": student.email, "password": "x", "csrf_token": token},
        headers={"Accept": "application/json"}, environ_base={"REMOTE_ADDR": CAMPUS_NAT},
    )
    assert response.status_code == 429
    assert response.get_json()["error"] == "too_many_requests"


def test_successful_logins_from_one_address_are_not_counted(client, db, student):
    for _ in range(40):
        assert attempt_login(client, student.email, factories.PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_1700_students_registering_behind_one_nat_are_never_refused(app, db, edition):
    """Every student of the cohort registers from the same address, as fast as possible."""
    browser = app.test_client()
    token = csrf_token(browser, "/register/student")
    for n in range(1700):
        response = browser.post(
            "/register/student",
            data={"first_name": "Étudiant", "last_name": f"Numéro{n}",
                  "email": f"etudiant{n}@etu.utbm.fr", "password": "tournesol-hydrogène-42",
                  "confirm": "tournesol-hydrogène-42", "csrf_token": token},
            environ_base={"REMOTE_ADDR": CAMPUS_NAT},
        )
        assert response.status_code == 302, (n, response.status_code)
        with browser.session_transaction() as session:
            session.clear()
            session["csrf_token"] = _raw_token(app, token)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1700


def _raw_token(app, signed_token):
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").loads(
        signed_token
    )


def test_account_creation_limit_per_address_applies_beyond_its_setting(make_app, db, edition):
    """The per-address limit is real: with a small setting, the next registration waits."""
    small = make_app(RATELIMIT_ACCOUNT_CREATION_PER_ADDRESS="3 per hour")
    browser = small.test_client()
    statuses = []
    for n in range(4):
        token = csrf_token(browser, "/register/student")
        response = browser.post(
            "/register/student",
            data={"first_name": "A", "last_name": f"B{n}", "email": f"s{n}@etu.utbm.fr",
                  "password": "tournesol-hydrogène-42", "confirm": "tournesol-hydrogène-42",
                  "csrf_token": token},
            environ_base={"REMOTE_ADDR": CAMPUS_NAT},
        )
        statuses.append(response.status_code)
        browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    assert statuses == [302, 302, 302, 429]


def test_limits_are_shared_between_processes_through_redis(make_app, db, student, redis_url):
    """In production several gunicorn processes share one Redis: a throttle holds across them."""
    prefix = f"ct-test-{uuid.uuid4().hex[:8]}"
    settings = {"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": prefix}
    connection = redis.Redis.from_url(redis_url)
    try:
        client = make_app(**settings).test_client()
        for _ in range(5):
            assert attempt_login(client, student.email, "guess-guess-guess").status_code == 200
        counters = {key.decode(): connection.get(key) for key in
                    connection.scan_iter(f"*{prefix}*")}
        assert any(student.email in key and value == b"5" for key, value in counters.items())
        # A second process is a second app reading the same Redis counters.
        other_process = make_app(**settings).test_client()
        blocked = attempt_login(other_process, student.email, factories.PASSWORD)
        assert blocked.status_code == 429
    finally:
        keys = list(connection.scan_iter(f"*{prefix}*"))
        if keys:
            connection.delete(*keys)
        make_app()  # the limiter is one shared object: give it back its in-memory storage


def register_from_nat(browser, n: int, **fields):
    token = csrf_token(browser, "/register/student")
    data = {"first_name": "A", "last_name": f"B{n}", "email": f"s{n}@etu.utbm.fr",
            "password": "tournesol-hydrogène-42", "confirm": "tournesol-hydrogène-42",
            "csrf_token": token, **fields}
    response = browser.post("/register/student", data=data,
                            environ_base={"REMOTE_ADDR": CAMPUS_NAT})
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    return response.status_code


def test_failed_registration_forms_do_not_use_the_account_creation_budget(make_app, db, edition):
    """Students behind one NAT who retry forms with errors are not refused afterwards."""
    small = make_app(RATELIMIT_ACCOUNT_CREATION_PER_ADDRESS="2 per hour")
    browser = small.test_client()
    failures = [
        register_from_nat(browser, 0, confirm="autre-chose-encore-99"),  # mismatch
        register_from_nat(browser, 1, password="azerty", confirm="azerty"),  # too weak
        register_from_nat(browser, 3, email="pas-une-adresse"),  # malformed
    ] * 5
    assert set(failures) == {200}
    assert [register_from_nat(browser, n) for n in (10, 11, 12)] == [302, 302, 429]


def test_a_taken_address_uses_the_budget_like_a_new_one(make_app, db, edition):
    """Registering a taken address answers as a new one does (the owner gets a mail), so it
    counts the same: the budget cannot tell which addresses have an account."""
    small = make_app(RATELIMIT_ACCOUNT_CREATION_PER_ADDRESS="2 per hour")
    browser = small.test_client()
    factories.student(edition, email="s0@etu.utbm.fr")
    assert [register_from_nat(browser, n) for n in (0, 1, 2)] == [302, 302, 429]


def test_failed_invitation_acceptances_do_not_use_the_budget(make_app, db, edition):
    from crunchtime.services.accounts import invitations

    organizer = factories.organizer()
    paths = [path_of(link_in(last_mail_to(invitations.invite_jury(
        organizer, f"jury{n}@ge.example", "Jeanne", f"Nom{n}").email).body)) for n in range(2)]
    browser = make_app(RATELIMIT_ACCOUNT_CREATION_PER_ADDRESS="1 per hour").test_client()

    def accept(path, password, confirm=None):
        token = csrf_token(browser, path)
        response = browser.post(path, data={"password": password,
                                            "confirm": confirm or password, "csrf_token": token},
                                environ_base={"REMOTE_ADDR": CAMPUS_NAT})
        browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
        return response.status_code

    assert {accept(paths[0], "azerty") for _ in range(5)} == {200}
    assert accept(paths[0], "tournesol-hydrogène-42") == 302
    assert accept(paths[1], "tournesol-hydrogène-42") == 429


def test_a_flood_of_failing_registration_forms_is_still_throttled(make_app, db, edition):
    """The guard on every POST from one address stays, well above what a cohort sends."""
    small = make_app(RATELIMIT_REGISTRATION_ATTEMPTS_PER_ADDRESS="5 per hour")
    browser = small.test_client()
    statuses = [register_from_nat(browser, n, confirm="autre-chose-encore-99")
                for n in range(6)]
    assert statuses == [200] * 5 + [429]
    assert register_from_nat(browser, 99) == 429
