"""Files that are not what they claim, too large, or named to escape: refused, and nothing
is written, neither rows nor bytes on disk."""

from __future__ import annotations

import pytest

from tests.challenges import samples
from tests.helpers import says
from tests.team_world import counts, files_on_disk, save, versions

ACCEPTED = "GIF, JPG, MOV, MP4, ODP, PDF, PNG, PPTX, WEBM, WEBP"
SVG_WITH_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                   b"<script>alert(document.cookie)</script></svg>")


@pytest.mark.parametrize(("name", "content", "msgid"), [
    ("pitch.pdf", samples.PLAIN_ZIP,
     "This file's content is not a type we accept. Accepted: %(types)s."),
    ("setup.exe", samples.EXE, "Programs and scripts are not accepted."),
    ("rapport.pdf", samples.ELF, "Programs and scripts are not accepted."),
    ("logo.svg", SVG_WITH_SCRIPT, "Web pages, SVG and other markup files are not accepted."),
    ("maquette.pdf", samples.PNG,
     "The file name's extension does not match its content (which is %(kind)s)."),
    ("notes.docx", samples.DOCX, "This type of file is not accepted here. Accepted: %(types)s."),
    ("pitch.pptm", samples.PPTM, "Documents with macros are not accepted."),
])
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_written(
    app, as_user, db, team, lea, name, content, msgid
):
    client = as_user(lea)
    before = files_on_disk(app)
    response = save(client, team, title="Hy-Bus",
                    files=[("ok.pdf", samples.PDF), (name, content)])
    assert response.status_code == 200
    assert says(response, msgid, types=ACCEPTED, kind="PNG")
    assert counts() == (0, 0, 0) and files_on_disk(app) == before


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "/etc/cron.d/pitch.pdf",
                                  "pitch/../../../app.pdf"])
def test_a_file_name_that_climbs_folders_is_refused(app, as_user, db, team, lea, name):
    before = files_on_disk(app)
    response = save(as_user(lea), team, title="Hy-Bus", files=[(name, samples.PDF)])
    assert response.status_code == 200
    assert says(response, "The file name “%(name)s” contains a folder path; rename the file "
                          "and add it again.", name=name)
    assert counts() == (0, 0, 0) and files_on_disk(app) == before


@pytest.mark.parametrize(("name", "climbs"), [
    ("..\\..\\windows\\pitch.pdf", True), ("\\\\server\\share\\x.pdf", True),
    ("a/../b.pdf", True), ("rapport\x00.pdf", True), ("C:\\Users\\lea\\Pitch.pdf", False),
    ("Pitch final..v2.pdf", False), ("..pdf", False),
])
def test_names_that_climb_folders_are_told_apart_from_odd_but_harmless_ones(name, climbs):
    from crunchtime.files.storage import names_a_path

    assert names_a_path(name) is climbs


def test_a_file_over_the_edition_limit_gets_a_413_stating_it(app, as_user, db, edition, team,
                                                              lea):
    edition.max_file_mb = 1
    db.session.commit()
    before = files_on_disk(app)
    response = save(as_user(lea), team, title="Hy-Bus",
                    files=[("gros.pdf", samples.big_pdf(1024 * 1024 + 10))])
    assert response.status_code == 413
    assert says(response, "The file is too large: the limit is %(mb)d MB per file.", mb=1)
    assert counts() == (0, 0, 0) and files_on_disk(app) == before


def test_files_over_the_team_limit_get_a_413_and_the_earlier_files_stay(app, as_user, db,
                                                                         edition, team, lea):
    edition.max_file_mb, edition.max_team_upload_mb = 1, 1
    db.session.commit()
    client = as_user(lea)
    save(client, team, title="Hy-Bus", files=[("a.pdf", samples.big_pdf(700 * 1024))])
    before, on_disk = counts(), files_on_disk(app)
    response = save(client, team, base_version=1, title="Hy-Bus 2",
                    files=[("b.pdf", samples.big_pdf(700 * 1024))])
    assert response.status_code == 413
    assert says(response, "Your team's files would take more than the limit of %(mb)d MB per "
                          "team. Remove a file or add a smaller one.", mb=1)
    assert counts() == before and files_on_disk(app) == on_disk
    assert versions(team)[-1].title == "Hy-Bus"


def test_a_request_over_the_server_limit_gets_a_413_stating_it(make_app, db, team, lea):
    small = make_app(MAX_CONTENT_LENGTH=1024 * 1024)
    client = small.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = lea.get_id()
    response = save(client, team, title="Hy-Bus", files=[("a.pdf", samples.big_pdf(1_200_000))])
    assert response.status_code == 413
    assert says(response, "What you sent is too large: the limit is %(mb)d MB.", mb=1)
    assert counts() == (0, 0, 0)


def test_a_short_webm_video_is_accepted(as_user, db, team, lea):
    webm = (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3"
            b"\x81\x08\x42\x82\x84webm\x42\x87\x81\x02\x42\x85\x81\x02" + b"\0" * 64)
    response = save(as_user(lea), team, title="Hy-Bus", files=[("demo.webm", webm)])
    assert response.status_code == 302 and versions(team)[0].changed_fields[-1] == "files"
