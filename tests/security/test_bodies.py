"""Oversized bodies: each endpoint reads at most what it needs. A jury's score event is a
few hundred bytes and its endpoint refuses anything over 32 KB unread (JSON error); a form
page refuses more than 1 MB (error page); only the upload endpoints take large bodies, up to
the configured limits (crunchtime/security/http.py)."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest
from flask import Request

from crunchtime.security import http
from crunchtime.services.judging.ledger import writes as score_ledger
from crunchtime.services.judging.ledger.writes import COMMENT_MAX
from tests import factories, team_world
from tests.challenges import samples
from tests.helpers import csrf_token, fr, says
from tests.team_world import files_on_disk, save, versions

# The team world's fixtures (tests/team_world.py): a building edition whose deadline is in
# two days, a challenge of a company, a team of two students (Léa and Hugo).
edition, company, challenge = team_world.edition, team_world.company, team_world.challenge
lea, hugo, team = team_world.lea, team_world.hugo, team_world.team

MB = 1024 * 1024
EVENTS = "/jury/api/events"


def score_event(comment: str) -> bytes:
    """As a client that escapes every non-ASCII character sends it (12 bytes an emoji)."""
    return json.dumps({"client_event_id": "e1", "round_id": 1, "team_id": 1,
                       "criterion_id": 1, "value": 3, "comment": comment}).encode()


def too_large(kb: int | None = None, mb: int | None = None) -> str:
    if kb is not None:
        return fr("What you sent is too large: the limit is %(kb)d KB.", kb=kb)
    return fr("What you sent is too large: the limit is %(mb)d MB.", mb=mb)


class Untouchable:
    """Stands for a way of reading the body that must not be used; counts the attempts."""

    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        raise AssertionError("the body was read")


def signed_in_jury(as_user, edition):
    """A jury's phone: signed in, holding the CSRF token its page gave it."""
    client = as_user(factories.jury(edition))
    return client, {"X-CSRFToken": csrf_token(client, "/privacy")}


def test_a_20_mb_score_event_is_refused_413_in_json_without_being_read(
    as_user, db, edition, monkeypatch
):
    client, headers = signed_in_jury(as_user, edition)
    body = score_event("x" * (20 * MB))
    get_json, get_data = Untouchable(), Untouchable()
    monkeypatch.setattr(Request, "get_json", get_json)
    monkeypatch.setattr(Request, "get_data", get_data)
    tracemalloc.start()
    try:
        response = client.post(EVENTS, data=body, content_type="application/json",
                               headers=headers)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    assert response.is_json
    assert response.get_json() == {"error": "too_large", "message": too_large(kb=32)}
    assert get_json.calls == get_data.calls == 0
    assert peak < 2 * MB  # the body is 20 MB


class CountingStream(io.RawIOBase):
    """A body sent without a declared length (chunked): counts what the app reads of it."""

    def __init__(self, body: bytes):
        self._body, self.bytes_read = io.BytesIO(body), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._body.read(len(buffer))
        buffer[:len(chunk)] = chunk
        self.bytes_read += len(chunk)
        return len(chunk)


def test_a_score_event_of_unknown_length_is_read_only_up_to_its_limit(as_user, db, edition):
    client, headers = signed_in_jury(as_user, edition)
    stream = CountingStream(score_event("x" * (20 * MB)))
    response = client.post(EVENTS, content_type="application/json",
                           headers={**headers, "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input": stream,
                                              "wsgi.input_terminated": True})
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"
    assert stream.bytes_read <= 32 * 1024 + 64 * 1024


def test_the_longest_valid_score_event_is_still_read(as_user, db, edition, monkeypatch):
    client, headers = signed_in_jury(as_user, edition)
    received = []
    monkeypatch.setattr(score_ledger, "record_session_score",
                        lambda identity, score, locale: received.append(score) or ScoreReply())
    longest = score_event("🚀" * COMMENT_MAX)
    assert 16 * 1024 < len(longest) < 32 * 1024
    response = client.post(EVENTS, data=longest, content_type="application/json",
                           headers=headers)
    assert response.status_code == 201
    assert [len(score.comment) for score in received] == [COMMENT_MAX]


class ScoreReply:
    replayed = False

    def as_json(self) -> dict:
        return {"ok": True}


def test_a_form_page_refuses_a_body_over_1_mb_with_the_error_page(client, db):
    response = client.post("/login", content_type="multipart/form-data", data={
        "email": "lea@example.org", "password": "x",
        "attachment": (io.BytesIO(b"x" * (2 * MB)), "gros.bin")})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert says(response, "What you sent is too large: the limit is %(mb)d MB.", mb=1)


def test_a_signed_in_form_refuses_a_3_mb_file_that_the_submission_accepts(app, as_user, db,
                                                                          team, lea):
    client = as_user(lea)
    renamed = client.post(f"/team/{team.id}/name", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/privacy"), "name": "Les Gros",
        "file": (io.BytesIO(samples.big_pdf(3 * MB)), "gros.pdf")})
    assert renamed.status_code == 413
    assert says(renamed, "What you sent is too large: the limit is %(mb)d MB.", mb=1)
    db.session.refresh(team)
    assert team.name == "Les Hydrogènes"
    on_disk = files_on_disk(app)
    saved = save(client, team, title="Hy-Bus", files=[("gros.pdf", samples.big_pdf(3 * MB))])
    assert saved.status_code == 302
    [version] = versions(team)
    assert version.changed_fields[-1] == "files"
    assert len(files_on_disk(app)) == len(on_disk) + 1


def test_a_company_attaches_a_3_mb_pdf_to_its_challenge(as_user, db, edition, company):
    edition.phase = "challenges"
    draft = factories.challenge(edition, company.organisation, status="draft")
    client = as_user(company)
    response = client.post(f"/company/challenges/{draft.id}/attachments",
                           content_type="multipart/form-data", data={
                               "csrf_token": csrf_token(client, "/privacy"),
                               "file": (io.BytesIO(samples.big_pdf(3 * MB)), "cahier.pdf")})
    assert response.status_code == 302
    db.session.refresh(draft)
    assert [attachment.size for attachment in draft.attachments] == [3 * MB]


def test_a_submission_over_the_configured_request_limit_is_refused(make_app, db, team, lea):
    small = make_app(MAX_CONTENT_LENGTH=2 * MB)
    client = small.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = lea.get_id()
    response = save(client, team, title="Hy-Bus", files=[("a.pdf", samples.big_pdf(3 * MB))])
    assert response.status_code == 413
    assert says(response, "What you sent is too large: the limit is %(mb)d MB.", mb=2)


def test_only_the_upload_endpoints_take_large_bodies_and_each_exists(app):
    config = {**app.config, "MAX_CONTENT_LENGTH": 120 * MB, "CHALLENGE_ATTACHMENT_MAX_MB": 10}
    limits = {endpoint: http.body_limit(endpoint, config) for endpoint in app.view_functions}
    large = {endpoint: limit // MB for endpoint, limit in limits.items() if limit > MB}
    assert large == {"team.submission": 120, "team.complete_stage": 120,
                     "presence.declare_absence": 120,
                     "company.upload_attachment": 11, "imports.students": 20,
                     "imports.challenges": 20, "incubation.outcomes": 20}
    assert limits["jury_api.record_event"] == 32 * 1024
    assert set(http.BODY_LIMITS) <= set(app.view_functions)
    assert http.body_limit(None, config) == MB  # an address that matches no endpoint


@pytest.mark.parametrize("endpoint", ["imports.students", "jury_api.record_event"])
def test_no_endpoint_reads_more_than_the_server_wide_limit(endpoint):
    assert http.body_limit(endpoint, {"MAX_CONTENT_LENGTH": 16 * 1024,
                                      "CHALLENGE_ATTACHMENT_MAX_MB": 10}) == 16 * 1024
