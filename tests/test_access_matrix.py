"""Every URL rule × every role → the expected answer. A new route must be added to
one of the modules of tests/access/ (see tests/access/core.py for the format)."""

from __future__ import annotations

import pytest

from tests.access import all_entries, matrix_world
from tests.access.common import LOGIN, ROLES
from tests.helpers import csrf_token

MATRIX = all_entries()


def test_every_route_has_an_entry_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - MATRIX.keys() == set(), "add these routes to the access matrix"
    assert MATRIX.keys() - endpoints == set(), "these matrix entries have no route"


@pytest.fixture
def people(db, edition):
    return matrix_world(db, edition)


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
