"""Generated bad input to every form and JSON endpoint, sent as each role: never a 5xx,
never a stack trace, and nothing written when the answer is an error.

The world is the access matrix's (tests/access/): every route has a path with real ids. For
each POST route, hypothesis draws a body — the form's own field names (and stray ones) with
hostile values: control characters, very long text, numbers out of range, odd unicode, files
that are not what they claim; or a JSON document — and each role sends it with a valid CSRF
token, so that the request reaches the form's validation and the service behind it."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crunchtime.extensions import db as _db
from crunchtime.views import BLUEPRINTS  # noqa: F401  (imports every form class)
from tests.access import all_entries, matrix_world
from tests.access.common import ROLES
from tests.helpers import csrf_token

MATRIX = all_entries()
POST_ENDPOINTS = sorted(name for name, entry in MATRIX.items() if entry[0] == "POST")
# Refusals are audited on purpose (who tried what): the audit log may grow on an error.
NOT_COMPARED = {"audit_event"}
EXAMPLES = 6


def _form_classes(base=FlaskForm) -> list[type]:
    found = []
    for cls in base.__subclasses__():
        found.append(cls)
        found.extend(_form_classes(cls))
    return found


def _field_names() -> list[str]:
    names = set()
    for form_class in _form_classes():
        if not form_class.__module__.startswith("crunchtime."):
            continue
        names.update(name for name in dir(form_class)
                     if hasattr(getattr(form_class, name), "field_class"))
    return sorted(names - {"csrf_token"})


FIELD_NAMES = _field_names()
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So"]),
            max_size=20),
    st.sampled_from(["", " ", "\x00", "-1", "0", "999999999999999999999", "1e308", "NaN",
                     "2026-02-30T25:61", "../../etc/passwd", "<script>alert(1)</script>",
                     "=HYPERLINK(\"http://evil.example\")", "' OR 1=1 --", "\ud7ff" * 3,
                     "é" * 5000, "a" * 100_000]),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
FILES = st.sampled_from([
    ("notes.pdf", b"MZ\x90\x00 not a pdf"), ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10),
    ("data.csv", "email\n\x00\xff".encode("latin-1")), ("empty.odt", b""),
    ("archive.zip", b"PK\x03\x04" + b"\xff" * 40),
])


@st.composite
def bodies(draw):
    """Either a form (known and stray fields, maybe a file) or a JSON document."""
    if draw(st.integers(0, 4)) == 0:
        return "json", draw(JSON_VALUES)
    names = draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=8, unique=True))
    names += draw(st.lists(st.text(max_size=8), max_size=2))
    form = {name: draw(HOSTILE_TEXT) for name in names}
    if draw(st.booleans()):
        field = draw(st.sampled_from(["file", "files", "attachment", "csv_file", "image"]))
        filename, content = draw(FILES)
        form[field] = (content, filename)  # opened afresh for each request
    return "form", form


def snapshot() -> str:
    """A digest of every row of every table (but the audit log)."""
    digest = hashlib.sha256()
    for table in _db.metadata.sorted_tables:
        if table.name in NOT_COMPARED:
            continue
        rows = _db.session.execute(sa.select(table).order_by(*table.primary_key.columns))
        digest.update(table.name.encode())
        for row in rows:
            digest.update(repr(tuple(row)).encode())
    _db.session.rollback()
    return digest.hexdigest()


@pytest.fixture
def world(db, edition):
    return matrix_world(db, edition)


def _client(app, user):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
    return client


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_bad_input_never_breaks_a_form_or_json_endpoint(app, db, world, endpoint):
    users, values = world
    path = MATRIX[endpoint][1].format(**values)
    clients = {role: _client(app, users[role]) for role in ROLES}
    tokens = {role: csrf_token(clients[role], "/privacy") for role in ROLES}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(body=bodies())
    def send(body):
        kind, content = body
        for role in ROLES:
            before = snapshot()
            if kind == "json":
                response = clients[role].post(path, data=json.dumps(content),
                                              headers={"X-CSRFToken": tokens[role]},
                                              content_type="application/json")
            else:
                form = {name: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple)
                        else value for name, value in content.items()}
                response = clients[role].post(path, data={**form, "csrf_token": tokens[role]},
                                              content_type="multipart/form-data")
            page = response.get_data(as_text=True)
            assert response.status_code < 500, (role, kind, response.status_code, page[:500])
            assert "Traceback" not in page and "File \"/" not in page, (role, page[:500])
            if response.status_code >= 400:
                assert snapshot() == before, (role, kind, response.status_code,
                                              "rows changed on an error answer")

    send()


@pytest.mark.parametrize("document", ["false", "[]", "3", '"text"', '{"email": ["a", "b"]}'])
def test_a_json_body_sent_to_a_form_gets_a_json_error_not_a_crash(app, db, document):
    client = app.test_client()
    token = csrf_token(client, "/privacy")
    response = client.post("/password/forgot", data=document, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_input"
