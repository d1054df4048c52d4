"""The mentoring tests' world: an edition in the building phase, two organisations with one
challenge each, three teams (two on the first challenge), their members, a company contact
per organisation, an organiser and two juries (one marked as a mentor)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crunchtime.models import Edition, Team, User
from crunchtime.services.mentoring.mentors import set_jury_mentoring
from crunchtime.services.mentoring.requests import RequestDraft, open_help_request
from tests import factories


@dataclass
class MentoringWorld:
    edition: Edition
    teams: list[Team]
    members: list[list[User]]
    contacts: list[User]
    organizer: User
    jury_mentor: User
    jury: User
    challenges: list


@pytest.fixture
def world(db) -> MentoringWorld:
    edition = factories.edition(phase="building")
    organisations = [factories.organisation("Hydrogène Belfort"),
                     factories.organisation("Mobilités Sud")]
    challenges = [factories.challenge(edition, organisation) for organisation in organisations]
    members = [[factories.student(edition, first_name=f"Élève{t}{i}") for i in range(2)]
               for t in range(3)]
    teams = [factories.team(edition, challenges[0 if t < 2 else 1], members=members[t])
             for t in range(3)]
    contacts = [factories.company_user(organisation, first_name="Claire", last_name=f"Contact{i}")
                for i, organisation in enumerate(organisations)]
    organizer = factories.organizer(first_name="Odile", last_name="Orga")
    jury_mentor = factories.jury(edition, first_name="Jules", last_name="Jury")
    jury = factories.jury(edition)
    set_jury_mentoring(organizer, edition, jury_mentor.id, True)
    return MentoringWorld(edition, teams, members, contacts, organizer, jury_mentor, jury,
                          challenges)


def ask(world: MentoringWorld, team_index: int = 0, topic: str = "Notre capteur ne répond plus",
        **fields):
    """A member of team `team_index` opens a request."""
    fields.setdefault("location", "Salle B12")
    return open_help_request(world.members[team_index][0], world.teams[team_index],
                             world.edition, RequestDraft(topic=topic, **fields))
