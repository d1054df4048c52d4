"""The plain records a synthetic cohort is made of; no Flask, no models."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: str
    sector: str
    city: str


@dataclass(frozen=True)
class ChallengeData:
    code: str
    title: str
    organisation: str
    problem: str
    context: str
    deliverable: str
    skills: tuple[str, ...]
    teams_wanted: int
    theme: str


@dataclass(frozen=True)
class StudentData:
    email: str
    first_name: str
    last_name: str
    programme: str
    year: int
    skills: tuple[str, ...]
    interests: str
    choices: tuple[str, ...]
    group: str | None


@dataclass(frozen=True)
class JuryData:
    email: str
    first_name: str
    last_name: str
    organisation: str | None
    expertise: str


@dataclass(frozen=True)
class CriterionData:
    key: str
    label_fr: str
    label_en: str
    weight: float
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class Cohort:
    organisations: tuple[OrganisationData, ...]
    challenges: tuple[ChallengeData, ...]
    students: tuple[StudentData, ...]
    juries: tuple[JuryData, ...]
    criteria: tuple[CriterionData, ...]
    programmes: tuple[str, ...]
    skills: tuple[str, ...]
