"""Two members saving at once: the second sees what changed and merges or overrides
knowingly; nothing is lost silently (checked on SQLite and on PostgreSQL)."""

from __future__ import annotations

import contextlib
import threading

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import Submission
from crunchtime.services.submissions import versions as submissions
from crunchtime.services.submissions.versions import (
    SaveRequest,
    StaleSubmission,
    SubmissionDraft,
    save_submission,
)
from tests.challenges import samples
from tests.helpers import says, text
from tests.team_world import counts, save, versions


def test_a_stale_save_is_refused_with_409_showing_the_other_changes(as_user, db, team, lea,
                                                                     hugo):
    save(as_user(lea), team, title="Hy-Bus", pitch="Pitch")
    save(as_user(lea), team, base_version=1, title="Hy-Bus", pitch="Pitch de Léa")
    before = counts()
    response = save(as_user(hugo), team, base_version=1, title="Bus à eau", pitch="Pitch")
    assert response.status_code == 409
    page = text(response)
    assert says(response, "Another member saved the submission (version %(n)d) since you "
                          "opened it. Check their changes below, then merge or keep your "
                          "version.", n=2)
    assert "Pitch de Léa" in page and "Bus à eau" in page
    assert 'name="seen_version" value="2"' in page and 'name="merge"' in page
    assert counts() == before and versions(team)[-1].pitch == "Pitch de Léa"


def test_merging_keeps_their_changes_where_i_changed_nothing(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="Hy-Bus", pitch="Pitch")
    save(as_user(lea), team, base_version=1, title="Hy-Bus", pitch="Pitch de Léa")
    response = save(as_user(hugo), team, base_version=1, seen_version="2", merge="1",
                    title="Bus à eau", pitch="Pitch")
    assert response.status_code == 302
    merged = versions(team)[-1]
    assert (merged.number, merged.title, merged.pitch) == (3, "Bus à eau", "Pitch de Léa")
    assert merged.changed_fields == ["title"] and merged.author_id == hugo.id


def test_overriding_saves_exactly_my_version(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="Hy-Bus", pitch="Pitch")
    save(as_user(lea), team, base_version=1, title="Hy-Bus", pitch="Pitch de Léa")
    save(as_user(hugo), team, base_version=1, seen_version="2", override="1",
         title="Bus à eau", pitch="Pitch")
    assert (versions(team)[-1].title, versions(team)[-1].pitch) == ("Bus à eau", "Pitch")


def test_a_resolution_based_on_an_outdated_view_is_refused_again(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="A")
    save(as_user(lea), team, base_version=1, title="B")
    save(as_user(lea), team, base_version=2, title="C")
    response = save(as_user(hugo), team, base_version=1, seen_version="2", override="1",
                    title="Mien")
    assert response.status_code == 409 and versions(team)[-1].title == "C"


def test_a_teammate_adding_files_does_not_block_a_text_save(as_user, db, team, lea, hugo):
    save(as_user(lea), team, title="Hy-Bus")
    save(as_user(lea), team, base_version=1, title="Hy-Bus", files=[("a.pdf", samples.PDF)])
    response = save(as_user(hugo), team, base_version=1, title="Hy-Bus", pitch="Pitch")
    assert response.status_code == 302
    latest = versions(team)[-1]
    assert latest.pitch == "Pitch" and len(latest.file_ids) == 1


def test_a_forged_base_version_is_treated_as_stale(as_user, db, team, lea):
    save(as_user(lea), team, title="Hy-Bus")
    response = save(as_user(lea), team, base_version=99, title="Autre")
    assert response.status_code == 409 and len(versions(team)) == 1


def _save_in_thread(app, user_id, team_id, title, base, results, start=None):
    from crunchtime.models import User

    with app.app_context():
        if start is not None:
            start.wait(timeout=10)
        user = _db.session.get(User, user_id)
        try:
            version = save_submission(user, team_id, SaveRequest(SubmissionDraft(title=title),
                                                                 base))
            results.append(("saved", version.number))
        except StaleSubmission:
            results.append(("stale", None))
        finally:
            _db.session.remove()


def test_two_first_saves_at_the_same_moment_leave_one_version_and_one_conflict(
    app, db, team, lea, hugo
):
    results, start = [], threading.Event()
    threads = [threading.Thread(target=_save_in_thread,
                                args=(app, user.id, team.id, title, 0, results, start))
               for user, title in ((lea, "Version de Léa"), (hugo, "Version de Hugo"))]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [("saved", 1), ("stale", None)]
    assert len(versions(team)) == 1
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 1


def test_two_saves_racing_past_the_read_claim_the_version_once(app, db, team, lea, hugo,
                                                               monkeypatch):
    save_submission(lea, team.id, SaveRequest(SubmissionDraft(title="Départ"), 0))
    both_have_read = threading.Barrier(2, timeout=10)
    claim = submissions.claim_next_version

    def claim_after_both_have_read(submission, moment):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_have_read.wait()  # broken on a retry after losing the race: no partner
        return claim(submission, moment)

    monkeypatch.setattr(submissions, "claim_next_version", claim_after_both_have_read)
    results = []
    threads = [threading.Thread(target=_save_in_thread,
                                args=(app, user.id, team.id, title, 1, results))
               for user, title in ((lea, "Léa"), (hugo, "Hugo"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [("saved", 2), ("stale", None)]
    assert [v.number for v in versions(team)] == [1, 2]
    assert versions(team)[-1].title in ("Léa", "Hugo")


@pytest.mark.parametrize("resolution", [None, "merge", "override"])
def test_the_plan_never_drops_a_field_silently(resolution):
    from crunchtime.teamwork.revisions import plan_save

    base = {"title": "A", "pitch": "p"}
    current = {"title": "A", "pitch": "p2", "problem": "nouveau"}
    mine = {"title": "B", "pitch": "p"}
    plan = plan_save(base, current, mine, resolution)
    if resolution is None:
        assert plan.refused and {c.field for c in plan.conflicts} == {"pitch", "problem"}
    elif resolution == "merge":
        assert (plan.values["title"], plan.values["pitch"], plan.values["problem"]) == (
            "B", "p2", "nouveau")
    else:
        assert (plan.values["title"], plan.values["pitch"], plan.values["problem"]) == (
            "B", "p", "")


def test_files_sent_with_a_stale_save_are_not_kept_and_the_member_is_told(app, as_user, db,
                                                                          team, lea, hugo):
    from tests.team_world import files_on_disk

    save(as_user(lea), team, title="Hy-Bus")
    save(as_user(lea), team, base_version=1, title="Hy-Bus v2")
    before, on_disk = counts(), files_on_disk(app)
    response = save(as_user(hugo), team, base_version=1, title="Bus",
                    files=[("pitch.pdf", samples.PDF)])
    assert response.status_code == 409
    assert says(response, "The files you chose were not added: choose them again before "
                          "saving.")
    assert counts() == before and files_on_disk(app) == on_disk
