"""Organisers' matching forms: adjust a preview, pin, publish."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, NumberRange

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


class PublishForm(FlaskForm):
    confirm = BooleanField(
        _l("I confirm: the teams become visible to students, who are told by e-mail."),
        validators=[InputRequired(_l("Tick the box to confirm the publication."))])
    replace = BooleanField(_l("Replace the teams already published"))
    submit = SubmitField(_l("Publish the teams"))
