"""Organisers' filters (GET, no CSRF) and list-management forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

YES_NO = [SelectChoice("", _l("All")), SelectChoice("yes", _l("Yes")),
          SelectChoice("no", _l("No"))]


class StudentFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    programme = SelectField(_l("Programme"), validators=[Optional()], validate_choice=False)
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(1, 8)])
    complete = SelectField(_l("Profile complete"), choices=YES_NO, validators=[Optional()])
    ranked = SelectField(_l("Choices given"), choices=YES_NO, validators=[Optional()])
    group = SelectField(_l("In a friend group"), choices=YES_NO, validators=[Optional()])


class VocabularyEntryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(_l("Enter a name.")),
                                               Length(max=80)])
    submit = SubmitField(_l("Add"))
