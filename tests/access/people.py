"""Access matrix entries: the student's profile, group and choices; organisers' people pages."""

from __future__ import annotations

from tests.access.common import only

ENTRIES = {
    "student.profile": ("GET", "/student/profile", None, only("student")),
    "student.rank": ("GET", "/student/preferences", None, only("student")),
    "student.create_group": ("POST", "/student/group/create", {}, {
        "anonymous": "login", "student": 302, "company": 403, "jury": 403, "organizer": 403}),
    "student.join_group": ("POST", "/student/group/join", {"code": "NOPE"}, {
        "anonymous": "login", "student": 302, "company": 403, "jury": 403, "organizer": 403}),
    "student.leave_group": ("POST", "/student/group/leave", {}, {
        "anonymous": "login", "student": 302, "company": 403, "jury": 403, "organizer": 403}),
    "people.students": ("GET", "/organizer/students", None, only("organizer")),
    "people.students_csv": ("GET", "/organizer/students.csv", None, only("organizer")),
    "people.companies": ("GET", "/organizer/companies", None, only("organizer")),
    "people.companies_csv": ("GET", "/organizer/companies.csv", None, only("organizer")),
    "people.juries_csv": ("GET", "/organizer/juries.csv", None, only("organizer")),
    "people.demand": ("GET", "/organizer/demand", None, only("organizer")),
    "people.demand_json": ("GET", "/organizer/demand.json", None, only("organizer")),
    "people.vocabulary_list": ("GET", "/organizer/lists/skill", None, only("organizer")),
    "people.vocabulary_remove": ("POST", "/organizer/lists/skill/{skill_id}/remove", {}, {
        "anonymous": "login", "student": 403, "company": 403, "jury": 403, "organizer": 302}),
}


def url_values(db, people) -> dict:
    from crunchtime.models import Skill
    from crunchtime.services.editions.current import current_edition

    skill = Skill(edition_id=current_edition().id, name="Soudure")
    db.session.add(skill)
    db.session.commit()
    return {"skill_id": skill.id}
