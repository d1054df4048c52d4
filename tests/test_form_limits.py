"""Client and server limits are equal: a field that refuses more than N characters says so to
the browser (maxlength=N), whether the input is rendered by WTForms or written by hand in a
template, and N never exceeds what the database column holds."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from html.parser import HTMLParser
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_wtf import FlaskForm
from werkzeug.exceptions import HTTPException
from wtforms.validators import Length

import crunchtime.views
from crunchtime.extensions import db as _db
from crunchtime.models import Membership, StudentProfile
from crunchtime.teamwork import naming
from tests import factories
from tests.access import all_entries, matrix_world
from tests.access.common import ROLES
from tests.helpers import client_for, text
from tests.team_world import post_action

# Where a field is stored when its name alone does not tell (several tables have a column of
# that name) or differs from the column's. Keys: module under crunchtime.views, form, field.
COLUMNS = {
    "accounts.auth.forms.CompanyRegistrationForm.organisation": "organisation.name",
    "accounts.people.forms.VocabularyEntryForm.name": "skill.name",  # programme.name is longer
    "editions.organizer.forms.EditionForm.name": "edition.name",
    "judging.admin.forms.CriterionForm.label_fr": "criterion.label_fr",
    "judging.admin.forms.CriterionForm.label_en": "criterion.label_en",
    "judging.admin.forms.RoundForm.name": "judging_round.name",
    "judging.admin.forms.RoundSettingsForm.name": "judging_round.name",
    "scheduling.forms.RoomForm.name": "room.name",
    "scheduling.forms.RoomForm.site": "room.site",
    "scheduling.forms.UnavailabilityForm.note": "jury_unavailability.remark",
    "presence.forms.PointForm.name": "check_in_point.name",
    "presence.forms.PointForm.site": "check_in_point.site",
    # an address a university identity also records: the account's is the one typed
    "accounts.auth.forms.RegistrationForm.email": "user_account.email",
    "accounts.auth.forms.ResendVerificationForm.email": "user_account.email",
    "accounts.auth.forms.StudentRegistrationForm.email": "user_account.email",
    "challenges.moderation.InviteContactForm.email": "user_account.email",
    "editions.organizer.forms.JuryInvitationForm.email": "user_account.email",
    "submissions.admin.forms.StageForm.label_fr": "milestone.label_fr",
    "submissions.admin.forms.StageForm.label_en": "milestone.label_en",
    "challenges.company.forms.ChallengeForm.title": "challenge.title",
    "teams.team.forms.SubmissionForm.title": "submission_version.title",
    "teams.team.forms.TeamNameForm.name": "team.name",
}
# Fields whose value is looked up, never stored as typed.
NOT_STORED = {
    "accounts.student.forms.JoinGroupForm.code": "typed with spaces or dashes, removed before "
                                                 "the code is looked up",
    "accounts.two_factor.forms.DisableForm.code": "a one-time or recovery code, checked",
    "accounts.two_factor.forms.EnrolForm.code": "a one-time code, checked",
    "accounts.two_factor.forms.RegenerateCodesForm.code": "a one-time code, checked",
    "accounts.two_factor.forms.VerifyForm.code": "a one-time or recovery code, checked",
    "attestations.ReferenceForm.reference": "typed with spaces, dashes or O for 0, normalised "
                                            "before the reference is looked up",
    "presence.forms.ShortCodeForm.code": "a student's personal code, looked up",
}


def form_classes() -> dict[str, type[FlaskForm]]:
    """Every form class defined under crunchtime/views/, by dotted name."""
    found = {}
    for info in pkgutil.walk_packages(crunchtime.views.__path__, "crunchtime.views."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, FlaskForm)
                    and value.__module__ == module.__name__):
                found[f"{info.name.removeprefix('crunchtime.views.')}.{name}"] = value
    return found


def max_length(field) -> int | None:
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    return min(limits) if limits else None


def limited_fields(app) -> list[tuple[str, object, int]]:
    """(form.field, bound field, N) for every field with a Length(max=N) validator."""
    fields = []
    with app.test_request_context():
        for name, cls in sorted(form_classes().items()):
            for field in cls(meta={"csrf": False}):
                if (limit := max_length(field)) is not None:
                    fields.append((f"{name}.{field.name}", field, limit))
    return fields


def string_columns() -> dict[str, dict[str, int]]:
    """column name -> {table.column: length} for every column of bounded length."""
    columns: dict[str, dict[str, int]] = {}
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            if getattr(column.type, "length", None):
                columns.setdefault(column.name, {})[f"{table.name}.{column.name}"] = (
                    column.type.length)
    return columns


def test_the_walk_finds_the_forms_of_every_area(app):
    names = {name.split(".")[0] for name, _field, _limit in limited_fields(app)}
    assert {"accounts", "teams", "submissions", "challenges", "judging"} <= names


def test_every_limited_field_renders_its_maxlength(app):
    with app.test_request_context():
        wrong = [(name, limit, field()) for name, field, limit in limited_fields(app)
                 if f'maxlength="{limit}"' not in str(field())]
    assert wrong == []


def test_no_field_accepts_more_than_its_column_holds(app):
    columns = string_columns()
    too_long, undecided = [], []
    for name, field, limit in limited_fields(app):
        if name in NOT_STORED:
            continue
        if name in COLUMNS:
            column = COLUMNS[name].split(".")[1]
            candidates = {COLUMNS[name]: columns[column][COLUMNS[name]]}
        else:
            candidates = columns.get(field.name, {})
            if len(candidates) > 1:
                undecided.append((name, sorted(candidates)))
                continue
        too_long += [(name, limit, where, length) for where, length in candidates.items()
                     if limit > length]
    assert too_long == []
    assert undecided == [], "say in COLUMNS (or NOT_STORED) where these fields are stored"


class _Inputs(HTMLParser):
    """The forms of a page: action -> [(input name, maxlength or None)]."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self.forms.append((attributes.get("action") or "", []))
        elif tag in ("input", "textarea") and self.forms and attributes.get("name"):
            self.forms[-1][1].append((attributes["name"], attributes.get("maxlength")))


def forms_of_view(app, endpoint: str) -> list[type[FlaskForm]]:
    """The form classes a view function names (unwrapped from its decorators)."""
    view = inspect.unwrap(app.view_functions[endpoint])
    return [value for name in view.__code__.co_names
            if inspect.isclass(value := view.__globals__.get(name))
            and issubclass(value, FlaskForm)]


def join_matrix_team(db, student, team_id: int, edition) -> None:
    """Make the matrix's student a member of its team, so that the team pages are seen."""
    profile = db.session.scalar(sa.select(StudentProfile).filter_by(user_id=student.id,
                                                                   edition_id=edition.id))
    db.session.add(Membership(team_id=team_id, student_id=profile.id, edition_id=edition.id))
    db.session.commit()


def test_every_rendered_form_announces_the_limits_its_view_checks(app, db, edition):
    """The crawl: each role's pages of the access matrix, each POST form on them, checked
    against the form classes of the view it posts to (hand-written inputs included)."""
    users, values = matrix_world(db, edition)
    join_matrix_team(db, users["student"], values["team_id"], edition)
    adapter = app.url_map.bind("localhost")
    pages = [path.format(**values) for method, path, _data, _expected
             in all_entries().values() if method == "GET"]
    checked, wrong = 0, []
    for role in ROLES:
        client = client_for(app, users[role]) if users[role] else app.test_client()
        for page in pages:
            response = client.get(page)
            if response.status_code != 200 or response.mimetype != "text/html":
                response.close()
                continue
            parser = _Inputs()
            parser.feed(text(response))
            for action, inputs in parser.forms:
                try:
                    endpoint, _args = adapter.match(urlsplit(action or page).path, method="POST")
                except HTTPException:
                    continue
                with app.test_request_context():
                    limits = {field.name: max_length(field)
                              for cls in forms_of_view(app, endpoint)
                              for field in cls(meta={"csrf": False})}
                for name, shown in inputs:
                    if limits.get(name) is None:
                        continue
                    checked += 1
                    if shown != str(limits[name]):
                        wrong.append((page, endpoint, name, shown, limits[name]))
    print(f"limited inputs checked: {checked}")
    assert checked >= 10, "the crawl found too few limited inputs to mean anything"
    assert sorted(set(wrong)) == []


def test_the_team_name_field_allows_exactly_what_the_server_accepts(as_user, db):
    edition = factories.edition(phase="building")
    lea = factories.student(edition)
    team = factories.team(edition, members=[lea], name="Les Voltaiques")
    client = as_user(lea)
    assert f'maxlength="{naming.MAX_LENGTH}"' in text(client.get(f"/team/{team.id}"))

    longest = "Les " + "x" * (naming.MAX_LENGTH - 4)
    post_action(client, f"/team/{team.id}/name", {"name": longest})
    db.session.refresh(team)
    assert team.name == longest

    post_action(client, f"/team/{team.id}/name", {"name": longest + "y"})
    db.session.refresh(team)
    assert team.name == longest
