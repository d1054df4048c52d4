"""Organisers' matching forms: adjust a preview, pin, publish."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, StringField, SubmitField
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from crunchtime.services.matching.words import INCOMPLETE_CHOICES
from crunchtime.views.forms import choices_from

STUDENT_EMAIL = [InputRequired(_l("Enter the student's e-mail address.")), Length(max=254),
                 Email(_l("Enter a valid e-mail address."), check_deliverability=False)]


class MoveForm(FlaskForm):
    student = StringField(_l("Student (e-mail)"), validators=STUDENT_EMAIL)
    challenge = StringField(_l("Challenge code"),
                            validators=[InputRequired(_l("Enter a challenge code.")),
                                        Length(max=8)])
    team = IntegerField(_l("Team number"), default=1,
                        validators=[InputRequired(_l("Enter a team number.")),
                                    NumberRange(1, 10, _l("Teams are numbered 1 to 10."))])
    submit = SubmitField(_l("Move"))


class SwapForm(FlaskForm):
    first = StringField(_l("First student (e-mail)"), validators=STUDENT_EMAIL)
    second = StringField(_l("Second student (e-mail)"), validators=STUDENT_EMAIL)
    submit = SubmitField(_l("Swap"))


class PinForm(FlaskForm):
    student = StringField(_l("Student (e-mail)"), validators=STUDENT_EMAIL)
    challenge = StringField(_l("Challenge code"),
                            validators=[InputRequired(_l("Enter a challenge code.")),
                                        Length(max=8)])
    submit = SubmitField(_l("Pin and run again"))


class RunForm(FlaskForm):
    """Run the matching, choosing what happens to incomplete profiles and missing wishes
    (students without consent are never placed, whatever the choice)."""

    incomplete = RadioField(
        _l("Students with an incomplete profile or who ranked no challenge"),
        choices=choices_from(INCOMPLETE_CHOICES), default="place_by_fit")
    submit = SubmitField(_l("Run the matching"))


class PublishForm(FlaskForm):
    confirm = BooleanField(
        _l("I confirm: the teams become visible to students, who are told by e-mail."),
        validators=[InputRequired(_l("Tick the box to confirm the publication."))])
    replace = BooleanField(_l("Replace the teams already published"))
    publish_anyway = BooleanField(_l("Publish anyway, with the friend groups split"))
    leave_unplaced = BooleanField(
        _l("Publish anyway: the students counted above get no team"))
    submit = SubmitField(_l("Publish the teams"))


SIZE_RANGE = NumberRange(2, 10, _l("Team sizes are between 2 and 10."))


class TeamSettingsForm(FlaskForm):
    """Team size bounds and the diversity cap used by the next runs."""

    min_size = IntegerField(_l("Smallest team"), validators=[
        InputRequired(_l("Enter the smallest team size.")), SIZE_RANGE])
    max_size = IntegerField(_l("Largest team"), validators=[
        InputRequired(_l("Enter the largest team size.")), SIZE_RANGE])
    diversity_cap = IntegerField(
        _l("At most this many students of one programme per team"),
        description=_l("Leave empty for no cap."),
        validators=[Optional(), NumberRange(1, 10, _l("The cap is between 1 and 10."))])
    submit = SubmitField(_l("Save the team settings"))

    def validate_max_size(self, field) -> None:
        low = self.min_size.data
        if isinstance(low, int) and isinstance(field.data, int) and low > field.data:
            raise ValidationError(_l("The largest team cannot be smaller than the smallest."))
