"""Forms of the company pages: a challenge and its attachments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    EmailField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crunchtime.services.challenges.drafts import TEAMS_MAX, TEAMS_MIN, TEXT_MAX, ChallengeFields
from crunchtime.views.accounts.auth.forms import EMAIL_MESSAGE

TEAMS_MESSAGE = _l("The number of teams must be between %(low)d and %(high)d.",
                   low=TEAMS_MIN, high=TEAMS_MAX)


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (usable with a keyboard and on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def long_text(label, description):
    return TextAreaField(label, validators=[Optional(), Length(max=TEXT_MAX)],
                         description=description)


class ChallengeForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Give the challenge a title.")), Length(max=200)],
    )
    problem = long_text(_l("Problem statement"), _l(
        "The problem the students should work on: who has it, and why it matters."))
    context = long_text(_l("Context"), _l(
        "Background, constraints, data or equipment the teams can use."))
    deliverable = long_text(_l("Expected deliverable"), _l(
        "What a team should hand in at the end of the week: a prototype, a mock-up, a study…"))
    skills = CheckboxesField(_l("Skills wanted"), coerce=int)
    teams_wanted = IntegerField(
        _l("Number of teams wanted"),
        default=1,
        validators=[InputRequired(TEAMS_MESSAGE), NumberRange(TEAMS_MIN, TEAMS_MAX, TEAMS_MESSAGE)],
        description=_l("Several teams of 5 or 6 students can work on the same challenge."),
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=160)],
                               description=_l("The person the organisers and teams can ask."))
    contact_email = EmailField(
        _l("Contact e-mail address"),
        validators=[Optional(), Length(max=254),
                    Email(EMAIL_MESSAGE, check_deliverability=False)],
        description=_l("The organisers' decisions are sent to this address."),
    )
    submit = SubmitField(_l("Save the draft"))

    def to_fields(self) -> ChallengeFields:
        return ChallengeFields(
            title=self.title.data or "", problem=self.problem.data or "",
            context=self.context.data or "", deliverable=self.deliverable.data or "",
            skill_ids=tuple(self.skills.data or ()), teams_wanted=self.teams_wanted.data,
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
        )


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to add."))])
    submit = SubmitField(_l("Add the file"))


class ActionForm(FlaskForm):
    """Only a CSRF token: for one-button actions (submit, delete)."""
