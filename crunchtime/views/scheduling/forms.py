"""Forms of the schedule: rooms, the window, unavailabilities, a move, the guard rails.
Times are typed in Paris time and stored in UTC."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crunchtime.models.scheduling import MAX_TABLES
from crunchtime.services.scheduling.words import SLOT_STATE_LABELS
from crunchtime.views.forms import choices_from
from crunchtime.views.submissions.admin.forms import paris_field


class RoomForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(_l("Give the room a name.")),
                                               Length(max=120)],
                       description=_l("As it is signposted, for example: B 204."))
    site = StringField(_l("Site"), validators=[Optional(), Length(max=120)],
                       description=_l("For example: Belfort, Sevenans."))
    capacity = IntegerField(_l("Seats"), default=0,
                            validators=[InputRequired(_l("Enter the number of seats.")),
                                        NumberRange(0, 5000)])
    tables = IntegerField(
        _l("Panel tables"), default=1,
        description=_l("How many panels can hear a pitch in this room at the same time."),
        validators=[InputRequired(_l("Enter the number of panel tables.")),
                    NumberRange(1, MAX_TABLES)])
    submit = SubmitField(_l("Save the room"))


class RemoveRoomForm(FlaskForm):
    acknowledge = BooleanField(_l("I understand: move its pitches to the other rooms"))
    submit = SubmitField(_l("Remove the room"))


class WindowForm(FlaskForm):
    window_start = paris_field(_l("Start of the pitches"), required=True)
    window_end = paris_field(_l("End of the pitches"), required=True)
    slot_minutes = IntegerField(
        _l("Slot length (minutes)"), default=20,
        description=_l("Pitch, questions and changeover together."),
        validators=[InputRequired(_l("Enter the slot length.")), NumberRange(5, 240)])
    breaks = TextAreaField(
        _l("Breaks (optional)"), validators=[Optional(), Length(max=2000)],
        description=_l("One per line in Paris time, such as “12:00-13:30”."))
    submit = SubmitField(_l("Save the window"))


class UnavailabilityForm(FlaskForm):
    jury = SelectField(_l("Jury"), coerce=int, validate_choice=False,
                       validators=[InputRequired(_l("Choose a jury."))])
    starts_at = paris_field(_l("Unavailable from"), required=True)
    ends_at = paris_field(_l("Until"), required=True)
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add the unavailability"))


class GuardForm(FlaskForm):
    """A one-button action that may need the organiser to acknowledge what it changes."""

    acknowledge = BooleanField(_l("I understand"))


class MoveForm(FlaskForm):
    room = SelectField(_l("Room"), coerce=int, validate_choice=True)
    start = SelectField(_l("Time"), validate_choice=True)
    acknowledge = BooleanField(_l("I understand that the people named above see the change "
                                  "at once"))
    submit = SubmitField(_l("Move the pitch"))


class LockForm(FlaskForm):
    locked = HiddenField(validators=[InputRequired()])


class PitchStateForm(FlaskForm):
    state = SelectField(_l("State"), choices=choices_from(SLOT_STATE_LABELS))
