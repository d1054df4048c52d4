"""Nothing secret or personal reaches the logs: a whole flow (registration, address
confirmation, login, password reset, jury invitation, scoring, refusals) runs with every
logger at DEBUG, and its log, in text and in JSON, holds no password, token, cookie, CSRF
token or e-mail address that went through it."""

from __future__ import annotations

import io
import logging
import re

import pytest
import sqlalchemy as sa

from crunchtime.logs import configure_logging
from crunchtime.models import User
from tests import factories
from tests.helpers import csrf_token, last_mail_to, link_in, path_of, post_form
from tests.judging.conftest import api_client, post_event
from tests.judging.conftest import world as judging_world

world = judging_world

STUDENT = {"first_name": "Léa", "last_name": "Dupré", "email": "Lea.Dupre@etu.utbm.fr",
           "password": "tournesol-hydrogène-42", "confirm": "tournesol-hydrogène-42"}
NEW_PASSWORD = "coquelicot-Éole-7781"
JURY_EMAIL = "Claire.Martin@ge.example"
JURY_PASSWORD = "mistral-gagnant-1987"
WRONG_PASSWORD = "pas-le-bon-mot-de-passe-3"


class Secrets(list):
    def token_of(self, link: str) -> str:
        """The link's path, its last segment (the signed token) remembered as a secret."""
        path = path_of(link)
        self.append(path.rsplit("/", 1)[-1])
        return path

    def cookie_of(self, client) -> None:
        cookie = client.get_cookie("session")
        if cookie is not None:
            self.append(cookie.value)


def _set_phase(db, edition, phase: str) -> None:
    edition.phase = phase
    db.session.commit()


def _register_confirm_login_and_reset(client, db, secrets: Secrets) -> None:
    assert post_form(client, "/register/student", STUDENT).status_code == 302
    verify = secrets.token_of(link_in(last_mail_to(STUDENT["email"].lower()).body))
    assert post_form(client, verify, {}).status_code == 302
    assert post_form(client, "/login", {"email": STUDENT["email"],
                                        "password": WRONG_PASSWORD}).status_code == 200
    login = post_form(client, "/login", {"email": STUDENT["email"],
                                         "password": STUDENT["password"]})
    assert login.headers["Location"] == "/student/"
    secrets.cookie_of(client)
    secrets.append(csrf_token(client, "/account/"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/")})
    assert post_form(client, "/password/forgot", {"email": STUDENT["email"]}).status_code == 302
    reset = secrets.token_of(link_in(last_mail_to(STUDENT["email"].lower()).body))
    response = post_form(client, reset, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/student/"
    secrets.cookie_of(client)


def _invite_and_accept(app, db, secrets: Secrets) -> None:
    organizer = app.test_client()
    boss = factories.organizer(email="chef.orga@utbm.fr")
    secrets.append(boss.email)
    assert post_form(organizer, "/login", {"email": boss.email,
                                           "password": factories.PASSWORD}).status_code == 302
    secrets.cookie_of(organizer)
    data = {"first_name": "Claire", "last_name": "Martin", "email": JURY_EMAIL,
            "expertise": "Énergie"}
    assert post_form(organizer, "/organizer/juries", data).status_code == 302
    invitation = secrets.token_of(link_in(last_mail_to(JURY_EMAIL.lower()).body))
    jury = app.test_client()
    response = post_form(jury, invitation, {"password": JURY_PASSWORD, "confirm": JURY_PASSWORD})
    assert response.headers["Location"] == "/jury/"
    secrets.cookie_of(jury)
    organizer.get("/organizer/outbox")


def _score(app, world, secrets: Secrets) -> None:
    client = api_client(app, world.juries[0])
    secrets.append(client.csrf)
    secrets.cookie_of(client)
    assert post_event(client, world.score_body("privacy-event-1")).status_code == 201
    refused = client.post("/jury/api/events", json=world.score_body("privacy-event-2"),
                          headers={"X-CSRFToken": "forged-" + client.csrf})
    assert refused.status_code == 400
    assert post_event(client, world.score_body("privacy-event-3", value=99)).status_code == 400


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_whole_flow_logs_no_password_token_cookie_or_address(app, db, world, log_format):
    stream = io.StringIO()
    root_level = logging.getLogger().level
    configure_logging("DEBUG", log_format, stream=stream)
    sql = logging.getLogger("sqlalchemy.engine")  # what an operator turns on to debug
    sql_level = sql.level
    sql.setLevel(logging.DEBUG)
    secrets = Secrets([STUDENT["password"], NEW_PASSWORD, JURY_PASSWORD, WRONG_PASSWORD,
                       factories.PASSWORD])
    try:
        _set_phase(db, world.edition, "registration")
        _register_confirm_login_and_reset(app.test_client(), db, secrets)
        _invite_and_accept(app, db, secrets)
        _set_phase(db, world.edition, "judging")
        _score(app, world, secrets)
        logging.getLogger("crunchtime.tests").warning(
            "a careless line: Cookie: session=%s; password=%s; mail %s",
            secrets[-1], STUDENT["password"], STUDENT["email"])
    finally:
        configure_logging("INFO", "text")
        logging.getLogger().setLevel(root_level)
        sql.setLevel(sql_level)
    log = stream.getvalue()
    assert len(log.splitlines()) > 50  # SQL, the score's group, the refusals… were logged
    assert "a careless line" in log
    secrets += [STUDENT["email"], JURY_EMAIL, *(u.email for u in world.juries + world.students)]
    for user in db.session.scalars(sa.select(User)):  # what the SQL parameters would show
        secrets += [value for value in (user.password_hash, user.session_token) if value]
    found = sorted({secret for secret in secrets
                    if secret.lower() in log.lower() or _json_escaped(secret).lower()
                    in log.lower()})
    assert found == []
    assert re.search(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}", log) is None


def _json_escaped(text: str) -> str:
    import json

    return json.dumps(text)[1:-1]
