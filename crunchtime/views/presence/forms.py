"""Presence forms: the week's sessions and points, a check-in by code, an absence and its
decision, the staff's scanner and list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crunchtime.services.presence.absences import NOTE_MAX, REASON_MAX
from crunchtime.services.presence.sessions import NAME_MAX
from crunchtime.services.presence.words import PART_LABELS
from crunchtime.views.forms import choices_from
from crunchtime.views.submissions.admin.forms import paris_field


class DefaultWeekForm(FlaskForm):
    first_day = DateField(_l("First day of the week"),
                          validators=[InputRequired(_l("Enter the first day."))])
    submit = SubmitField(_l("Create the five days (morning and afternoon)"))


class SessionForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day."))])
    part = SelectField(_l("Part of the day"), choices=choices_from(PART_LABELS),
                       validators=[InputRequired()])
    starts_at = paris_field(_l("Starts at"), required=True)
    ends_at = paris_field(_l("Ends at"), required=True)
    label = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=NAME_MAX)],
                        description=_l("Shown instead of the day and the part, e.g. "
                                       "“Opening ceremony”."))
    submit = SubmitField(_l("Save the session"))


class PointForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        InputRequired(_l("Name the check-in point.")), Length(max=NAME_MAX)],
        description=_l("e.g. “Main entrance” or “Room B204”."))
    site = StringField(_l("Site (optional)"), validators=[Optional(), Length(max=NAME_MAX)])
    submit = SubmitField(_l("Save the check-in point"))


class ConfirmCheckInForm(FlaskForm):
    confirmation = HiddenField(validators=[InputRequired()])
    submit = SubmitField(_l("Check me in"))


class ShortCodeForm(FlaskForm):
    code = StringField(_l("Code shown under the QR code"), validators=[
        InputRequired(_l("Type the six characters shown at the door.")), Length(max=20)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters",
                   "spellcheck": "false", "inputmode": "text"})
    submit = SubmitField(_l("Check in"))


class AbsenceForm(FlaskForm):
    session = SelectField(_l("Session"), validate_choice=False,
                          validators=[InputRequired(_l("Choose the session."))])
    reason = TextAreaField(_l("Reason"), validators=[
        InputRequired(_l("Say why you are (or were) absent.")), Length(max=REASON_MAX)])
    document = FileField(_l("Proof (optional): PDF or image"),
                         description=_l("A medical certificate, a convocation… "
                                        "Checked like the team's files."),
                         render_kw={"accept": ".pdf,.png,.jpg,.jpeg,.webp"})
    submit = SubmitField(_l("Declare the absence"))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[SelectChoice("accept", _l("Accept (justified)")),
                                                   SelectChoice("refuse", _l("Refuse"))],
                          validators=[InputRequired(_l("Choose to accept or refuse."))])
    note = StringField(_l("Note to the student (optional)"),
                       validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Record the decision"))


class RosterFilterForm(FlaskForm):
    class Meta:
        csrf = False

    session = SelectField(_l("Session"), validate_choice=False)
    team = SelectField(_l("Team"), validate_choice=False)


class RosterForm(FlaskForm):
    present = SelectMultipleField(_l("Present"), validate_choice=False, coerce=int,
                                  option_widget=CheckboxInput(), widget=ListWidget())
    submit = SubmitField(_l("Save the list"))
