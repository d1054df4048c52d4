"""The synthetic cohort generator: deterministic, realistic in shape, and CSV-exportable."""

from __future__ import annotations

import ast
import csv
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from crunchtime.demo import vocabulary
from crunchtime.demo.cohort import Cohort, generate_cohort
from crunchtime.demo.csvfiles import (
    CHALLENGE_COLUMNS,
    STUDENT_COLUMNS,
    challenge_description,
    write_challenges_csv,
    write_students_csv,
)
from crunchtime.demo.organisations import ORGANISATIONS
from crunchtime.demo.themes import THEMES

DEMO_DIR = Path(__file__).resolve().parents[2] / "crunchtime" / "demo"
PURE_MODULES = (
    "apportion", "cohort", "csvfiles", "naming", "organisations", "records", "themes",
    "vocabulary",
)
EMAIL = re.compile(r"^[a-z0-9.-]+@[a-z0-9.-]+\.[a-z]+$")


@pytest.fixture(scope="module")
def cohort() -> Cohort:
    return generate_cohort(1700, seed=7)


def test_same_seed_gives_the_same_cohort():
    assert generate_cohort(300, seed=3) == generate_cohort(300, seed=3)


def test_different_seeds_give_different_cohorts():
    first, second = generate_cohort(300, seed=1), generate_cohort(300, seed=2)
    assert first.students != second.students
    assert first.challenges != second.challenges


def test_default_sizes_follow_the_number_of_students(cohort):
    assert len(cohort.students) == 1700
    assert len(cohort.challenges) == round(1700 / 28)
    assert len(cohort.juries) == 1700 // 17
    assert 4 <= len(cohort.criteria) <= 5
    assert 8 <= len(cohort.programmes) <= 10
    assert 25 <= len(cohort.skills) <= 40


def test_explicit_counts_of_challenges_and_juries_are_honoured():
    small = generate_cohort(120, challenges=12, juries=4, seed=1)
    assert (len(small.students), len(small.challenges), len(small.juries)) == (120, 12, 4)


def test_tiny_cohorts_still_offer_three_challenges_and_ten_juries():
    tiny = generate_cohort(20)
    assert len(tiny.challenges) == 3
    assert len(tiny.juries) == 10


def test_challenge_codes_are_numbered_from_c001(cohort):
    codes = [c.code for c in cohort.challenges]
    assert codes == [f"C{n:03d}" for n in range(1, len(codes) + 1)]


def test_emails_are_unique_lowercase_ascii(cohort):
    emails = [s.email for s in cohort.students] + [j.email for j in cohort.juries]
    assert len(set(emails)) == len(emails)
    assert all(EMAIL.match(email) for email in emails), [e for e in emails if not EMAIL.match(e)]
    assert all(s.email.endswith("@etu.utbm.fr") for s in cohort.students)


def test_homonyms_get_a_numbered_email():
    big = generate_cohort(3000, seed=0)
    assert any(re.search(r"\d@", s.email) for s in big.students)


def test_names_include_accented_french_names(cohort):
    names = {s.first_name for s in cohort.students} | {s.last_name for s in cohort.students}
    assert any(set(name) & set("éèêëàâîïôöûüçÉÈ") for name in names)


def test_choices_are_three_to_five_distinct_known_codes_or_none(cohort):
    codes = {c.code for c in cohort.challenges}
    for student in cohort.students:
        assert len(student.choices) in (0, 3, 4, 5)
        assert len(set(student.choices)) == len(student.choices)
        assert set(student.choices) <= codes


def test_about_five_percent_of_students_rank_nothing(cohort):
    share = sum(not s.choices for s in cohort.students) / len(cohort.students)
    assert 0.02 <= share <= 0.09


def test_some_challenges_are_oversubscribed_and_others_neglected(cohort):
    first_choices = Counter(s.choices[0] for s in cohort.students if s.choices)
    demand = sorted(
        first_choices[c.code] / (c.teams_wanted * 5.7) for c in cohort.challenges
    )
    assert demand[-1] > 2.0
    assert demand[0] < 0.5


def test_students_rank_mostly_challenges_of_one_theme(cohort):
    theme_of = {c.code: c.theme for c in cohort.challenges}
    shares = [
        Counter(theme_of[code] for code in s.choices).most_common(1)[0][1] / len(s.choices)
        for s in cohort.students
        if s.choices
    ]
    assert sum(shares) / len(shares) > 0.6


def test_teams_wanted_are_between_1_and_10_and_seat_everyone(cohort):
    assert all(1 <= c.teams_wanted <= 10 for c in cohort.challenges)
    total = sum(c.teams_wanted for c in cohort.challenges)
    assert abs(total - 1700 / 5.7) <= 0.05 * 1700 / 5.7


@pytest.mark.parametrize("students", [300, 800, 5000])
def test_teams_wanted_sum_tracks_the_number_of_students(students):
    total = sum(c.teams_wanted for c in generate_cohort(students, seed=2).challenges)
    assert abs(total - students / 5.7) <= 0.05 * students / 5.7


def test_friend_groups_have_two_or_three_members(cohort):
    sizes = Counter(s.group for s in cohort.students if s.group)
    assert sizes
    assert set(sizes.values()) <= {2, 3}
    assert all(re.fullmatch(r"G\d{4}", key) for key in sizes)


def test_about_a_tenth_of_students_are_in_friend_groups(cohort):
    share = sum(s.group is not None for s in cohort.students) / len(cohort.students)
    assert 0.07 <= share <= 0.13


def test_friends_share_a_theme(cohort):
    theme_of_sentence = {sentence: t.key for t in THEMES for sentence in t.interests}
    themes_by_group = defaultdict(set)
    for student in cohort.students:
        if student.group:
            sentences = [s for s in theme_of_sentence if s in student.interests]
            themes_by_group[student.group].update(theme_of_sentence[s] for s in sentences)
    assert all(len(themes) == 1 for themes in themes_by_group.values())


def test_interests_are_french_sentences_with_accents(cohort):
    assert all(1 <= s.interests.count(".") <= 4 for s in cohort.students)
    assert any(set(s.interests) & set("éèêàâîôûç") for s in cohort.students)


def test_students_have_two_to_five_known_skills_and_a_year_of_study(cohort):
    for student in cohort.students:
        assert 2 <= len(student.skills) <= 5
        assert set(student.skills) <= set(cohort.skills)
        assert 1 <= student.year <= 5
        assert student.programme in cohort.programmes


def test_skills_follow_the_programme(cohort):
    specs = {p.name: p for p in vocabulary.PROGRAMMES}
    typical = sum(
        skill in specs[s.programme].skills for s in cohort.students for skill in s.skills
    )
    assert typical / sum(len(s.skills) for s in cohort.students) > 0.7


def test_programme_and_challenge_skills_come_from_the_vocabulary():
    skills = set(vocabulary.SKILLS)
    assert all(set(p.skills) <= skills for p in vocabulary.PROGRAMMES)
    assert all(set(t.skills) <= skills for t in THEMES)
    assert all(o.themes and set(o.themes) <= {t.key for t in THEMES} for o in ORGANISATIONS)


def test_challenges_and_juries_belong_to_listed_organisations(cohort):
    names = {o.name for o in cohort.organisations}
    assert {c.organisation for c in cohort.challenges} <= names
    jury_organisations = [j.organisation for j in cohort.juries]
    assert {o for o in jury_organisations if o is not None} <= names
    assert None in jury_organisations
    kinds = {o.kind for o in cohort.organisations}
    assert kinds == {"company", "public_body", "lab", "association"}


def test_criteria_have_positive_weights_on_a_zero_to_ten_scale(cohort):
    assert len({c.key for c in cohort.criteria}) == len(cohort.criteria)
    for criterion in cohort.criteria:
        assert criterion.weight > 0
        assert (criterion.scale_min, criterion.scale_max) == (0, 10)
        assert criterion.label_fr and criterion.label_en


def test_students_csv_round_trips(cohort, tmp_path):
    path = tmp_path / "students.csv"
    write_students_csv(cohort, path)
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
    assert tuple(reader.fieldnames) == STUDENT_COLUMNS
    assert len(rows) == len(cohort.students)
    for row, student in zip(rows, cohort.students, strict=True):
        assert row["email"] == student.email
        assert (row["first_name"], row["last_name"]) == (student.first_name, student.last_name)
        assert row["programme"] == student.programme
        assert int(row["year"]) == student.year
        assert tuple(row["skills"].split(";")) == student.skills
        assert row["interests"] == student.interests
        assert tuple(filter(None, row["choices"].split(";"))) == student.choices
        assert (row["group"] or None) == student.group


def test_challenges_csv_round_trips_through_a_text_stream(cohort):
    stream = io.StringIO()
    write_challenges_csv(cohort, stream)
    stream.seek(0)
    reader = csv.DictReader(stream)
    rows = list(reader)
    assert tuple(reader.fieldnames) == CHALLENGE_COLUMNS
    for row, challenge in zip(rows, cohort.challenges, strict=True):
        assert (row["code"], row["title"]) == (challenge.code, challenge.title)
        assert row["organisation"] == challenge.organisation
        assert row["description"] == challenge_description(challenge)
        assert tuple(row["skills"].split(";")) == challenge.skills
        assert int(row["teams"]) == challenge.teams_wanted


def test_generates_seventeen_thousand_students():
    big = generate_cohort(17000)
    assert len(big.students) == 17000
    assert len({s.email for s in big.students}) == 17000


@pytest.mark.parametrize("module", PURE_MODULES)
def test_generator_modules_import_neither_flask_nor_the_database(module):
    tree = ast.parse((DEMO_DIR / f"{module}.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    forbidden = ("flask", "sqlalchemy", "crunchtime.models", "crunchtime.extensions")
    assert not [name for name in imported if name.startswith(forbidden)]
