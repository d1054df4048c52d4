"""The organisers' announcement form: audience, French (and English) text, e-mail, time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from crunchtime.services.accounts.words import ROLE_LABELS
from crunchtime.services.announcements.posts import TEXT_MAX
from crunchtime.services.announcements.words import AUDIENCE_LABELS
from crunchtime.views.forms import choices_from
from crunchtime.views.submissions.admin.forms import paris_field


class AnnouncementForm(FlaskForm):
    audience = SelectField(_l("Recipients"), choices=choices_from(AUDIENCE_LABELS),
                           validators=[InputRequired()])
    role = SelectField(_l("Role (if “everyone of one role”)"), choices=choices_from(ROLE_LABELS),
                       validators=[Optional()])
    challenge = SelectField(_l("Challenge (if “the teams of one challenge”)"),
                            validate_choice=False, validators=[Optional()])
    team = SelectField(_l("Team (if “one team”)"), validate_choice=False,
                       validators=[Optional()])
    text_fr = TextAreaField(_l("Text in French"), validators=[
        InputRequired(_l("Write the announcement in French.")), Length(max=TEXT_MAX)])
    text_en = TextAreaField(_l("Text in English (optional)"),
                            validators=[Optional(), Length(max=TEXT_MAX)],
                            description=_l("Shown to those who use the site in English."))
    send_email = BooleanField(_l("Also send it by e-mail (through the outbox)"))
    scheduled_at = paris_field(_l("Publish at (leave empty to publish now)"))
    submit = SubmitField(_l("Publish the announcement"))
