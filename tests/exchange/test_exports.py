"""Exports (`crunchtime export KIND FILE` and the organisers' downloads, `;` for French
Excel) and the archive of closed editions."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict
from crunchtime.models import AuditEvent, Edition
from crunchtime.services.editions.archive import archive_edition
from crunchtime.services.incubation.flags import compute_flags
from tests.helpers import text
from tests.worlds import post


def export(app, tmp_path, kind, *options):
    target = tmp_path / f"{kind}.csv"
    result = app.test_cli_runner().invoke(args=["export", kind, str(target), *options])
    return result, target


def rows_of(path, delimiter=","):
    content = path.read_text(encoding="utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=delimiter))


def test_teams_export_is_team_challenge_email(app, db, world, tmp_path):
    result, path = export(app, tmp_path, "teams")
    assert result.exit_code == 0, result.output
    rows = rows_of(path)
    assert rows[0] == ["team", "challenge", "email"]
    assert rows[1] == ["T001", "C001", world.students[0].email]
    assert len(rows) == 1 + len(world.students)


@pytest.mark.parametrize("kind, header", [
    ("students", "email"), ("scores", "round"), ("results", "scope"),
    ("incubation", "team"), ("submissions", "team")])
def test_every_kind_exports_with_its_header(app, db, world, tmp_path, kind, header):
    compute_flags(world.organizer, world.edition)
    result, path = export(app, tmp_path, kind, "--semicolon")
    assert result.exit_code == 0, result.output
    rows = rows_of(path, ";")
    assert rows[0][0] == header
    if kind in ("students", "scores", "incubation", "submissions"):
        assert len(rows) > 1


def test_an_unknown_kind_fails_with_a_clear_message(app, db, world, tmp_path):
    result, path = export(app, tmp_path, "juries")
    assert result.exit_code != 0
    assert "unknown export kind 'juries'" in result.output
    assert "students, teams" in result.output and not path.exists()


def test_without_an_edition_the_export_fails(app, db, tmp_path):
    result, _path = export(app, tmp_path, "teams")
    assert result.exit_code == 1


def test_organisers_download_any_edition_with_a_semicolon_option(db, world, as_user):
    client = as_user(world.organizer)
    base = f"/organizer/cockpit/exports/{world.edition.id}"
    comma = client.get(base + "/teams.csv").get_data(as_text=True)
    semicolon = client.get(base + "/teams.csv?sep=semicolon")
    assert comma.startswith("\ufeffteam,challenge,email\r\n")
    assert semicolon.get_data(as_text=True).startswith("\ufeffteam;challenge;email\r\n")
    assert semicolon.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get(base + "/bogus.csv").status_code == 400


def test_only_a_closed_edition_is_archived_then_it_is_read_only(db, world, as_user):
    with pytest.raises(Conflict):
        archive_edition(world.organizer, world.edition.id)
    world.edition.phase = "closed"
    db.session.commit()
    organizer = as_user(world.organizer)
    path = f"/organizer/cockpit/editions/{world.edition.id}/archive"
    unconfirmed = post(organizer, path)  # archiving cannot be undone: the box is required
    assert unconfirmed.status_code == 302
    assert not db.session.get(Edition, world.edition.id).archived
    response = post(organizer, path, {"confirm": "y"})
    assert response.status_code == 302
    assert db.session.get(Edition, world.edition.id).archived
    assert db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.action == "edition.archive")) is not None
    with pytest.raises(Conflict):
        compute_flags(world.organizer, db.session.get(Edition, world.edition.id))
    page = text(as_user(world.organizer).get("/organizer/cockpit/exports"))
    assert f"/editions/{world.edition.id}/archive" not in page
