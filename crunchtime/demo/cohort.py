"""A seeded synthetic edition as plain data, for the demo command, tests and benchmarks.

Pure (no Flask, no models) and deterministic: the same arguments always give the same cohort.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from crunchtime.demo.apportion import apportion, spread_total
from crunchtime.demo.naming import EmailBook
from crunchtime.demo.organisations import ORGANISATIONS, OrganisationSpec
from crunchtime.demo.records import (
    ChallengeData,
    Cohort,
    CriterionData,
    JuryData,
    OrganisationData,
    StudentData,
)
from crunchtime.demo.themes import (
    DELIVERABLES,
    PROBLEM_FOLLOWUPS,
    THEMES,
    TITLE_QUALIFIERS,
    TITLE_VERBS,
    Theme,
)
from crunchtime.demo.vocabulary import (
    CRITERIA,
    FEMALE_FIRST_NAMES,
    JURY_JOBS,
    LAB_JOBS,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    PROGRAMMES,
    SKILLS,
    STAFF_JOBS,
    ProgrammeSpec,
)

__all__ = [
    "ChallengeData",
    "Cohort",
    "CriterionData",
    "JuryData",
    "OrganisationData",
    "StudentData",
    "generate_cohort",
]

STUDENTS_PER_CHALLENGE = 28
STUDENTS_PER_TEAM = 5.7
STUDENTS_PER_JURY = 17
GROUPED_SHARE = 0.10
NO_CHOICE_SHARE = 0.055
FEMALE_SHARE = 0.35
OWN_THEME_PICK = 0.8
FRIENDS_COPY_CHOICES = 0.7
STUDENT_DOMAIN = "etu.utbm.fr"
JURY_DOMAIN = "jury.demo.crunchtime.fr"


@dataclass(frozen=True)
class _Pool:
    """Challenge codes with cumulative popularity, for weighted draws."""

    codes: tuple[str, ...]
    cum_weights: tuple[float, ...]


def generate_cohort(
    students: int = 1700, challenges: int | None = None, seed: int = 0, juries: int | None = None
) -> Cohort:
    """A complete synthetic edition of `students` students, deterministic for `seed`.

    Challenges default to one per 28 students (at least 3), juries to one per 17 (at least 10).
    """
    if students < 0 or (challenges is not None and challenges < 1) or (juries or 0) < 0:
        raise ValueError("students and juries must be >= 0, challenges >= 1")
    if challenges is None:
        challenges = max(3, round(students / STUDENTS_PER_CHALLENGE))
    n_juries = juries if juries is not None else max(10, students // STUDENTS_PER_JURY)
    challenge_list, popularity = _make_challenges(
        random.Random(f"{seed}:challenges"), challenges, students
    )
    student_list = _make_students(
        random.Random(f"{seed}:students"), students, challenge_list, popularity
    )
    jury_list = _make_juries(random.Random(f"{seed}:juries"), n_juries)
    used = {c.organisation for c in challenge_list} | {j.organisation for j in jury_list}
    return Cohort(
        organisations=tuple(
            OrganisationData(o.name, o.kind, o.sector, o.city)
            for o in ORGANISATIONS
            if o.name in used
        ),
        challenges=tuple(challenge_list),
        students=tuple(student_list),
        juries=tuple(jury_list),
        criteria=tuple(
            CriterionData(c.key, c.label_fr, c.label_en, c.weight, 0, 10) for c in CRITERIA
        ),
        programmes=tuple(p.name for p in PROGRAMMES),
        skills=SKILLS,
    )


def _make_challenges(
    rng: random.Random, count: int, students: int
) -> tuple[list[ChallengeData], dict[str, float]]:
    themes = [
        theme
        for theme, quota in zip(THEMES, apportion([t.weight for t in THEMES], count), strict=True)
        for _ in range(quota)
    ]
    rng.shuffle(themes)
    teams = spread_total(rng, count, round(students / STUDENTS_PER_TEAM), 1, 10)
    decks: dict[str, list[str]] = {}
    challenge_list: list[ChallengeData] = []
    popularity: dict[str, float] = {}
    for number, (theme, teams_wanted) in enumerate(zip(themes, teams, strict=True), start=1):
        organisation = _host(rng, theme)
        deck = decks.setdefault(theme.key, [])
        if not deck:
            deck.extend(rng.sample(theme.subjects, len(theme.subjects)))
        code = f"C{number:03d}"
        challenge_list.append(
            ChallengeData(
                code=code,
                title=f"{rng.choice(TITLE_VERBS)} {deck.pop()}{rng.choice(TITLE_QUALIFIERS)}",
                organisation=organisation.name,
                problem=f"{rng.choice(theme.questions)} {rng.choice(PROBLEM_FOLLOWUPS)}",
                context=" ".join(rng.sample(theme.contexts, 2)),
                deliverable=rng.choice(DELIVERABLES),
                skills=tuple(rng.sample(theme.skills, rng.randint(2, 4))),
                teams_wanted=teams_wanted,
                theme=theme.key,
            )
        )
        popularity[code] = rng.lognormvariate(0.0, 0.8) * organisation.weight**0.3
    return challenge_list, popularity


def _host(rng: random.Random, theme: Theme) -> OrganisationSpec:
    hosts = [o for o in ORGANISATIONS if theme.key in o.themes]
    weights = [o.weight * (2.0 if o.themes[0] == theme.key else 1.0) for o in hosts]
    return rng.choices(hosts, weights=weights)[0]


def _pool(codes: list[str], popularity: dict[str, float]) -> _Pool:
    return _Pool(tuple(codes), tuple(itertools.accumulate(popularity[c] for c in codes)))


def _make_students(
    rng: random.Random, count: int, challenges: list[ChallengeData], popularity: dict[str, float]
) -> list[StudentData]:
    pools = {
        theme.key: _pool([c.code for c in challenges if c.theme == theme.key], popularity)
        for theme in THEMES
    }
    every = _pool([c.code for c in challenges], popularity)
    offered = [t for t in THEMES if pools[t.key].codes]
    programmes = rng.choices(PROGRAMMES, weights=[p.share for p in PROGRAMMES], k=count)
    themes = [_favourite_theme(rng, p, offered) for p in programmes]
    groups = _friend_groups(rng, count)
    leaders = _leaders(groups)
    themes = [themes[leader] for leader in leaders]
    choices = [_pick_choices(rng, pools[t.key], every) for t in themes]
    for index, leader in enumerate(leaders):
        if leader != index and rng.random() < FRIENDS_COPY_CHOICES:
            choices[index] = choices[leader]
        elif groups[index] is None and rng.random() < NO_CHOICE_SHARE:
            choices[index] = ()
    emails = EmailBook(STUDENT_DOMAIN)
    student_list = []
    for programme, theme, picked, group in zip(programmes, themes, choices, groups, strict=True):
        first_name, last_name, _ = _person(rng)
        student_list.append(
            StudentData(
                email=emails.allocate(first_name, last_name),
                first_name=first_name,
                last_name=last_name,
                programme=programme.name,
                year=rng.choice(programme.years),
                skills=_student_skills(rng, programme),
                interests=" ".join(rng.sample(theme.interests, rng.choice((1, 2, 2, 3)))),
                choices=picked,
                group=group,
            )
        )
    return student_list


def _favourite_theme(rng: random.Random, programme: ProgrammeSpec, offered: list[Theme]) -> Theme:
    close = [t for t in offered if t.key in programme.themes]
    if close and rng.random() < 0.6:
        return rng.choice(close)
    return rng.choices(offered, weights=[t.weight for t in offered])[0]


def _leaders(groups: list[str | None]) -> list[int]:
    """Per student, the first member of their friend group (themselves when not in one)."""
    first: dict[str, int] = {}
    return [index if key is None else first.setdefault(key, index)
            for index, key in enumerate(groups)]


def _friend_groups(rng: random.Random, count: int) -> list[str | None]:
    """Group key per student: about a tenth of them in groups of two or three."""
    sizes: list[int] = []
    remaining = round(count * GROUPED_SHARE)
    while remaining >= 2:
        sizes.append(min(rng.choice((2, 2, 3)), remaining))
        remaining -= sizes[-1]
    members = rng.sample(range(count), sum(sizes))
    groups: list[str | None] = [None] * count
    start = 0
    for number, size in enumerate(sizes, start=1):
        for index in members[start : start + size]:
            groups[index] = f"G{number:04d}"
        start += size
    return groups


def _pick_choices(rng: random.Random, own: _Pool, every: _Pool) -> tuple[str, ...]:
    """3–5 distinct codes, mostly from the student's theme, popular challenges more often."""
    wanted = min(rng.choice((3, 4, 4, 5, 5, 5)), len(every.codes))
    picked: list[str] = []
    for _ in range(wanted * 20):
        if len(picked) == wanted:
            break
        pool = own if own.codes and rng.random() < OWN_THEME_PICK else every
        code = rng.choices(pool.codes, cum_weights=pool.cum_weights)[0]
        if code not in picked:
            picked.append(code)
    for code in every.codes:
        if len(picked) == wanted:
            break
        if code not in picked:
            picked.append(code)
    return tuple(picked)


def _student_skills(rng: random.Random, programme: ProgrammeSpec) -> tuple[str, ...]:
    wanted = rng.randint(2, 5)
    skills: list[str] = []
    while len(skills) < wanted:
        source = programme.skills if rng.random() < 0.8 else SKILLS
        skill = rng.choice(source)
        if skill not in skills:
            skills.append(skill)
    return tuple(skills)


def _person(rng: random.Random) -> tuple[str, str, bool]:
    """First name, last name and whether the first name is feminine (for agreement)."""
    female = rng.random() < FEMALE_SHARE
    first_names = FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES
    return rng.choice(first_names), rng.choice(LAST_NAMES), female


def _make_juries(rng: random.Random, count: int) -> list[JuryData]:
    emails = EmailBook(JURY_DOMAIN)
    hosts = [o for o in ORGANISATIONS if o.kind in ("company", "lab")] + list(ORGANISATIONS)
    theme_by_key = {t.key: t for t in THEMES}
    jury_list = []
    for _ in range(count):
        first_name, last_name, female = _person(rng)
        if rng.random() < 0.8:
            organisation = rng.choices(hosts, weights=[o.weight for o in hosts])[0]
            theme = theme_by_key[rng.choice(organisation.themes)]
            jobs = LAB_JOBS if organisation.kind == "lab" else JURY_JOBS
            name = organisation.name
        else:
            theme, jobs, name = rng.choice(THEMES), STAFF_JOBS, None
        job = rng.choice(jobs)[0 if female else 1]
        jury_list.append(
            JuryData(
                email=emails.allocate(first_name, last_name),
                first_name=first_name,
                last_name=last_name,
                organisation=name,
                expertise=f"{job}, {rng.choice(theme.expertise)}",
            )
        )
    return jury_list
