"""The submission deadline, enforced by the server: read-only after it (409 stating it in
Paris time), except for a team an organiser extended; a save counts when it has finished
arriving, within the edition's grace after the deadline (tests/security/test_slow_upload.py
times slow bodies)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from crunchtime.i18n import PARIS
from crunchtime.models import AuditEvent, Edition
from crunchtime.models.base import utcnow
from crunchtime.services.submissions import deadlines
from crunchtime.services.submissions.deadlines import paris
from crunchtime.services.submissions.versions import SaveRequest, SubmissionDraft, save_submission
from crunchtime.services.teams.space import team_of_student
from tests.challenges import samples
from tests.helpers import csrf_token, says, text
from tests.team_world import counts, files_on_disk, post_action, save, versions


def pass_the_deadline(db, edition) -> datetime:
    """The deadline and its grace (2 minutes by default) are over."""
    edition.submission_deadline = utcnow() - timedelta(minutes=5)
    db.session.commit()
    return edition.submission_deadline


def forbid_grace(db, edition) -> None:
    edition.settings = {**(edition.settings or {}), deadlines.GRACE_MINUTES: 0}
    db.session.commit()


def test_an_edit_after_the_deadline_is_refused_with_409_stating_it(app, as_user, db, edition,
                                                                    team, lea):
    client = as_user(lea)
    save(client, team, title="Hy-Bus")
    deadline = pass_the_deadline(db, edition)
    before, on_disk = counts(), files_on_disk(app)
    response = save(client, team, base_version=1, title="Trop tard",
                    files=[("a.pdf", samples.PDF)])
    assert response.status_code == 409
    assert says(response, "The submission deadline (%(deadline)s) has passed, and so has the "
                          "%(num)d minute allowed after it for slow connections: the "
                          "submission can no longer be changed.",
                "The submission deadline (%(deadline)s) has passed, and so have the "
                "%(num)d minutes allowed after it for slow connections: the submission can "
                "no longer be changed.", num=2, deadline=paris(deadline))
    assert counts() == before and files_on_disk(app) == on_disk
    assert versions(team)[-1].title == "Hy-Bus"


def test_without_grace_a_save_a_second_late_is_refused_with_the_deadline(app, as_user, db,
                                                                         edition, team, lea):
    forbid_grace(db, edition)
    edition.submission_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = save(as_user(lea), team, title="Trop tard")
    assert response.status_code == 409
    assert says(response, "The submission deadline (%(deadline)s) has passed: the submission "
                          "can no longer be changed.",
                deadline=paris(edition.submission_deadline))
    assert counts() == (0, 0, 0)


def test_after_the_deadline_the_form_is_read_only(as_user, db, edition, team, lea):
    client = as_user(lea)
    save(client, team, title="Hy-Bus")
    pass_the_deadline(db, edition)
    page = text(client.get(f"/team/{team.id}/submission"))
    title = re.search(r'<input[^>]*name="title"[^>]*>', page).group(0)
    assert " readonly " in title or title.endswith(" readonly>")
    assert re.search(r'<textarea[^>]*name="problem"[^>]*readonly', page)
    assert 'type="file"' not in page and 'name="submit"' not in page
    assert post_action(client, f"/team/{team.id}/submission/hand-in").status_code == 409


def test_outside_the_building_phase_the_submission_is_read_only(as_user, db, edition, team,
                                                                 lea):
    edition.phase = "judging"
    db.session.commit()
    response = save(as_user(lea), team, title="Hy-Bus")
    assert response.status_code == 409 and counts() == (0, 0, 0)


class SteppingClock:
    """The deadline module's clock: each reading moves it on."""

    def __init__(self, start: datetime, step: timedelta):
        self.moment, self.step, self.readings = start, step, []

    def __call__(self) -> datetime:
        reading = self.moment
        self.readings.append(reading)
        self.moment += self.step
        return reading


def test_a_save_is_dated_once_when_it_has_arrived_and_kept_within_the_grace(
    app, as_user, db, edition, team, lea, monkeypatch
):
    deadline = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    edition.submission_deadline = deadline
    db.session.commit()
    client = as_user(lea)
    token = csrf_token(client, "/privacy")
    clock = SteppingClock(deadline + timedelta(seconds=90), timedelta(minutes=30))
    monkeypatch.setattr(deadlines, "now", clock)
    response = client.post(f"/team/{team.id}/submission", content_type="multipart/form-data",
                           data={"csrf_token": token, "base_version": "0",
                                 "title": "Juste à temps",
                                 "files": [(io.BytesIO(samples.PDF), "a.pdf")]})
    assert response.status_code == 302
    assert clock.readings[0] == deadline + timedelta(seconds=90)
    [version] = versions(team)
    assert version.title == "Juste à temps" and version.created_at == clock.readings[0]


def test_the_service_judges_a_save_by_its_arrival_not_by_its_commit(db, edition, team, lea,
                                                                     monkeypatch):
    arrival = edition.submission_deadline - timedelta(milliseconds=1)
    monkeypatch.setattr(deadlines, "now", lambda: arrival + timedelta(minutes=5))
    version = save_submission(lea, team.id, SaveRequest(SubmissionDraft(title="Hy-Bus"), 0),
                              accepted_at=arrival)
    assert version.number == 1
    with pytest.raises(deadlines.DeadlinePassed):
        save_submission(lea, team.id, SaveRequest(SubmissionDraft(title="Après"), 1))


def test_an_organiser_extends_one_team_which_alone_can_still_save(as_user, db, edition, team,
                                                                   lea, outsider, organizer):
    deadline = pass_the_deadline(db, edition)
    in_three_hours = (datetime.now(UTC) + timedelta(hours=3)).astimezone(PARIS)
    response = post_action(as_user(organizer),
                           f"/organizer/submissions/teams/{team.id}/extension",
                           {"until": in_three_hours.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert save(as_user(lea), team, title="Sauvés").status_code == 302
    other_team = team_of_student(outsider, edition)
    assert save(as_user(outsider), other_team, title="Non").status_code == 409
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "team.extension"))
    assert event.target_id == team.id and event.actor_id == organizer.id
    assert deadline < team.deadline_extension_until


def test_an_extension_must_end_after_the_edition_deadline(as_user, db, edition, team,
                                                          organizer):
    response = post_action(as_user(organizer),
                           f"/organizer/submissions/teams/{team.id}/extension",
                           {"until": "2020-01-01T10:00"})
    assert response.status_code == 200
    assert says(response, "An extension must end after the edition's deadline (%(deadline)s).",
                deadline=paris(edition.submission_deadline))
    assert team.deadline_extension_until is None


def test_the_organiser_sets_the_deadline_in_paris_time_and_it_is_stored_in_utc(
    as_user, db, edition, organizer
):
    client = as_user(organizer)
    response = post_action(client, "/organizer/submissions/settings", {
        "deadline": "2026-11-20T17:00", "grace_minutes": "2", "max_file_mb": "40",
        "max_team_upload_mb": "150", "company_view_during_week": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Edition, edition.id)
    assert saved.submission_deadline == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert (saved.max_file_mb, saved.max_team_upload_mb) == (40, 150)
    assert saved.settings[deadlines.COMPANY_VIEW_DURING_WEEK] is True
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "edition.submission_settings"))

