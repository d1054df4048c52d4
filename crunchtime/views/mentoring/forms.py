"""The mentoring forms: a team's request, a mentor's resolution note, profile and office
hour, an organiser's jury switch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from crunchtime.services.mentoring.office_hours import PLACE_MAX
from crunchtime.services.mentoring.requests import LOCATION_MAX, NOTE_MAX, TOPIC_MAX
from crunchtime.services.mentoring.words import URGENCY_LABELS
from crunchtime.views.forms import choices_from
from crunchtime.views.submissions.admin.forms import paris_field

TAGS_HELP = _l("Separate them with commas, for example: ux, data, pitch.")


class HelpRequestForm(FlaskForm):
    topic = TextAreaField(_l("What do you need help with?"), validators=[
        InputRequired(_l("Say what you need help with.")), Length(max=TOPIC_MAX)],
        render_kw={"rows": 3})
    tags = StringField(_l("Expertise wanted (optional)"), description=TAGS_HELP,
                       validators=[Optional(), Length(max=300)],
                       render_kw={"list": "mentoring-tags", "autocomplete": "off"})
    location = StringField(_l("Where we are"), description=_l("Room, table, floor…"),
                           validators=[InputRequired(_l("Say where the mentor can find you.")),
                                       Length(max=LOCATION_MAX)])
    urgency = SelectField(_l("Urgency"), choices=choices_from(URGENCY_LABELS),
                          default="normal", validators=[InputRequired()])
    submit = SubmitField(_l("Ask for a mentor"))


class ResolveForm(FlaskForm):
    note = TextAreaField(_l("What was done"), validators=[
        InputRequired(_l("Write a short note on what was done.")), Length(max=NOTE_MAX)],
        render_kw={"rows": 2})
    submit = SubmitField(_l("Mark as resolved"))


class MentorProfileForm(FlaskForm):
    active = BooleanField(_l("I mentor teams this week"))
    tags = StringField(_l("My expertise"), description=TAGS_HELP,
                       validators=[Optional(), Length(max=300)],
                       render_kw={"list": "mentoring-tags", "autocomplete": "off"})
    submit = SubmitField(_l("Save my mentor profile"))


class OfficeHourForm(FlaskForm):
    starts_at = paris_field(_l("Start"), required=True)
    ends_at = paris_field(_l("End"), required=True)
    place = StringField(_l("Place"), validators=[
        InputRequired(_l("Say where the teams will find you.")), Length(max=PLACE_MAX)])
    submit = SubmitField(_l("Publish the slot"))


class JuryMentorForm(FlaskForm):
    active = BooleanField(_l("Mentors teams"))
    submit = SubmitField(_l("Save"))
