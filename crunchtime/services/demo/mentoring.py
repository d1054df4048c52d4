"""Mentoring in the demo edition: expertise tags on the company contacts and on some juries
(marked as mentors), help requests over the last two days (most resolved with a note, some
handed back, a few waiting or being helped right now) and office hours to come, some booked.
The demo's first student's team has a mentor on the way; the first company's teams wait."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from crunchtime.database import insert_rows
from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import (
    Challenge,
    Edition,
    HelpRequest,
    JuryProfile,
    Membership,
    MentorProfile,
    OfficeHour,
    StudentProfile,
    Team,
    User,
)
from crunchtime.models.base import utcnow

TAGS = ("business model", "design", "data", "développement web", "mobile", "électronique",
        "énergie", "juridique", "marketing", "pitch", "prototypage", "ux", "impression 3d",
        "financement", "écoconception")
TOPICS = [
    ("Notre capteur renvoie des valeurs incohérentes, on ne sait pas si c'est le câblage.",
     ["électronique", "prototypage"]),
    ("Comment chiffrer notre modèle économique pour le pitch de vendredi ?",
     ["business model", "financement"]),
    ("On hésite entre une appli mobile et un site web pour le prototype.",
     ["mobile", "développement web"]),
    ("Nos entretiens utilisateurs se contredisent : comment trancher ?", ["ux", "design"]),
    ("Le jeu de données fourni par l'entreprise a beaucoup de trous.", ["data"]),
    ("Pouvons-nous utiliser les photos des usagers dans notre maquette ?", ["juridique"]),
    ("L'imprimante 3D du FabLab rate toutes nos pièces.", ["impression 3d", "prototypage"]),
    ("Relecture de notre pitch de trois minutes avant la répétition.", ["pitch"]),
    ("Quel ordre de grandeur pour la consommation d'énergie de notre solution ?",
     ["énergie", "écoconception"]),
    ("Notre parcours utilisateur est trop long, on aimerait un regard extérieur.",
     ["ux", "design"]),
    ("Comment présenter notre concurrence sans nous décrédibiliser ?",
     ["marketing", "pitch"]),
    ("Le serveur de notre prototype plante dès qu'on est plus de deux à l'utiliser.",
     ["développement web"]),
    ("Besoin d'aide pour cadrer le problème : on part dans tous les sens.", []),
]
# What the mentor wrote when resolving each topic above (same order).
NOTES = [
    "Câblage refait ensemble, le capteur répond correctement.",
    "Modèle de revenus simplifié en trois lignes ; à retravailler pour le pitch.",
    "Conseillé de garder le web : une seule base de code d'ici vendredi.",
    "Regroupé les entretiens par profil d'usager : deux segments distincts.",
    "Montré comment compléter les trous par interpolation et les signaler.",
    "Utiliser des photos libres de droits ou floutées, avec accord écrit sinon.",
    "Buse encrassée et plateau mal réglé : réglages notés sur leur fiche.",
    "Pitch raccourci, ouverture par le témoignage d'usager.",
    "Ordre de grandeur calculé ensemble, hypothèses à citer dans le rendu.",
    "Parcours réduit de sept à quatre écrans.",
    "Tableau comparatif honnête, avec ce que la concurrence fait mieux.",
    "Requêtes mises en cache et serveur relancé avec deux processus.",
    "Problème reformulé en une phrase avec l'usager cible : on repart de là.",
]
PLACES = ["Salle B12", "FabLab, table 4", "Atrium, près des fenêtres", "Learning Lab, box 2",
          "Bâtiment C, 2e étage", "Amphithéâtre Curie, rang du fond", "Salle A105",
          "Cafétéria, côté jardin"]
HOURS_PLACES = ["Bureau des mentors (A002)", "Learning Lab, box 1", "FabLab, accueil",
                "Salle de réunion B01"]


def _mentors(edition: Edition, rng: random.Random, now: datetime) -> dict[str, list]:
    """Tags for every company contact and organiser; a third of the juries (always the
    first, the demo's jury login) become mentors. Returns the mentors by kind."""
    hosts = sa.select(Challenge.organisation_id).where(Challenge.edition_id == edition.id)
    companies = list(db.session.execute(
        sa.select(User.id, User.organisation_id).where(
            User.role == "company", User.organisation_id.in_(hosts)).order_by(User.id)))
    staff = list(db.session.scalars(sa.select(User.id).where(User.role == "organizer")
                                    .order_by(User.id)))
    juries = list(db.session.scalars(sa.select(JuryProfile.user_id).where(
        JuryProfile.edition_id == edition.id).order_by(JuryProfile.user_id)))
    jury_mentors = [user_id for i, user_id in enumerate(juries) if i == 0 or rng.random() < 0.33]
    rows = [{"user_id": user_id, "edition_id": edition.id, "active": True, "created_at": now,
             "updated_at": now, "tags": sorted(rng.sample(TAGS, rng.randint(2, 4)))}
            for user_id in [row.id for row in companies] + staff + jury_mentors]
    insert_rows(MentorProfile, rows)
    by_organisation: dict[int, list[int]] = {}
    for row in companies:
        by_organisation.setdefault(row.organisation_id, []).append(row.id)
    return {"companies": by_organisation, "others": staff + jury_mentors,
            "first_company": companies[0].organisation_id if companies else None}


def _teams(edition: Edition) -> list:
    return list(db.session.execute(
        sa.select(Team.id, Challenge.organisation_id).join(Challenge)
        .where(Team.edition_id == edition.id).order_by(Team.id)))


def _first_student_team(edition: Edition) -> int | None:
    return db.session.scalar(
        sa.select(Membership.team_id)
        .join(StudentProfile, StudentProfile.id == Membership.student_id)
        .where(Membership.edition_id == edition.id).order_by(StudentProfile.user_id).limit(1))


def _request(rng: random.Random, edition_id: int, team_id: int, opened_at: datetime,
             status: str) -> dict:
    index = rng.randrange(len(TOPICS))
    topic, tags = TOPICS[index]
    return {"_note": NOTES[index], "edition_id": edition_id, "team_id": team_id,
            "author_id": None, "topic": topic, "tags": tags, "location": rng.choice(PLACES),
            "urgency": rng.choices(("low", "normal", "high"), (2, 6, 2))[0], "status": status,
            "mentor_id": None, "opened_at": opened_at, "claimed_at": None,
            "resolved_at": None, "cancelled_at": None, "resolution_note": "",
            "handbacks": 0}


def _members(edition: Edition) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for team_id, user_id in db.session.execute(
            sa.select(Membership.team_id, StudentProfile.user_id)
            .join(StudentProfile, StudentProfile.id == Membership.student_id)
            .where(Membership.edition_id == edition.id)
            .order_by(Membership.team_id, StudentProfile.user_id)):
        members.setdefault(team_id, []).append(user_id)
    return members


def _requests(edition: Edition, rng: random.Random, mentors: dict, now: datetime) -> list:
    first_team = _first_student_team(edition)
    members = _members(edition)
    rows = []
    for team_id, organisation_id in _teams(edition):
        candidates = mentors["companies"].get(organisation_id, []) + mentors["others"]
        if not candidates:
            continue
        for _ in range(rng.choices((0, 1, 2), (4, 4, 2))[0]):  # earlier this week
            opened = now - timedelta(hours=rng.uniform(3, 50))
            claimed = opened + timedelta(minutes=rng.uniform(2, 25))
            ended = rng.random() < 0.1
            row = _request(rng, edition.id, team_id, opened, "cancelled" if ended else "resolved")
            if ended:
                row["cancelled_at"] = claimed
            else:
                row.update(mentor_id=rng.choice(candidates), claimed_at=claimed,
                           resolved_at=claimed + timedelta(minutes=rng.uniform(10, 45)),
                           resolution_note=row["_note"],
                           handbacks=1 if rng.random() < 0.08 else 0)
            rows.append(row)
        now_state = rng.choices(("none", "open", "claimed"), (84, 10, 6))[0]
        if team_id == first_team:
            now_state = "claimed"
        elif organisation_id == mentors["first_company"] and now_state == "none":
            now_state = "open"
        if now_state == "open":
            rows.append(_request(rng, edition.id, team_id,
                                 now - timedelta(minutes=rng.uniform(2, 40)), "open"))
        elif now_state == "claimed":
            row = _request(rng, edition.id, team_id, now - timedelta(minutes=rng.uniform(15, 50)),
                           "claimed")
            row.update(mentor_id=rng.choice(candidates),
                       claimed_at=now - timedelta(minutes=rng.uniform(1, 12)))
            rows.append(row)
    for row in rows:  # asked by one of the team's members
        row["author_id"] = rng.choice(members.get(row["team_id"]) or [None])
    insert_rows(HelpRequest, [{k: v for k, v in row.items() if k != "_note"} for row in rows])
    return rows


def _office_hours(edition: Edition, rng: random.Random, mentors: dict, now: datetime) -> None:
    teams = _teams(edition)
    hosts = [(user_id, organisation_id) for organisation_id, ids in mentors["companies"].items()
             for user_id in ids[:1]][:8] + [(user_id, None) for user_id in mentors["others"][:6]]
    today = now.astimezone(PARIS).date()
    booked_teams: set[int] = set()
    rows = []
    for mentor_id, organisation_id in hosts:
        allowed = [team_id for team_id, org in teams
                   if organisation_id is None or org == organisation_id]
        place = rng.choice(HOURS_PLACES)
        for day in (1, 2):
            for hour in rng.sample((10, 11, 14, 15, 16), 2):
                start = datetime.combine(today + timedelta(days=day), time(hour),
                                         tzinfo=PARIS)
                free = [team_id for team_id in allowed if team_id not in booked_teams]
                team_id = rng.choice(free) if free and rng.random() < 0.35 else None
                if team_id is not None:
                    booked_teams.add(team_id)
                rows.append({"edition_id": edition.id, "mentor_id": mentor_id,
                             "starts_at": start, "ends_at": start + timedelta(minutes=30),
                             "place": place, "team_id": team_id, "created_at": now,
                             "booked_at": now if team_id else None})
    insert_rows(OfficeHour, rows)


def add_mentoring_demo(edition: Edition, seed: int) -> None:
    """Mentors, help requests and office hours, once the teams exist."""
    rng = random.Random(f"{seed}:mentoring")
    now = utcnow()
    mentors = _mentors(edition, rng, now)
    _requests(edition, rng, mentors, now)
    _office_hours(edition, rng, mentors, now)
    db.session.commit()
