"""Organiser forms."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crunchtime.services.editions.words import PHASE_LABELS
from crunchtime.views.accounts.auth.forms import email_field
from crunchtime.views.forms import choices_from


class PhaseForm(FlaskForm):
    phase = SelectField(_l("New phase"), choices=choices_from(PHASE_LABELS))
    confirm = BooleanField(
        _l("I confirm: this changes what every participant can do right now."),
        validators=[InputRequired(_l("Tick the box to confirm the change of phase."))],
    )
    close_rounds = BooleanField(
        _l("I understand that the open rounds close now."),
        description=_l("Needed only to move the edition to Results or Closed."))
    submit = SubmitField(_l("Change the phase"))


class EditionForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[InputRequired(_l("Give the edition a name.")), Length(max=120)],
        description=_l("For example: Crunch Time 2027"),
    )
    year = IntegerField(
        _l("Year"),
        default=lambda: date.today().year,
        validators=[
            InputRequired(_l("Enter the year.")),
            NumberRange(2000, 2100, _l("The year must be between 2000 and 2100.")),
        ],
    )
    submit = SubmitField(_l("Create the edition"))


class JuryInvitationForm(FlaskForm):
    first_name = StringField(
        _l("First name"), validators=[InputRequired(_l("Enter a first name.")), Length(max=80)]
    )
    last_name = StringField(
        _l("Last name"), validators=[InputRequired(_l("Enter a last name.")), Length(max=80)]
    )
    email = email_field()
    expertise = TextAreaField(
        _l("Expertise"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Fields the jury member knows well: energy, mobility, health, software…"),
    )
    submit = SubmitField(_l("Send the invitation"))


class ArchiveForm(FlaskForm):
    """Archiving cannot be undone: the service refuses it unless this box is ticked."""

    confirm = BooleanField(_l("I understand that archiving cannot be undone: the edition "
                              "becomes read-only for good."))
