"""Synthetic past editions with planted decisions, for tests, the benchmark and the demo.

Each team has a hidden quality (what juries score) and a hidden drive (the wish and means to
go on, which a week's jury score barely shows). Incubation committees pick, among the teams
that want to continue, those with the highest potential (quality and drive); nominations,
a partner's interest and the team's own declaration reveal part of the drive. So a model
that reads every signal should beat ranking by the raw jury score alone; this module is
what tests and the demo use to check it does.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from crunchtime.incubation.signals import TeamSignals

INCUBATED_SHARE = 0.07
JURIES_PER_TEAM = 3
SEVERITY_SD, JURY_NOISE_SD, CALIBRATED_NOISE_SD = 0.7, 0.6, 0.3
PARTS_TOTAL = 9
NOMINATION_FIELDS = ("commitment", "problem_validated", "feasibility", "impact")
WORDS = ("capteur", "plateforme", "maintenance", "hydrogène", "covoiturage", "énergie",
         "prototype", "tableau de bord", "usagers", "atelier", "recyclage", "santé")
SYLLABLES = ("ka", "lo", "mi", "nu", "ré", "sa", "to", "vé", "zi", "bo", "ph", "gr")


@dataclass(frozen=True)
class PlantedTeam:
    quality: float
    drive: float


def _sigmoid(value: float) -> float:
    return 1 / (1 + math.exp(-value))


def plant(rng: random.Random, quality: float | None = None) -> PlantedTeam:
    """A team's hidden quality (given, e.g. from the demo's scores, or drawn) and drive."""
    return PlantedTeam(rng.gauss(0, 1) if quality is None else quality, rng.gauss(0, 1))


def potential(team: PlantedTeam, rng: random.Random) -> float:
    return 0.55 * team.quality + 0.85 * team.drive + rng.gauss(0, 0.35)


def nominates(rng: random.Random, team: PlantedTeam) -> bool:
    """One jury's nomination: juries see the work and, in the pitch, part of the drive."""
    return rng.random() < _sigmoid(-2.2 + 0.8 * team.quality + 1.0 * team.drive
                                   + rng.gauss(0, 0.5))


def rating(rng: random.Random, team: PlantedTeam) -> int:
    value = 3 + 0.5 * team.quality + 0.6 * team.drive + rng.gauss(0, 0.6)
    return max(1, min(5, round(value)))


def shows_interest(rng: random.Random, team: PlantedTeam) -> bool:
    return rng.random() < _sigmoid(-2.0 + 0.9 * team.quality + 0.9 * team.drive)


def wants_to_continue(rng: random.Random, team: PlantedTeam) -> bool:
    return rng.random() < _sigmoid(-0.4 + 1.6 * team.drive)


def parts_done(rng: random.Random, team: PlantedTeam) -> int:
    share = 0.7 + 0.12 * team.drive + 0.08 * team.quality + rng.gauss(0, 0.12)
    return max(0, min(PARTS_TOTAL, round(PARTS_TOTAL * share)))


def project_text(rng: random.Random, team: PlantedTeam) -> str:
    """Shared vocabulary, plus more words of its own the more singular the project."""
    common = " ".join(rng.sample(WORDS, 6))
    own = max(0, round(2 + 2 * (0.3 * team.quality + rng.gauss(0, 1))))
    words = ["".join(rng.choices(SYLLABLES, k=4)) for _ in range(own)]
    return f"Notre projet : {common} {' '.join(words)}".strip()


def decide(planted: list[PlantedTeam], wants: list[bool], rng: random.Random,
           share: float = INCUBATED_SHARE) -> list[bool]:
    """The committee's decisions: the highest potentials among teams that want to go on."""
    scores = [potential(team, rng) if wish else -math.inf
              for team, wish in zip(planted, wants, strict=True)]
    places = max(1, round(share * len(planted)))
    chosen = set(sorted(range(len(planted)), key=lambda i: -scores[i])[:places])
    return [i in chosen and wants[i] for i in range(len(planted))]


def _scores(rng: random.Random, team: PlantedTeam) -> tuple[float, float, float, float]:
    """(raw, calibrated, low, high) on 0–1: raw carries the juries' severities."""
    severity = sum(rng.gauss(0, SEVERITY_SD) for _ in range(JURIES_PER_TEAM)) / JURIES_PER_TEAM
    noise = rng.gauss(0, JURY_NOISE_SD / math.sqrt(JURIES_PER_TEAM))
    raw = _sigmoid(0.8 * (team.quality + severity + noise))
    centre = team.quality + rng.gauss(0, CALIBRATED_NOISE_SD)
    spread = rng.uniform(0.15, 0.45)
    return raw, _sigmoid(0.8 * centre), _sigmoid(0.8 * (centre - spread)), _sigmoid(
        0.8 * (centre + spread))


def synthetic_team(rng: random.Random, team_id: int, team: PlantedTeam,
                   wish: bool) -> TeamSignals:
    raw, calibrated, low, high = _scores(rng, team)
    nominated = [rating(rng, team) for _ in range(JURIES_PER_TEAM) if nominates(rng, team)]
    means = {name: sum(nominated) / len(nominated) for name in NOMINATION_FIELDS} \
        if nominated else {}
    return TeamSignals(
        team_id=team_id, code=f"T{team_id:03d}", raw_score=raw, calibrated_score=calibrated,
        score_low=low, score_high=high, juries=JURIES_PER_TEAM, nominations=len(nominated),
        nomination_means=means,
        interested=("Partenaire",) if shows_interest(rng, team) else (),
        wants_to_continue=wish, has_plan=wish and rng.random() < 0.8,
        text=project_text(rng, team), parts_done=parts_done(rng, team),
        parts_total=PARTS_TOTAL)


@dataclass(frozen=True)
class SyntheticEdition:
    teams: list[TeamSignals]
    incubated: list[bool]


def synthetic_edition(teams: int = 300, seed: int = 0, first_id: int = 1) -> SyntheticEdition:
    """A past edition's teams with their signals and the committee's planted decisions."""
    rng = random.Random(seed)
    planted = [plant(rng) for _ in range(teams)]
    wants = [wants_to_continue(rng, team) for team in planted]
    incubated = decide(planted, wants, rng)
    signals = [synthetic_team(rng, first_id + i, team, wish)
               for i, (team, wish) in enumerate(zip(planted, wants, strict=True))]
    return SyntheticEdition(signals, incubated)
