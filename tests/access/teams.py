"""Access matrix entries of the team space, submissions, company teams and gallery.

The team below is made of two students of its own, so the matrix's student is NOT a
member: they get the "no team yet" page and a 403 on the team's pages (members' access is
tested in tests/teams/). The team works on the matrix company's challenge; the edition is
in the registration phase, so the company cannot read the submission yet and the gallery
is closed.
"""

from __future__ import annotations

from tests.access.common import ALL_OK, LOGIN, everyone, only

MEMBERS_ONLY = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                "organizer": 403}
COMPANY_ACTION = {"anonymous": LOGIN, "student": 403, "company": 302, "jury": 403,
                  "organizer": 403}
ORGANIZER_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                    "organizer": 302}
TEAM = "/team/{team_id}"
ADMIN = "/organizer/submissions"

ENTRIES = {
    "team.index": ("GET", "/team/", None, only("student")),
    "team.space": ("GET", TEAM, None, MEMBERS_ONLY),
    "team.rename": ("POST", TEAM + "/name", {"name": "Nouveau nom"}, MEMBERS_ONLY),
    "team.gallery_choice": ("POST", TEAM + "/gallery", {}, MEMBERS_ONLY),
    "team.stages": ("GET", TEAM + "/stages", None, MEMBERS_ONLY),
    "team.complete_stage": ("POST", TEAM + "/stages/{milestone_id}", {"note": "Fait"},
                            MEMBERS_ONLY),
    "team.state": ("GET", TEAM + "/state.json", None, MEMBERS_ONLY),
    "team.submission": ("GET", TEAM + "/submission", None, MEMBERS_ONLY),
    "team.hand_in": ("POST", TEAM + "/submission/hand-in", {}, MEMBERS_ONLY),
    "team.remove_file": ("POST", TEAM + "/files/{file_id}/delete", {}, MEMBERS_ONLY),
    "team.history": ("GET", TEAM + "/submission/history", None, MEMBERS_ONLY),
    "team.version": ("GET", TEAM + "/submission/versions/1", None, MEMBERS_ONLY),
    "team.restore": ("POST", TEAM + "/submission/versions/1/restore", {"base_version": "1"},
                     MEMBERS_ONLY),
    "team.file": ("GET", "/team/files/{file_id}", None,
                  {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                   "organizer": 200}),
    "submissions_admin.index": ("GET", ADMIN + "/", None, only("organizer")),
    "submissions_admin.export_csv": ("GET", ADMIN + "/submissions.csv", None,
                                     only("organizer")),
    "submissions_admin.challenge_zip": (
        "GET", ADMIN + "/challenges/{team_challenge_id}/deliverables.zip", None,
        only("organizer")),
    "submissions_admin.team": ("GET", ADMIN + "/teams/{team_id}", None, only("organizer")),
    "submissions_admin.extension": ("POST", ADMIN + "/teams/{team_id}/extension", {},
                                    only("organizer")),
    "submissions_admin.feedback": (
        "POST", ADMIN + "/teams/{team_id}/stages/{milestone_id}/feedback",
        {"text": "Bien vu."}, ORGANIZER_ACTION),
    "submissions_admin.settings": ("GET", ADMIN + "/settings", None, only("organizer")),
    "submissions_admin.stage_grid": ("GET", ADMIN + "/stages", None, only("organizer")),
    "submissions_admin.stage_setup": ("GET", ADMIN + "/stages/setup", None, only("organizer")),
    "submissions_admin.stage_edit": ("GET", ADMIN + "/stages/{milestone_id}/edit", None,
                                     only("organizer")),
    "submissions_admin.stage_delete": ("POST", ADMIN + "/stages/{milestone_id}/delete", {},
                                       ORGANIZER_ACTION),
    "company_teams.index": ("GET", "/company/teams/", None, only("company")),
    "company_teams.team": ("GET", "/company/teams/{team_id}", None, only("company")),
    "company_teams.mark_interest": ("POST", "/company/teams/{team_id}/interest",
                                    {"note": "À suivre"}, COMPANY_ACTION),
    "company_teams.remove_interest": ("POST", "/company/teams/{team_id}/interest/remove", {},
                                      COMPANY_ACTION),
    "company_teams.feedback": ("POST", "/company/teams/{team_id}/stages/{milestone_id}/feedback",
                               {"text": "Bravo."}, COMPANY_ACTION),
    "gallery.index": ("GET", "/gallery/", None, ALL_OK),
    "gallery.image": ("GET", "/gallery/images/{file_id}", None, everyone(404)),
}


def _submission_with_a_file(db, team):
    import io

    from crunchtime.files import storage
    from crunchtime.models import Submission, SubmissionFile, SubmissionVersion
    from tests.challenges import samples

    submission = Submission(team_id=team.id, version=1)
    db.session.add(submission)
    db.session.flush()
    stored = storage.save_upload(io.BytesIO(samples.PNG), "maquette.png", max_bytes=10_000)
    row = SubmissionFile(submission_id=submission.id, stored_name=stored.stored_name,
                         original_name=stored.display_name, content_type=stored.content_type,
                         size=stored.size, sha256=stored.sha256)
    db.session.add(row)
    db.session.flush()
    db.session.add(SubmissionVersion(submission_id=submission.id, number=1, title="Projet",
                                     file_ids=[row.id], changed_fields=["title", "files"]))
    db.session.commit()
    return row


def url_values(db, people) -> dict:
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.teams.milestones import ensure_default_milestones
    from tests import factories

    edition = current_edition()
    challenge = factories.challenge(edition, people["company"].organisation)
    members = [factories.student(edition), factories.student(edition)]
    team = factories.team(edition, challenge, members=members)
    return {
        "team_id": team.id,
        "team_challenge_id": challenge.id,
        "file_id": _submission_with_a_file(db, team).id,
        "milestone_id": ensure_default_milestones(edition)[0].id,
    }
