"""Access matrix entries of the juries' feedback to the teams (judging area).

The matrix student and company have no link with the team: its feedback is not theirs (404,
whatever the phase); the listing answers them with the reason there is nothing to read."""

from __future__ import annotations

from tests.access.common import LOGIN, only

NOT_THEIRS = {"anonymous": LOGIN, "student": 404, "company": 404, "jury": 403,
              "organizer": 403}

ENTRIES = {
    "feedback.index": ("GET", "/feedback/", None, only("student", "company")),
    "feedback.team": ("GET", "/feedback/teams/{feedback_team_id}", None, NOT_THEIRS),
    "feedback_admin.settings": ("GET", "/organizer/judging/feedback/", None,
                                only("organizer")),
}


def url_values(db, people) -> dict:
    from crunchtime.services.editions.current import current_edition
    from tests import factories

    return {"feedback_team_id": factories.team(current_edition()).id}
