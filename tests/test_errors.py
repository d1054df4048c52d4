"""Error pages in HTML for people, JSON for API clients; nothing half-written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Blueprint

from crunchtime.errors import PhaseClosed
from crunchtime.models import User
from tests import factories
from tests.helpers import csrf_token, says, text


def test_unknown_page_gives_a_404_page_in_french(client, db):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert says(response, "This page does not exist, or no longer exists.")
    assert '<html lang="fr">' in text(response)


def test_json_clients_get_json_errors(client, db):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.is_json
    body = response.get_json()
    assert body["error"] == "not_found" and body["message"]


def test_wrong_method_gives_405_with_allow_header(client, db):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_oversized_body_gives_a_413_page_with_the_limit(make_app, db, edition):
    small = make_app(MAX_CONTENT_LENGTH=1024 * 1024)
    client = small.test_client()
    token = csrf_token(client, "/register/student")
    response = client.post(
        "/register/student",
        data={"csrf_token": token, "first_name": "x" * (2 * 1024 * 1024), "last_name": "Y",
              "email": "big@example.org", "password": "p", "confirm": "p"},
    )
    assert response.status_code == 413
    assert says(response, "What you sent is too large: the limit is %(mb)d MB.", mb=1)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


@pytest.fixture
def failing_app(make_app):
    """An app with two extra routes that fail, to see the handlers at work."""
    application = make_app()
    extra = Blueprint("failing", __name__)

    @extra.route("/boom")
    def boom():
        factories.organisation("Half-written")  # committed by the factory
        raise RuntimeError("bug")

    @extra.route("/closed")
    def closed():
        raise PhaseClosed("Pas maintenant.", allowed=["judging"])

    application.register_blueprint(extra)
    return application


def test_unexpected_error_gives_a_500_page_without_a_stack_trace(failing_app, db):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Traceback" not in text(response) and "RuntimeError" not in text(response)
    assert says(
        response, "Something went wrong on our side. The team has been told; try again shortly."
    )


def test_domain_error_becomes_a_page_or_json_with_its_code(failing_app, db):
    client = failing_app.test_client()
    page = client.get("/closed")
    assert page.status_code == 409 and "Pas maintenant." in text(page)
    api = client.get("/closed", headers={"Accept": "application/json"})
    assert api.status_code == 409
    assert api.get_json() == {"error": "phase_closed", "message": "Pas maintenant."}


def test_unauthenticated_json_request_gets_401_not_a_redirect(client, db):
    response = client.get("/organizer/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
