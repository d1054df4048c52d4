"""Presence in the demo edition: the week's sessions placed around today by stage (teams
just formed: today is the fourth day; judging: the fifth; results: the week is over), a few
check-in points, and check-ins for every session begun, about 92 % present, some late,
some absences declared with a reason and decided."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from crunchtime.database import insert_rows
from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import Absence, CheckIn, CheckInPoint, Edition, StudentProfile, User
from crunchtime.models.base import utcnow
from crunchtime.presence import window
from crunchtime.services.presence.sessions import create_default_week, edition_sessions

POINTS = [("Entrée principale", "Bâtiment A"), ("Hall du bâtiment B", "Bâtiment B"),
          ("FabLab", "Bâtiment C"), ("Amphithéâtre Curie", "Bâtiment A"),
          ("Learning Lab", "Bibliothèque"), ("Atrium", "Bâtiment D")]
REASONS = ["Rendez-vous médical", "Malade (fièvre)", "Convocation à un examen de rattrapage",
           "Grève des transports, train supprimé", "Obsèques d'un proche",
           "Entretien de stage", "Panne de réveil, arrivé en retard",
           "Compétition sportive universitaire", "Enfant malade à garder"]
# Days of the week already begun, by the stage the demo is built to.
FIRST_DAY_BACK = {"matched": 3, "judging": 4, "results": 7}


def _week_start(stage: str) -> date:
    return utcnow().astimezone(PARIS).date() - timedelta(days=FIRST_DAY_BACK.get(stage, 3))


def _points(edition: Edition, count: int, now: datetime) -> list[int]:
    rows = [{"edition_id": edition.id, "name": name, "site": site, "created_at": now}
            for name, site in POINTS[:count]]
    return [row.id for row in insert_rows(CheckInPoint, rows, CheckInPoint.id)]


def _arrival(rng: random.Random, starts_at: datetime, late: bool) -> datetime:
    if late:
        return starts_at + window.LATE_AFTER + timedelta(minutes=rng.uniform(1, 50))
    return starts_at - timedelta(minutes=rng.uniform(0, 25))


def add_presence_demo(edition: Edition, seed: int, stage: str | None = None) -> None:
    """Sessions, points, check-ins and absences for the sessions begun by now."""
    rng = random.Random(f"{seed}:presence")
    stage = stage or {"building": "matched"}.get(edition.phase, edition.phase)
    create_default_week(None, edition, _week_start(stage))
    now = utcnow()
    students = list(db.session.scalars(sa.select(StudentProfile.user_id).where(
        StudentProfile.edition_id == edition.id).order_by(StudentProfile.user_id)))
    points = _points(edition, min(6, 3 + len(students) // 500), now)
    staff = db.session.scalar(sa.select(User.id).where(User.role == "organizer")
                              .order_by(User.id).limit(1))
    # Most students come nearly always; a few are often away.
    reliability = {user_id: rng.choice([0.97] * 7 + [0.9] * 2 + [0.6]) for user_id in students}
    check_ins, absences = [], []
    for session in edition_sessions(edition):
        if session.starts_at - window.OPENS_BEFORE > now:
            continue
        in_progress = session.ends_at > now
        for user_id in students:
            if rng.random() < reliability[user_id]:
                late = rng.random() < 0.08
                at = _arrival(rng, session.starts_at, late)
                if at > now:
                    continue
                way = rng.random()
                how = "qr" if staff is None or way < 0.9 else (
                    "staff_scan" if way < 0.97 else "staff_list")
                check_ins.append({
                    "user_id": user_id, "session_id": session.id, "at": at, "how": how,
                    "point_id": rng.choice(points) if how != "staff_list" else None,
                    "recorded_by_id": None if how == "qr" else staff})
            elif not in_progress and rng.random() < 0.45:
                absences.append(_absence(rng, user_id, session, staff, now))
    insert_rows(CheckIn, check_ins)
    insert_rows(Absence, absences)
    db.session.commit()


def _absence(rng: random.Random, user_id: int, session, staff: int | None,
             now: datetime) -> dict:
    draw = rng.random()
    status = "pending" if staff is None or draw < 0.2 else (
        "accepted" if draw < 0.85 else "refused")
    declared = min(now, session.starts_at + timedelta(hours=rng.uniform(-20, 30)))
    decided = status != "pending"
    return {"user_id": user_id, "session_id": session.id, "reason": rng.choice(REASONS),
            "status": status, "created_at": declared, "note": "" if status != "refused"
            else "Justificatif manquant : merci de nous l'apporter.",
            "decided_by_id": staff if decided else None,
            "decided_at": min(now, declared + timedelta(hours=rng.uniform(1, 30)))
            if decided else None,
            "stored_name": None, "original_name": None, "content_type": None, "size": None,
            "sha256": None}
