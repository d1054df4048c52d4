"""Importing a past edition's outcomes (`team,incubated`): all or nothing, every broken row
reported with its line, re-importing changes nothing."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict
from crunchtime.incubation import DEFAULT_WEIGHTS
from crunchtime.incubation.outcomes import parse_outcomes, read_yes_no
from crunchtime.models import AuditEvent, IncubationFlag, Team
from crunchtime.services.exchange.imports import ImportRejected
from crunchtime.services.incubation.outcomes import import_outcomes, past_editions
from crunchtime.services.incubation.training import editions_with_decisions, training_set
from crunchtime.services.incubation.words import outcome_problem_message
from tests import factories
from tests.helpers import fr, says
from tests.worlds import build_world, csrf_token, decide_past

CODES = ("T001", "T002", "T003")


def test_yes_and_no_in_french_and_english():
    assert [read_yes_no(v) for v in ("oui", "Yes", "1", "VRAI", "incubé", "x")] == [True] * 6
    assert [read_yes_no(v) for v in ("non", "No", "0", "faux")] == [False] * 4
    assert read_yes_no("peut-être") is None


def test_a_clean_file_in_french_excel_format_is_read():
    parsed = parse_outcomes("\ufeffteam;incubated\r\nt001;oui\r\nT002;non\r\n".encode(), CODES)
    assert parsed.problems == []
    assert [(row.team, row.incubated) for row in parsed.rows] == [("T001", True),
                                                                   ("T002", False)]


def test_every_broken_row_is_reported_with_its_line():
    data = b"team,incubated\nT001,oui\nT999,oui\nT002,peut-etre\n,non\nT001,non\n"
    parsed = parse_outcomes(data, CODES)
    found = [(p.line, p.column, p.code) for p in parsed.problems]
    assert found == [(2, "team", "duplicate_code"), (3, "team", "unknown_team"),
                     (4, "incubated", "bad_yes_no"), (5, "team", "required"),
                     (6, "team", "duplicate_code")]


@pytest.fixture
def past(db):
    return build_world(past=True, teams=5)


@pytest.fixture
def current(db, past):
    return factories.edition(phase="results", name="Crunch Time 2026")


def flags(db) -> dict[int, str]:
    return dict(db.session.execute(sa.select(IncubationFlag.team_id, IncubationFlag.status)).all())


def test_outcomes_of_a_past_edition_become_decisions_and_reimporting_changes_nothing(
        db, past, current):
    data = b"team,incubated\nT001,oui\nT002,non\n"
    report = import_outcomes(past.organizer, past.edition.id, data, current, filename="o.csv")
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert flags(db) == {past.teams[0].id: "incubated", past.teams[1].id: "declined"}
    again = import_outcomes(past.organizer, past.edition.id, data, current)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("incubation.import_outcomes") == 2


def test_unknown_team_codes_refuse_the_whole_file(db, past, current):
    data = b"team,incubated\nT001,oui\nT404,oui\nT405,non\n"
    with pytest.raises(ImportRejected) as refused:
        import_outcomes(past.organizer, past.edition.id, data, current)
    assert [p.line for p in refused.value.report.problems] == [3, 4]
    assert flags(db) == {}
    assert outcome_problem_message(refused.value.report.problems[0]) == fr(
        "No team has the code %(code)s in this edition.", code="T404")


def test_the_current_edition_is_decided_in_the_review_queue_not_by_file(db, past, current):
    with pytest.raises(Conflict):
        import_outcomes(past.organizer, current.id, b"team,incubated\nT001,oui\n", current)


def test_the_page_lists_every_broken_row_and_imports_nothing(app, db, past, current, as_user):
    client = as_user(past.organizer)
    token = csrf_token(client, "/organizer/incubation/outcomes")
    response = client.post("/organizer/incubation/outcomes", data={
        "csrf_token": token, "edition": str(past.edition.id),
        "file": (io.BytesIO(b"team,incubated\nT001,oui\nT404,oui\n"), "issues.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert says(response, "No team has the code %(code)s in this edition.", code="T404")
    assert says(response, "File refused: nothing was imported")
    assert flags(db) == {}
    response = client.post("/organizer/incubation/outcomes", data={
        "csrf_token": token, "edition": str(past.edition.id),
        "file": (io.BytesIO(b"team,incubated\nT001,oui\n"), "issues.csv")},
        content_type="multipart/form-data")
    assert says(response, "File imported") and flags(db) == {past.teams[0].id: "incubated"}


@pytest.fixture
def later(db, current):
    """An edition after the current one, with a decision (say, imported by mistake)."""
    edition = factories.edition(phase="closed", current=False, year=2027, name="CT 2027")
    team = factories.team(edition, factories.challenge(edition), code="T001")
    db.session.add(IncubationFlag(team_id=team.id, status="incubated", reasons=[]))
    db.session.commit()
    return edition


def test_only_editions_older_than_the_current_one_take_outcomes(db, past, current, later):
    assert past_editions(current) == [past.edition]
    with pytest.raises(Conflict):
        import_outcomes(past.organizer, later.id, b"team,incubated\nT001,non\n", current)
    assert db.session.scalar(sa.select(IncubationFlag.status).join(Team).where(
        Team.edition_id == later.id)) == "incubated"


def test_the_model_learns_only_from_earlier_editions(db, past, current, later):
    decide_past(past)
    assert editions_with_decisions(current) == [past.edition]
    assert training_set(current, DEFAULT_WEIGHTS).editions == [past.edition.name]


def test_an_archived_edition_still_takes_its_outcomes(db, past, current):
    past.edition.archived = True
    db.session.commit()
    report = import_outcomes(past.organizer, past.edition.id, b"team,incubated\nT001,oui\n",
                             current)
    assert report.created == 1 and flags(db) == {past.teams[0].id: "incubated"}
