"""A student completes a profile, and forms a friend group."""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import escape

from crunchtime.models import StudentProfile
from tests import factories
from tests.accounts.conftest import profile_of
from tests.helpers import csrf_token, fr, post_form, says, text


def profile_form(catalogue, **changes):
    data = {"programme": str(catalogue["programmes"][1].id), "year": "3",
            "skills": [str(catalogue["skills"][0].id), str(catalogue["skills"][2].id)],
            "interests": "L'hydrogène et la mobilité douce", "consent": "y"}
    data.update(changes)
    return data


def test_student_completes_the_profile(client, db, student, login, catalogue):
    login(student)
    assert client.get("/student/").status_code == 200
    response = post_form(client, "/student/profile", profile_form(catalogue))
    assert response.status_code == 302
    profile = profile_of(db, student)
    assert profile.programme.name == "Énergie" and profile.year_of_study == 3
    assert sorted(s.name for s in profile.skills) == ["Hydrogène", "Python"]
    assert profile.consent_at is not None and profile.is_complete
    assert "hydrogène" in profile.interests


def test_profile_without_consent_is_refused_and_keeps_the_input(client, db, student, login,
                                                                catalogue):
    login(student)
    data = profile_form(catalogue)
    del data["consent"]
    response = post_form(client, "/student/profile", data)
    assert response.status_code == 200
    assert says(response, "Accept the privacy notice: without it we cannot place you in a team.")
    assert "mobilité douce" in text(response)
    assert not profile_of(db, student).is_complete


def test_profile_bad_inputs_are_refused(client, db, student, login, catalogue):
    login(student)
    other_edition = factories.edition(current=False)
    from crunchtime.models import Programme

    foreign = Programme(edition_id=other_edition.id, name="Ailleurs")
    db.session.add(foreign)
    db.session.commit()
    for changes in ({"year": "9"}, {"year": ""}, {"programme": ""},
                    {"programme": str(foreign.id)}, {"skills": ["999999"]}):
        response = post_form(client, "/student/profile", profile_form(catalogue, **changes))
        assert response.status_code == 200, changes
    assert not profile_of(db, student).is_complete


def test_profile_is_read_only_once_matching_starts(client, db, student, login, catalogue):
    edition = db.session.scalar(sa.select(StudentProfile).where(
        StudentProfile.user_id == student.id)).edition_id
    from crunchtime.models import Edition

    db.session.get(Edition, edition).phase = "matching"
    db.session.commit()
    login(student)
    page = client.get("/student/profile")
    assert says(page, "Profiles can no longer be changed in this phase.")
    response = client.post("/student/profile", data={
        **profile_form(catalogue), "csrf_token": csrf_token(client, "/student/")})
    assert response.status_code == 409
    assert str(escape(fr("Registration"))) in text(response)
    assert not profile_of(db, student).is_complete


def test_friends_form_a_group_of_three_at_most(app, db, edition, catalogue):
    students = [factories.student(edition) for _ in range(4)]
    browsers = []
    for student in students:
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["_user_id"] = student.get_id()
        browsers.append(browser)
    browsers[0].post("/student/group/create",
                     data={"csrf_token": csrf_token(browsers[0], "/student/profile")})
    code = profile_of(db, students[0]).friend_group_key
    assert code and len(code) == 16
    for browser in browsers[1:3]:
        browser.post("/student/group/join",
                     data={"code": code.lower(), "csrf_token": csrf_token(browser,
                                                                          "/student/profile")})
    assert {profile_of(db, s).friend_group_key for s in students[:3]} == {code}
    full = browsers[3].post("/student/group/join", data={
        "code": code, "csrf_token": csrf_token(browsers[3], "/student/profile")},
        follow_redirects=True)
    assert says(full, "This group is full: a group has at most %(n)d students.", n=3)
    assert profile_of(db, students[3]).friend_group_key is None
    page = text(browsers[1].get("/student/profile"))
    assert students[0].last_name in page and code in page

    browsers[1].post("/student/group/leave",
                     data={"csrf_token": csrf_token(browsers[1], "/student/profile")})
    assert profile_of(db, students[1]).friend_group_key is None
    unknown = browsers[3].post("/student/group/join", data={
        "code": "ZZZZZZ", "csrf_token": csrf_token(browsers[3], "/student/profile")},
        follow_redirects=True)
    assert says(unknown, "No group has the code %(code)s. Check it with your friend.",
                code="ZZZZZZ")
    assert fr("Friend group") in text(unknown)


def test_unticking_every_skill_saves_no_skill(client, db, student, login, catalogue):
    login(student)
    post_form(client, "/student/profile", profile_form(catalogue))
    data = profile_form(catalogue)
    del data["skills"]
    assert post_form(client, "/student/profile", data).status_code == 302
    assert profile_of(db, student).skills == []
