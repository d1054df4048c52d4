"""A deadline beaten by a slow upload: a save whose request starts before the deadline and
whose body trickles in for hours must not count as on time. A save is dated when its body
has finished arriving, and accepted up to the edition's grace after the deadline (2 minutes
unless the organisers set 0 to 15), which the team's page states.

The body's slowness is simulated, not slept: a WSGI input stream whose reads move the
deadline module's clock on, in proportion to the bytes read."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.test import EnvironBuilder

from crunchtime.errors import InvalidInput
from crunchtime.models import AuditEvent, Edition
from crunchtime.services.submissions import deadlines
from crunchtime.services.submissions.deadlines import paris
from tests import team_world
from tests.challenges import samples
from tests.helpers import csrf_token, says, text
from tests.team_world import FIELDS, counts, files_on_disk, post_action, submission_path, versions

# The team world's fixtures (tests/team_world.py): a building edition whose deadline is in
# two days, a challenge of a company, a team of two students (Léa and Hugo).
edition, company, challenge = team_world.edition, team_world.company, team_world.challenge
lea, hugo, team = team_world.lea, team_world.hugo, team_world.team

DEADLINE = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
GRACE_REFUSAL = ("The submission deadline (%(deadline)s) has passed, and so has the %(num)d "
                 "minute allowed after it for slow connections: the submission can no longer "
                 "be changed.",
                 "The submission deadline (%(deadline)s) has passed, and so have the %(num)d "
                 "minutes allowed after it for slow connections: the submission can no longer "
                 "be changed.")
GRACE_NOTICE = ("A save counts when it has finished arriving; saves arriving up to %(num)d "
                "minute after the deadline are accepted.",
                "A save counts when it has finished arriving; saves arriving up to %(num)d "
                "minutes after the deadline are accepted.")


class Clock:
    """The deadline module's clock, moved on only by the body's reads."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class TricklingBody(io.RawIOBase):
    """A request body that takes `lasting` to arrive: each read moves the clock on by its
    share of that time."""

    def __init__(self, body: bytes, clock: Clock, lasting: timedelta):
        self._body, self._clock = io.BytesIO(body), clock
        self._per_byte = lasting / len(body)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._body.read(len(buffer))
        buffer[:len(chunk)] = chunk
        self._clock.moment += self._per_byte * len(chunk)
        return len(chunk)


@pytest.fixture
def clock(db, edition, monkeypatch) -> Clock:
    """The request starts 10 seconds before the deadline."""
    edition.submission_deadline = DEADLINE
    db.session.commit()
    moving = Clock(DEADLINE - timedelta(seconds=10))
    monkeypatch.setattr(deadlines, "now", moving)
    return moving


def slow_save(client, team, clock: Clock, lasting: timedelta, title: str = "Hy-Bus"):
    """The submission form with a file, its body arriving over `lasting`."""
    data = {name: "" for name in FIELDS}
    data.update(title=title, base_version="0", csrf_token=csrf_token(client, "/privacy"),
                files=[(io.BytesIO(samples.big_pdf(200_000)), "pitch.pdf")])
    builder = EnvironBuilder(path=submission_path(team), method="POST", data=data)
    try:
        environ = builder.get_environ()
        body, content_type = environ["wsgi.input"].read(), environ["CONTENT_TYPE"]
    finally:
        builder.close()
    return client.post(submission_path(team), environ_overrides={
        "wsgi.input": TricklingBody(body, clock, lasting), "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body))})


def set_grace(db, edition, minutes: int) -> None:
    edition.settings = {**(edition.settings or {}), deadlines.GRACE_MINUTES: minutes}
    db.session.commit()


def test_a_save_started_before_the_deadline_but_trickled_for_hours_is_refused(
    app, as_user, db, team, lea, clock
):
    client = as_user(lea)
    on_disk = files_on_disk(app)
    response = slow_save(client, team, clock, timedelta(hours=3))
    assert abs(clock.moment - (DEADLINE + timedelta(hours=3, seconds=-10))) < timedelta(seconds=1)
    assert response.status_code == 409
    assert says(response, *GRACE_REFUSAL, num=2, deadline=paris(DEADLINE))
    assert counts() == (0, 0, 0) and files_on_disk(app) == on_disk


def test_a_save_that_finishes_arriving_within_the_grace_is_kept_and_dated_then(
    app, as_user, db, team, lea, clock
):
    on_disk = files_on_disk(app)
    response = slow_save(as_user(lea), team, clock, timedelta(seconds=100))
    assert response.status_code == 302
    [version] = versions(team)
    assert version.created_at == clock.moment
    assert abs(clock.moment - (DEADLINE + timedelta(seconds=90))) < timedelta(seconds=1)
    assert version.changed_fields[-1] == "files"
    assert len(files_on_disk(app)) == len(on_disk) + 1


@pytest.mark.parametrize(("minutes", "accepted"), [(0, False), (2, False), (5, True)])
def test_the_edition_grace_decides_a_save_arriving_three_minutes_late(
    as_user, db, edition, team, lea, clock, minutes, accepted
):
    set_grace(db, edition, minutes)
    response = slow_save(as_user(lea), team, clock, timedelta(minutes=3, seconds=10))
    assert response.status_code == (302 if accepted else 409)
    assert counts()[1] == (1 if accepted else 0)


def test_the_team_page_states_the_grace(as_user, db, edition, team, lea):
    client = as_user(lea)
    assert says(client.get(submission_path(team)), *GRACE_NOTICE, num=2)
    set_grace(db, edition, 10)
    assert says(client.get(submission_path(team)), *GRACE_NOTICE, num=10)
    set_grace(db, edition, 0)
    assert says(client.get(submission_path(team)), "A save counts when it has finished "
                                                   "arriving: it must have arrived by the "
                                                   "deadline.")


def settings_form(grace: str) -> dict:
    return {"deadline": "2026-11-20T17:00", "grace_minutes": grace, "max_file_mb": "50",
            "max_team_upload_mb": "200"}


def test_organisers_set_the_grace_and_it_is_audited(as_user, db, edition, organizer):
    client = as_user(organizer)
    page = text(client.get("/organizer/submissions/settings"))
    assert 'name="grace_minutes"' in page and 'value="2"' in page
    response = post_action(client, "/organizer/submissions/settings", settings_form("5"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).settings[deadlines.GRACE_MINUTES] == 5
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "edition.submission_settings"))
    assert event.actor_id == organizer.id
    assert (event.details["grace_minutes"], event.details["previous_grace_minutes"]) == (5, 2)
    overview = client.get("/organizer/submissions/")
    assert says(overview, "Grace for slow uploads:")
    assert says(overview, "%(num)d minute", "%(num)d minutes", num=5)


@pytest.mark.parametrize("grace", ["16", "-1", "deux"])
def test_a_grace_outside_0_to_15_minutes_is_refused(as_user, db, edition, organizer, grace):
    response = post_action(as_user(organizer), "/organizer/submissions/settings",
                           settings_form(grace))
    assert response.status_code == 200
    db.session.expire_all()
    assert deadlines.GRACE_MINUTES not in (db.session.get(Edition, edition.id).settings or {})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


@pytest.mark.parametrize("minutes", [-1, 16])
def test_the_service_refuses_a_grace_out_of_bounds(db, edition, organizer, minutes):
    wanted = deadlines.SubmissionSettings(DEADLINE, 50, 200, False, minutes)
    with pytest.raises(InvalidInput) as refused:
        deadlines.update_submission_settings(organizer, edition, wanted)
    assert refused.value.details["field"] == "grace_minutes"
