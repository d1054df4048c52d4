"""Access matrix entries of the cockpit, incubation review, announcements, personal data
and the team's wish to continue.

The matrix's edition is in the registration phase: computing flags is refused there (the
organiser is redirected with the reason), and the flagged team below belongs to two
students of its own, so the matrix's student is not a member of it.
"""

from __future__ import annotations

from tests.access.common import LOGIN, SIGNED_IN, everyone, only

ORGANIZER_ACTION = {**everyone(403), "anonymous": LOGIN, "organizer": 302}
STUDENT_ACTION = {**everyone(403), "anonymous": LOGIN, "student": 302}
COCKPIT = "/organizer/cockpit"
INCUBATION = "/organizer/incubation"

ENTRIES = {
    "cockpit.index": ("GET", COCKPIT + "/", None, ORGANIZER_ACTION),  # to the dashboard
    "cockpit.panels": ("GET", COCKPIT + "/panels", None, only("organizer")),
    "cockpit.exports": ("GET", COCKPIT + "/exports", None, only("organizer")),
    "cockpit.export_csv": ("GET", COCKPIT + "/exports/{edition_id}/teams.csv", None,
                           only("organizer")),
    "cockpit.archive_edition": ("POST", COCKPIT + "/editions/{edition_id}/archive", {},
                                ORGANIZER_ACTION),
    "incubation.queue": ("GET", INCUBATION + "/", None, only("organizer")),
    "incubation.compute": ("POST", INCUBATION + "/compute", {}, ORGANIZER_ACTION),
    "incubation.settings": ("GET", INCUBATION + "/settings", None, only("organizer")),
    "incubation.team": ("GET", INCUBATION + "/flags/{incubation_flag_id}", None,
                        only("organizer")),
    "incubation.shortlist_csv": ("GET", INCUBATION + "/shortlist.csv", None,
                                 only("organizer")),
    "incubation.shortlist_print": ("GET", INCUBATION + "/shortlist/print", None,
                                   only("organizer")),
    "incubation.outcomes": ("GET", INCUBATION + "/outcomes", None, only("organizer")),
    "announcements.index": ("GET", "/announcements/", None, SIGNED_IN),
    "announcements.feed": ("GET", "/announcements/feed.json", None, SIGNED_IN),
    "announcements.manage": ("GET", "/organizer/announcements/", None, only("organizer")),
    "privacy.mine": ("GET", "/my-data/", None, only("student")),
    "privacy.data_json": ("GET", "/my-data/data.json", None, only("student")),
    "privacy.data_zip": ("GET", "/my-data/data.zip", None, only("student")),
    "privacy.ask_deletion": ("POST", "/my-data/deletion", {"confirm": "y"}, STUDENT_ACTION),
    "privacy.requests": ("GET", "/organizer/privacy/", None, only("organizer")),
    "privacy.process": ("POST", "/organizer/privacy/{deletion_request_id}/process", {},
                        ORGANIZER_ACTION),
    "privacy.refuse": ("POST", "/organizer/privacy/{deletion_request_id}/refuse",
                       {"note": "Obligation légale de conservation"}, ORGANIZER_ACTION),
    "continuation.future": ("GET", "/team/{incubation_team_id}/future", None,
                            {**everyone(403), "anonymous": LOGIN}),
}


def url_values(db, people) -> dict:
    from crunchtime.models import DeletionRequest, IncubationFlag
    from crunchtime.services.editions.current import current_edition
    from tests import factories

    edition = current_edition()
    members = [factories.student(edition), factories.student(edition)]
    team = factories.team(edition, members=members)
    flag = IncubationFlag(team_id=team.id, score=50.0, reasons=[])
    request = DeletionRequest(user_id=members[0].id, status="pending")
    db.session.add_all([flag, request])
    db.session.commit()
    return {"incubation_flag_id": flag.id, "incubation_team_id": team.id,
            "deletion_request_id": request.id}
