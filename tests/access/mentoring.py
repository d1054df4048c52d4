"""Access matrix entries of mentoring: the team's help page, the mentors' queue, profile and
office hours, the organisers' overview.

The help request below belongs to a team of two students of its own on the matrix company's
challenge, so the matrix's student is NOT a member (403 on the team's pages; members are
tested in tests/mentoring/). The company contact mentors by default, as does the organiser;
the matrix's jury is not marked as a mentor. Each entry runs the roles in order on the same
request: the company takes it first, so the organiser's claim gets 409 (taken)."""

from __future__ import annotations

from tests.access.common import LOGIN

MEMBERS_ONLY = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                "organizer": 403}
MENTORS_PAGE = {"anonymous": LOGIN, "student": 403, "company": 200, "jury": 200,
                "organizer": 200}
MENTOR_ACTION = {"anonymous": LOGIN, "student": 403, "company": 302, "jury": 403,
                 "organizer": 302}
ORGANIZER_ONLY = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                  "organizer": 200}
ORGANIZER_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                    "organizer": 302}
TEAM = "/team/{mentoring_team_id}"
REQUEST = "/mentoring/requests/{help_request_id}"

ENTRIES = {
    "mentoring.team_help": ("GET", TEAM + "/help/", None, MEMBERS_ONLY),
    "mentoring.team_help_state": ("GET", TEAM + "/help/state", None, MEMBERS_ONLY),
    "mentoring.cancel_request": ("POST", TEAM + "/help/{help_request_id}/cancel", {},
                                 MEMBERS_ONLY),
    "mentoring.book_slot": ("POST", TEAM + "/office-hours/{office_hour_id}/book", {},
                            MEMBERS_ONLY),
    "mentoring.cancel_slot": ("POST", TEAM + "/office-hours/{office_hour_id}/cancel", {},
                              MEMBERS_ONLY),
    "mentoring.queue": ("GET", "/mentoring/", None, MENTORS_PAGE),
    "mentoring.queue_part": ("GET", "/mentoring/queue.part", None, MENTORS_PAGE),
    "mentoring.claim": ("POST", REQUEST + "/claim", {},
                        {**MENTOR_ACTION, "organizer": 409}),
    "mentoring.hand_back": ("POST", REQUEST + "/hand-back", {}, MENTOR_ACTION),
    "mentoring.resolve": ("POST", REQUEST + "/resolve", {"note": "Fait"}, MENTOR_ACTION),
    "mentoring.profile": ("GET", "/mentoring/profile", None, MENTORS_PAGE),
    "mentoring.office_hours": ("GET", "/mentoring/office-hours", None, MENTORS_PAGE),
    "mentoring.withdraw_slot": ("POST", "/mentoring/office-hours/{office_hour_id}/withdraw", {},
                                {**MENTOR_ACTION, "company": 403}),
    "mentoring.overview": ("GET", "/organizer/mentoring/", None, ORGANIZER_ONLY),
    "mentoring.jury_mentoring": ("POST", "/organizer/mentoring/juries/{jury_user_id}",
                                 {"active": "y"}, ORGANIZER_ACTION),
}


def url_values(db, people) -> dict:
    from datetime import timedelta

    from crunchtime.models import HelpRequest, OfficeHour
    from crunchtime.models.base import utcnow
    from crunchtime.services.editions.current import current_edition
    from tests import factories

    edition = current_edition()
    challenge = factories.challenge(edition, people["company"].organisation)
    team = factories.team(edition, challenge, members=[factories.student(edition),
                                                        factories.student(edition)])
    request = HelpRequest(edition_id=edition.id, team_id=team.id, topic="Bloqués",
                          location="Salle B12", tags=[], status="open")
    start = utcnow() + timedelta(hours=3)
    slot = OfficeHour(edition_id=edition.id, mentor_id=factories.organizer().id,
                      starts_at=start, ends_at=start + timedelta(minutes=30), place="Hall")
    db.session.add_all([request, slot])
    db.session.commit()
    return {"help_request_id": request.id, "office_hour_id": slot.id,
            "jury_user_id": people["jury"].id, "mentoring_team_id": team.id}
