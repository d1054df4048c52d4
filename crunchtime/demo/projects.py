"""The projects of a demo edition's teams, as plain data: what they handed in (French
texts), their wish to continue, and how juries and partners reacted, all drawn from the
planted quality and drive of `crunchtime.incubation.synthetic` (pure, seeded)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from crunchtime.incubation import synthetic
from crunchtime.incubation.synthetic import PlantedTeam

NAMES = ("Hélios", "Boussole", "Tandem", "Lumen", "Ricochet", "Cairn", "Orbite", "Sillage",
         "Passerelle", "Colibri", "Kinésis", "Quartz", "Alvéole", "Mistral", "Odyssée")
APPROACHES = (
    "une application mobile qui guide l'usager pas à pas",
    "un capteur connecté à bas coût relié à un tableau de bord",
    "un service partagé entre les entreprises de la zone",
    "un kit pédagogique accompagné d'ateliers",
    "un algorithme de prévision entraîné sur les données du site",
    "une plateforme de mise en relation entre habitants et entreprises",
    "un dispositif imprimé en 3D facile à réparer",
    "un parcours d'accompagnement co-construit avec les usagers",
)
FINDINGS = (
    "Nous avons interrogé {n} usagers : la moitié ignore que des solutions existent.",
    "Sur le terrain, {n} observations montrent que le problème revient chaque semaine.",
    "Nos {n} entretiens révèlent que le coût freine davantage que la technique.",
    "Les {n} personnes rencontrées demandent avant tout de la simplicité.",
)
PROTOTYPES = (
    "Maquette interactive réalisée sous Figma, testée sur smartphone.",
    "Prototype Arduino avec trois capteurs et une interface web.",
    "Démonstrateur imprimé en 3D, assemblé au fablab.",
    "Tableur de simulation et maquette papier du service.",
)
TESTS = (
    "{n} utilisateurs ont testé le prototype ; {k} l'adopteraient dès demain.",
    "Test en conditions réelles sur le site partenaire avec {n} salariés.",
    "Atelier de test avec {n} usagers ; trois améliorations retenues.",
)
NEXT_STEPS = (
    "Déposer un dossier au Pôle entrepreneuriat et trouver un premier client pilote.",
    "Poursuivre en projet tutoré au semestre prochain avec le partenaire.",
    "Construire une version pilote et candidater à l'incubateur régional.",
    "Valider le modèle économique auprès de dix entreprises du territoire.",
)
RARE_WORDS = ("biomimétisme", "micro-cogénération", "gamification", "jumeau numérique",
              "économie circulaire", "low-tech", "mutualisation", "frugalité",
              "traçabilité", "sobriété", "inclusion", "réemploi")
TEXT_FIELDS = ("title", "pitch", "problem", "solution", "prototype", "user_tests")


@dataclass(frozen=True)
class DemoProject:
    texts: dict[str, str]
    links: dict[str, str]
    handed_in: bool
    wants_to_continue: bool
    who: str
    plan: str
    nominations: tuple[tuple[int, int], ...]  # (jury id, rating)
    interest: bool


def _texts(rng: random.Random, challenge_title: str, team: PlantedTeam) -> dict[str, str]:
    name = rng.choice(NAMES)
    approach = rng.choice(APPROACHES)
    rare = rng.sample(RARE_WORDS, max(0, min(5, round(1 + team.quality + rng.gauss(0, 1)))))
    extra = (" Notre approche mise sur " + ", ".join(rare) + ".") if rare else ""
    n = rng.randint(5, 30)
    return {
        "title": f"{name} — {challenge_title[:150]}",
        "pitch": f"{name} propose {approach}."[:300],
        "problem": rng.choice(FINDINGS).format(n=n),
        "solution": f"Nous proposons {approach}.{extra}",
        "prototype": rng.choice(PROTOTYPES),
        "user_tests": rng.choice(TESTS).format(n=n, k=max(1, n // 3)),
    }


def demo_project(rng: random.Random, challenge_title: str, team: PlantedTeam,
                 juries: list[int], members: list[str]) -> DemoProject:
    """One team's project; fewer parts are filled the less driven and able the team is."""
    texts = _texts(rng, challenge_title, team)
    done = synthetic.parts_done(rng, team)
    optional = ["user_tests", "prototype", "solution", "problem", "pitch"]
    for name in optional[: max(0, synthetic.PARTS_TOTAL - done)]:
        texts[name] = ""
    links = {"demo": "https://demo.crunchtime.fr/projets/" + str(rng.randint(1000, 9999))} \
        if done >= 7 else {}
    wants = synthetic.wants_to_continue(rng, team)
    who = ", ".join(rng.sample(members, min(len(members), rng.randint(1, 3)))) \
        if wants and members else ""
    nominations = tuple((jury, synthetic.rating(rng, team)) for jury in juries
                        if synthetic.nominates(rng, team))
    return DemoProject(texts, links, handed_in=done >= 5, wants_to_continue=wants, who=who,
                       plan=rng.choice(NEXT_STEPS) if wants and rng.random() < 0.8 else "",
                       nominations=nominations, interest=synthetic.shows_interest(rng, team))
