"""Every URL rule × every role → the expected answer. A new route must be added here."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import csrf_token

ROLES = ("anonymous", "student", "company", "jury", "organizer")
LOGIN = "login"  # a redirect to the login page
ALL_OK = dict.fromkeys(ROLES, 200)


def only(role: str) -> dict:
    return {r: LOGIN if r == "anonymous" else (200 if r == role else 403) for r in ROLES}


SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}
VISITORS_ONLY = {**dict.fromkeys(ROLES, 302), "anonymous": 200}

# endpoint: (method, path, form data, expected answer per role)
MATRIX = {
    "static": ("GET", "/static/css/app.css", None, ALL_OK),
    "public.index": ("GET", "/", None, ALL_OK),
    "public.privacy": ("GET", "/privacy", None, ALL_OK),
    "public.health": ("GET", "/health", None, ALL_OK),
    "public.set_language": ("POST", "/language", {"locale": "en"}, dict.fromkeys(ROLES, 302)),
    "auth.register_student": ("GET", "/register/student", None, VISITORS_ONLY),
    "auth.register_company": ("GET", "/register/company", None, VISITORS_ONLY),
    "auth.login": ("GET", "/login", None, VISITORS_ONLY),
    "auth.logout": ("POST", "/logout", {}, dict.fromkeys(ROLES, 302)),
    "auth.forgot_password": ("GET", "/password/forgot", None, ALL_OK),
    "auth.reset_password": ("GET", "/password/reset/not-a-token", None,
                            dict.fromkeys(ROLES, 400)),
    "auth.accept_invitation": ("GET", "/invitation/not-a-token", None,
                               dict.fromkeys(ROLES, 400)),
    "account.settings": ("GET", "/account/", None, SIGNED_IN),
    "student.home": ("GET", "/student/", None, only("student")),
    "company.home": ("GET", "/company/", None, only("company")),
    "jury.home": ("GET", "/jury/", None, only("jury")),
    "organizer.dashboard": ("GET", "/organizer/", None, only("organizer")),
    "organizer.edition_list": ("GET", "/organizer/editions", None, only("organizer")),
    "organizer.phase": ("GET", "/organizer/phase", None, only("organizer")),
    "organizer.juries": ("GET", "/organizer/juries", None, only("organizer")),
    "organizer.outbox": ("GET", "/organizer/outbox", None, only("organizer")),
    "organizer.outbox_message": ("GET", "/organizer/outbox/{message_id}", None,
                                 only("organizer")),
    "organizer.audit_log": ("GET", "/organizer/audit", None, only("organizer")),
}


def test_every_route_has_an_entry_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - MATRIX.keys() == set(), "add these routes to the access matrix"
    assert MATRIX.keys() - endpoints == set(), "these matrix entries have no route"


@pytest.fixture
def people(db, edition):
    from crunchtime.services.mail import queue_mail

    message = queue_mail("someone@example.org", "Sujet", "Corps")
    db.session.commit()
    return {
        "anonymous": None,
        "student": factories.student(edition),
        "company": factories.company_user(),
        "jury": factories.jury(edition),
        "organizer": factories.organizer(),
    }, {"message_id": message.id}


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_each_role_gets_the_expected_answer(app, people, endpoint):
    users, values = people
    method, path, data, expected = MATRIX[endpoint]
    path = path.format(**values)
    answers = {}
    for role in ROLES:
        client = app.test_client()
        if users[role] is not None:
            with client.session_transaction() as session:
                session["_user_id"] = users[role].get_id()
        if method == "POST":
            form = {**data, "csrf_token": csrf_token(client, "/privacy")}
            response = client.post(path, data=form)
        else:
            response = client.get(path)
        status = response.status_code
        if status == 302 and response.headers["Location"].startswith("/login?next="):
            status = LOGIN
        answers[role] = status
    assert answers == expected
