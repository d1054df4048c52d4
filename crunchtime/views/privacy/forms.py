"""RGPD forms: a student's deletion request, an organiser's refusal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from crunchtime.services.privacy.requests import NOTE_MAX


class DeletionRequestForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand: my account will be closed and my personal data erased; my team's "
           "project stays, without my name."),
        validators=[InputRequired(_l("Tick the box to confirm your request."))])
    submit = SubmitField(_l("Ask for the deletion of my data"))


class RefusalForm(FlaskForm):
    note = TextAreaField(_l("Reason for refusing"), validators=[
        InputRequired(_l("Give the reason for refusing.")), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Refuse the request"))
