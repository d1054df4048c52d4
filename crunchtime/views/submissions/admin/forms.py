"""Organiser forms: filters, the submission settings, an extension, a stage, feedback.
Times are typed in Paris time and stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crunchtime.i18n import PARIS
from crunchtime.services.submissions.deadlines import (
    FILE_MB_RANGE,
    GRACE_MINUTES_RANGE,
    TEAM_MB_RANGE,
)
from crunchtime.services.submissions.words import STATUS_LABELS
from crunchtime.services.teams.milestone_admin import EXPECTED_MAX, LABEL_MAX, StageFields
from crunchtime.services.teams.words import DELIVERABLE_KIND_LABELS
from crunchtime.views.forms import choices_from

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
PARIS_HELP = _l("Paris time.")


def from_paris(value: datetime | None) -> datetime | None:
    """A time typed in Paris (naive) as an aware UTC datetime."""
    return value.replace(tzinfo=PARIS).astimezone(UTC) if value else None


def to_paris(value: datetime | None) -> datetime | None:
    """A stored UTC time as the naive Paris time a datetime-local input shows."""
    return value.astimezone(PARIS).replace(tzinfo=None) if value else None


def paris_field(label, required: bool = False) -> DateTimeLocalField:
    message = _l("Enter a date and a time.")
    return DateTimeLocalField(label, format=LOCAL_FORMAT, description=PARIS_HELP,
                              validators=[InputRequired(message) if required else Optional()])


class SubmissionFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)])
    challenge = SelectField(_l("Challenge"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=[SelectChoice("", _l("All")), *choices_from(STATUS_LABELS)])


class SettingsForm(FlaskForm):
    deadline = paris_field(_l("Submission deadline"))
    grace_minutes = IntegerField(
        _l("Grace after the deadline (minutes)"),
        description=_l("A save that finishes arriving within this many minutes after the "
                       "deadline is still accepted (a large upload on a slow connection). "
                       "From 0 to 15."),
        validators=[InputRequired(), NumberRange(*GRACE_MINUTES_RANGE)])
    max_file_mb = IntegerField(_l("Largest file (MB)"),
                               validators=[InputRequired(), NumberRange(*FILE_MB_RANGE)])
    max_team_upload_mb = IntegerField(_l("All files of a team (MB)"),
                                      validators=[InputRequired(), NumberRange(*TEAM_MB_RANGE)])
    company_view_during_week = BooleanField(
        _l("Companies may read their teams' submissions during the week (otherwise once "
           "the deadline has passed)."))
    submit = SubmitField(_l("Save the settings"))


class ExtensionForm(FlaskForm):
    until = paris_field(_l("Extended until"), required=True)
    submit = SubmitField(_l("Grant the extension"))


class FeedbackForm(FlaskForm):
    text = TextAreaField(_l("Feedback"), validators=[
        InputRequired(_l("Write your feedback.")), Length(max=2000)])
    submit = SubmitField(_l("Send the feedback"))


class StageForm(FlaskForm):
    label_fr = StringField(_l("Name in French"), validators=[
        InputRequired(_l("Give the stage a name.")), Length(max=LABEL_MAX)])
    label_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=LABEL_MAX)])
    expected = TextAreaField(_l("Expected deliverable"),
                             validators=[Optional(), Length(max=EXPECTED_MAX)])
    deliverable_kind = SelectField(_l("Kind of deliverable"),
                                   choices=choices_from(DELIVERABLE_KIND_LABELS))
    due_at = paris_field(_l("Due"))
    position = IntegerField(_l("Order"), default=1, validators=[InputRequired(),
                                                                NumberRange(0, 99)])
    submit = SubmitField(_l("Save the stage"))

    def to_fields(self) -> StageFields:
        return StageFields(self.label_fr.data or "", self.label_en.data or "",
                           self.expected.data or "", self.deliverable_kind.data,
                           from_paris(self.due_at.data), self.position.data or 0)
