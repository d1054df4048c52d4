"""Access matrix entries of presence: the organisers' pages and door screens, the students'
check-in and record, the staff's scanner and list. The matrix student declared an absence
(with a proof) for the session below; the token in the check-in link is not a valid one."""

from __future__ import annotations

from tests.access.common import LOGIN, everyone, only

ADMIN = "/organizer/presence"
ORGANIZER_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                    "organizer": 302}


def _only(role: str, status: int) -> dict:
    return {**everyone(403), "anonymous": LOGIN, role: status}


SIGNED_IN_400 = {**everyone(400), "anonymous": LOGIN}

ENTRIES = {
    "presence.organize": ("GET", ADMIN + "/", None, only("organizer")),
    "presence.default_week": ("POST", ADMIN + "/default-week", {}, ORGANIZER_ACTION),
    "presence.session_new": ("GET", ADMIN + "/sessions/new", None, only("organizer")),
    "presence.session_edit": ("GET", ADMIN + "/sessions/{presence_session_id}", None,
                              only("organizer")),
    "presence.session_delete": ("POST", ADMIN + "/sessions/{presence_session_id}/delete", {},
                                ORGANIZER_ACTION),
    "presence.point_new": ("POST", ADMIN + "/points", {}, only("organizer")),
    "presence.point_edit": ("GET", ADMIN + "/points/{presence_point_id}", None,
                            only("organizer")),
    "presence.screen": ("GET", "/presence/points/{presence_point_id}/screen", None,
                        only("organizer")),
    "presence.screen_code": ("GET", "/presence/points/{presence_point_id}/code.json", None,
                             only("organizer")),
    "presence.absence_list": ("GET", ADMIN + "/absences", None, only("organizer")),
    "presence.decide": ("POST", ADMIN + "/absences/{presence_absence_id}/decide",
                        {"decision": "accept"}, ORGANIZER_ACTION),
    "presence.scan": ("GET", ADMIN + "/scan", None, only("organizer")),
    "presence.scan_code": ("POST", ADMIN + "/scan", {}, _only("organizer", 400)),
    "presence.roster": ("GET", ADMIN + "/list", None, only("organizer")),
    "presence.check_in": ("GET", "/presence/check-in/1.2.3.not-signed", None, SIGNED_IN_400),
    "presence.confirm_check_in": ("POST", "/presence/check-in", {}, SIGNED_IN_400),
    "presence.type_code": ("POST", "/presence/code", {}, _only("student", 400)),
    "presence.mine": ("GET", "/presence/", None, only("student")),
    "presence.declare_absence": ("POST", "/presence/absences", {}, _only("student", 400)),
    "presence.absence_document": (
        "GET", "/presence/absences/{presence_absence_id}/document", None,
        {"anonymous": LOGIN, "student": 200, "company": 403, "jury": 403, "organizer": 200}),
}


def url_values(db, people) -> dict:
    import io
    from datetime import timedelta

    from crunchtime.models import CheckInPoint, PresenceSession
    from crunchtime.models.base import utcnow
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.presence.absences import Document, declare_absence
    from tests.challenges import samples

    edition = current_edition()
    now = utcnow()
    session = PresenceSession(edition_id=edition.id, day=now.date(), part="morning",
                              starts_at=now - timedelta(hours=5),
                              ends_at=now - timedelta(hours=2))
    point = CheckInPoint(edition_id=edition.id, name="Entrée", site="")
    db.session.add_all([session, point])
    db.session.commit()
    absence = declare_absence(people["student"], edition, session.id, "Malade",
                              Document(io.BytesIO(samples.PDF), "certificat.pdf"))
    return {"presence_session_id": session.id, "presence_point_id": point.id,
            "presence_absence_id": absence.id}
