"""Importing the registrar's students file: all-or-nothing, idempotent, invitations once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import Forbidden, PhaseClosed
from crunchtime.extensions import db as _db
from crunchtime.models import AuditEvent, OutboxMessage, Preference, Programme, Skill, User
from crunchtime.models.base import utcnow
from crunchtime.services.exchange.imports import ImportRejected, import_students
from tests import factories
from tests.exchange.conftest import count, profile_by_email, ranked_codes, written_rows
from tests.exchange.samples import codes, student, students_csv
from tests.helpers import count_queries, last_mail_to, link_in, path_of, post_form


def run(edition, data, actor=None, **kwargs):
    return import_students(edition, data, actor, filename="inscrits.csv", **kwargs)


def test_new_students_get_an_account_a_complete_profile_and_an_invitation(
    db, edition, challenges, organizer
):
    data = students_csv(
        student(email="Anne.Dupont@ETU.utbm.fr", first_name="Anne", last_name="Dupont",
                programme="Énergie", year="4", skills="Hydrogène;Python",
                interests="Énergie\nverte", choices="C003;C001;C002", group="g7"),
        student(email="li.wu@etu.utbm.fr", skills="", interests="", choices=""),
    )
    report = run(edition, data, organizer)
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert report.invitations == 2
    user = db.session.scalar(sa.select(User).where(User.email == "anne.dupont@etu.utbm.fr"))
    assert (user.role, user.first_name, user.password_hash) == ("student", "Anne", None)
    profile = profile_by_email(db, user.email)
    assert (profile.programme.name, profile.year_of_study) == ("Énergie", 4)
    assert [skill.name for skill in profile.skills] == ["Hydrogène", "Python"]
    assert profile.interests == "Énergie\nverte" and profile.friend_group_key == "G7"
    assert ranked_codes(profile) == ["C003", "C001", "C002"]
    assert [p.rank for p in profile.preferences] == [1, 2, 3]
    # Complete only once the student accepts the privacy notice on first login.
    assert profile.completed_at is None and profile.consent_at is None
    assert ranked_codes(profile_by_email(db, "li.wu@etu.utbm.fr")) == []
    mail = last_mail_to("anne.dupont@etu.utbm.fr")
    assert mail.kind == "invite" and "/invitation/" in mail.body and "Anne" in mail.body


def test_the_invitation_link_lets_the_student_choose_a_password_once(app, db, edition):
    run(edition, students_csv(student(email="zoe@etu.utbm.fr", first_name="Zoé")))
    path = path_of(link_in(last_mail_to("zoe@etu.utbm.fr").body))
    client = app.test_client()
    response = post_form(client, path, {"password": "un-mot-de-passe-solide",
                                        "confirm": "un-mot-de-passe-solide"})
    assert response.status_code == 302 and response.headers["Location"] == "/student/"
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "zoe@etu.utbm.fr"))
    assert user.password_hash is not None
    assert app.test_client().get(path).status_code == 400


def test_reimporting_the_same_file_changes_nothing_and_sends_no_mail(db, edition, challenges):
    data = students_csv(*[student(choices="C001;C002;C003", group="duo") for _ in range(2)],
                        student())
    first = run(edition, data)
    before = written_rows(db)
    again = run(edition, data)
    assert (again.created, again.updated, again.unchanged, again.invitations) == (0, 0, 3, 0)
    assert again.new_programmes == [] and again.new_skills == []
    after = written_rows(db)
    assert after.pop("AuditEvent") == before.pop("AuditEvent") + 1
    assert after == before and first.created == 3


def test_an_updated_file_updates_the_rows_it_changes_and_counts_them(db, edition, challenges):
    rows = [student(choices="C001;C002;C003") for _ in range(4)]
    run(edition, students_csv(*rows))
    rows[0] = {**rows[0], "year": "5"}
    rows[1] = {**rows[1], "first_name": "Camila"}
    rows[2] = {**rows[2], "choices": "C003;C002;C001"}
    report = run(edition, students_csv(*rows, student()))
    assert (report.created, report.updated, report.unchanged) == (1, 3, 1)
    assert profile_by_email(db, rows[0]["email"]).year_of_study == 5
    assert profile_by_email(db, rows[1]["email"]).user.first_name == "Camila"
    assert ranked_codes(profile_by_email(db, rows[2]["email"])) == ["C003", "C002", "C001"]
    assert count(db, OutboxMessage) == 5


def test_an_empty_choices_cell_keeps_what_the_student_ranked_in_the_app(
    db, edition, challenges
):
    row = student(email="rang@etu.utbm.fr", choices="")
    run(edition, students_csv(row))
    profile = profile_by_email(db, "rang@etu.utbm.fr")
    db.session.add_all([Preference(student_id=profile.id, challenge_id=challenges[code].id,
                                   rank=rank) for rank, code in enumerate(("C005", "C004"), 1)])
    db.session.commit()
    kept = run(edition, students_csv(row))
    assert kept.unchanged == 1
    assert ranked_codes(profile_by_email(db, "rang@etu.utbm.fr")) == ["C005", "C004"]
    replaced = run(edition, students_csv({**row, "choices": "C001;C002;C003;C006"}))
    assert replaced.updated == 1
    assert ranked_codes(profile_by_email(db, "rang@etu.utbm.fr")) == [
        "C001", "C002", "C003", "C006"]


def test_empty_optional_cells_keep_the_group_skills_and_interests_entered_in_the_app(
    db, edition
):
    row = student(email="garde@etu.utbm.fr", skills="CAO", interests="Robots", group="TRIO")
    run(edition, students_csv(row))
    report = run(edition, students_csv({**row, "skills": "", "interests": "", "group": ""}))
    assert report.unchanged == 1
    profile = profile_by_email(db, "garde@etu.utbm.fr")
    assert ([s.name for s in profile.skills], profile.interests, profile.friend_group_key) == (
        ["CAO"], "Robots", "TRIO")


def test_a_student_who_registered_is_updated_not_invited(db, edition):
    registered = factories.student(edition, email="deja@etu.utbm.fr", first_name="Léa")
    report = run(edition, students_csv(student(email="DEJA@etu.utbm.fr", first_name="Léa",
                                               last_name=registered.last_name, year="2")))
    assert (report.created, report.updated, report.invitations) == (0, 1, 0)
    profile = profile_by_email(db, "deja@etu.utbm.fr")
    assert profile.year_of_study == 2
    assert last_mail_to("deja@etu.utbm.fr") is None


def test_a_student_of_an_earlier_edition_gets_a_profile_in_this_one(db, edition):
    earlier = factories.edition(phase="closed", current=False)
    factories.student(earlier, email="ancien@etu.utbm.fr", password=None)
    report = run(edition, students_csv(student(email="ancien@etu.utbm.fr")))
    assert (report.created, report.invitations) == (1, 1)
    assert count(db, User) == 1
    assert profile_by_email(db, "ancien@etu.utbm.fr") is not None


def test_new_programmes_and_skills_are_added_and_known_ones_matched_whatever_their_case(
    db, edition
):
    db.session.add_all([Programme(edition_id=edition.id, name="Énergie"),
                        Skill(edition_id=edition.id, name="Python")])
    db.session.commit()
    data = students_csv(student(programme="energie", skills="python;Soudure"),
                        student(programme="Design", skills="soudure;Impression 3D"))
    report = run(edition, data)
    assert report.new_programmes == ["Design"]
    assert report.new_skills == ["Soudure", "Impression 3D"]
    names = db.session.scalars(sa.select(Programme.name).order_by(Programme.name)).all()
    assert names == ["Design", "Énergie"]
    assert count(db, Skill) == 3


def test_an_account_of_another_role_is_a_row_problem(db, edition):
    factories.company_user(email="contact@alstom.fr")
    data = students_csv(student(), student(email="Contact@Alstom.fr"))
    with pytest.raises(ImportRejected) as refused:
        run(edition, data)
    assert codes(refused.value.report.problems) == [(3, "email", "email_not_student")]
    assert count(db, User) == 1


def test_one_broken_row_refuses_the_whole_file_and_writes_nothing(db, edition, challenges):
    before = written_rows(db)
    data = students_csv(student(programme="Nouveau"), student(year="9"),
                        student(choices="C009;C404;C001"), student(skills="Neuve"))
    with pytest.raises(ImportRejected) as refused:
        run(edition, data)
    report = refused.value.report
    assert codes(report.problems) == [(3, "year", "out_of_range"),
                                      (4, "choices", "challenge_not_approved"),
                                      (4, "choices", "unknown_challenge")]
    assert report.broken_lines == [3, 4]
    assert written_rows(db) == before
    assert count(db, Programme) == 0 and count(db, Skill) == 0


def test_a_group_full_with_students_who_joined_in_the_app_is_refused(db, edition):
    for _ in range(2):
        other = factories.student(edition)
        profile_by_email(db, other.email).friend_group_key = "AMIS"
    db.session.commit()
    data = students_csv(student(group="amis"), student(group="amis"))
    with pytest.raises(ImportRejected) as refused:
        run(edition, data)
    assert codes(refused.value.report.problems) == [(2, "group", "group_full_in_app"),
                                                    (3, "group", "group_full_in_app")]


def test_a_student_whose_data_was_deleted_is_refused(db, edition):
    gone = factories.student(edition, email="parti@etu.utbm.fr")
    profile_by_email(db, gone.email).deleted_at = utcnow()
    db.session.commit()
    with pytest.raises(ImportRejected) as refused:
        run(edition, students_csv(student(email="parti@etu.utbm.fr")))
    assert codes(refused.value.report.problems) == [(2, "email", "student_deleted")]


def test_the_import_is_audited_once_with_the_counts(db, edition, organizer):
    run(edition, students_csv(student(), student()), organizer)
    [event] = db.session.scalars(sa.select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.edition_id) == (
        "import.students", organizer.id, edition.id)
    assert event.details["filename"] == "inscrits.csv"
    assert (event.details["created"], event.details["rows"]) == (2, 2)


def test_progress_is_reported_up_to_every_row(db, edition):
    calls = []
    run(edition, students_csv(*[student() for _ in range(260)]),
        progress=lambda done, total: calls.append((done, total)))
    assert calls == [(250, 260), (260, 260)]


def test_the_import_sends_a_few_queries_whatever_the_number_of_rows(db, edition, challenges):
    def queries(rows: int) -> int:
        data = students_csv(*[student(choices="C001;C002;C003") for _ in range(rows)])
        with count_queries(_db.engine) as counter:
            run(edition, data)
            run(edition, data)
        return counter.count

    assert queries(600) <= queries(20) + 20


def test_only_organisers_import_and_only_in_the_open_phases(db, edition, student_user):
    with pytest.raises(Forbidden):
        run(edition, students_csv(student()), student_user)
    edition.phase = "matching"
    db.session.commit()
    with pytest.raises(PhaseClosed):
        run(edition, students_csv(student()))


@pytest.fixture
def student_user(db, edition):
    return factories.student(edition)


def test_with_smtp_the_invitations_are_sent_after_the_commit(app, db, edition, monkeypatch):
    import smtplib

    from tests.test_mail import FakeSMTP

    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    run(edition, students_csv(student(email="smtp@etu.utbm.fr"), student()))
    assert len(FakeSMTP.sent) == 2
    assert "smtp@etu.utbm.fr" in {message["To"] for message in FakeSMTP.sent}
    assert last_mail_to("smtp@etu.utbm.fr").sent_at is not None
