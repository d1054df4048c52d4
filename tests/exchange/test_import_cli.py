"""`crunchtime import-students FILE` and `crunchtime import-challenges FILE`."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent, Challenge, StudentProfile
from tests.exchange.conftest import count
from tests.exchange.samples import challenge, challenges_csv, student, students_csv
from tests.helpers import fr


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_challenges_then_students_import_with_a_summary_and_progress(app, db, edition, tmp_path):
    challenges = write(tmp_path, "defis.csv", challenges_csv(challenge("C001"), challenge("C002"),
                                                          challenge("C003")))
    result = run(app, "import-challenges", challenges)
    assert result.exit_code == 0, result.output
    assert "defis.csv: 3 rows imported — 3 created, 0 updated, 0 unchanged." in result.output
    assert "New organisations added (1): Énergie Nord SA" in result.output

    students = write(tmp_path, "inscrits.csv", students_csv(
        student(choices="C002;C001;C003", programme="Génie civil"), student(), bom=True,
        delimiter=";"))
    result = run(app, "import-students", students)
    assert result.exit_code == 0, result.output
    assert "Importing students" in result.output
    assert "inscrits.csv: 2 rows imported — 2 created, 0 updated, 0 unchanged." in result.output
    assert "Invitations queued: 2" in result.output
    assert "New programmes added (2): Génie civil; Informatique" in result.output
    again = run(app, "import-students", students)
    assert "0 created, 0 updated, 2 unchanged." in again.output
    assert count(db, StudentProfile) == 2 and count(db, Challenge) == 3
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["import.challenges", "import.students", "import.students"]
    assert db.session.scalar(sa.select(AuditEvent.details)).get("via") == "cli"


def test_a_refused_file_prints_every_broken_row_and_exits_1(app, db, edition, tmp_path):
    data = students_csv(student(year="0"), student(),
                        student(email="faux", choices="C404;C405;C406"))
    result = run(app, "import-students", write(tmp_path, "inscrits.csv", data))
    assert result.exit_code == 1
    lines = [
        "line 2, column year: " + fr(
            "%(value)d is out of range: it must be between %(min)d and %(max)d.",
            value=0, min=1, max=8),
        "line 4, column email: " + fr("“%(value)s” is not a valid e-mail address.",
                                      value="faux"),
        "line 4, column choices: " + fr("No challenge has the code %(code)s in this edition.",
                                        code="C404"),
    ]
    for line in lines:
        assert line in result.output
    assert fr("The file is refused: %(num)d line has a problem. Nothing was imported; correct "
              "the file and send it again.",
              "The file is refused: %(num)d lines have problems. Nothing was imported; correct "
              "the file and send it again.", num=2) in result.output
    assert count(db, StudentProfile) == 0


def test_a_row_ranking_one_or_two_challenges_is_refused_with_the_reason(
    app, db, edition, tmp_path
):
    run(app, "import-challenges", write(tmp_path, "defis.csv", challenges_csv(
        challenge("C001"), challenge("C002"), challenge("C003"))))
    data = students_csv(student(choices="C001;C002;C003"), student(choices="C002;C001"),
                        student(choices=""), student(choices="C003"))
    result = run(app, "import-students", write(tmp_path, "inscrits.csv", data))
    assert result.exit_code == 1
    reason = ("%(count)d challenges chosen; a student ranks at least %(min)d (or leave the "
              "cell empty to let them rank in the app).")
    assert "line 3, column choices: " + fr(reason, count=2, min=3) in result.output
    assert "line 5, column choices: " + fr(reason, count=1, min=3) in result.output
    assert "line 2," not in result.output and "line 4," not in result.output
    assert count(db, StudentProfile) == 0


def test_a_refused_challenges_file_exits_1_with_its_rows(app, db, edition, tmp_path):
    data = challenges_csv(challenge("C001", teams="0"))
    result = run(app, "import-challenges", write(tmp_path, "defis.csv", data))
    assert result.exit_code == 1
    assert "line 2, column teams: " in result.output
    assert count(db, Challenge) == 0


def test_without_a_current_edition_the_import_fails_clearly(app, db, tmp_path):
    result = run(app, "import-students", write(tmp_path, "x.csv", students_csv(student())))
    assert result.exit_code == 1
    assert fr("No edition is open yet: an organiser must create one first.") in result.output


def test_a_missing_file_is_a_usage_error(app, db, edition, tmp_path):
    result = run(app, "import-challenges", str(tmp_path / "absent.csv"))
    assert result.exit_code == 2
