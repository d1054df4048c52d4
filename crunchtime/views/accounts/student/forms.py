"""Student forms: profile, friend group, ranked choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crunchtime.services.challenges.preferences import MAX_CHOICES, MIN_CHOICES


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes: easier than a multi-select on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_int(value) -> int | None:
    """Select values: "" (the "choose…" option) becomes None."""
    return int(value) if value not in ("", None) else None


class ProfileForm(FlaskForm):
    programme = SelectField(_l("Programme"), coerce=optional_int,
                            validators=[InputRequired(_l("Choose your programme."))])
    year = IntegerField(
        _l("Year of study"),
        validators=[InputRequired(_l("Enter your year of study.")),
                    NumberRange(1, 8, _l("The year of study must be between 1 and 8."))],
        description=_l("1 for the first year after the baccalaureate, up to 5 (or more)."),
    )
    skills = CheckboxesField(_l("Skills"), coerce=int, validate_choice=False)
    interests = TextAreaField(
        _l("Interests"), validators=[Optional(), Length(max=2000)],
        description=_l("What you would like to work on, in French or English: energy, "
                       "health, design, software… It helps us place you well."),
    )
    consent = BooleanField(_l("I have read the privacy notice and agree that my data is "
                              "processed to run the event."))
    submit = SubmitField(_l("Save my profile"))


class JoinGroupForm(FlaskForm):
    code = StringField(_l("Group code"),
                       validators=[InputRequired(_l("Enter the code your friend gave you.")),
                                   Length(max=40)])
    submit = SubmitField(_l("Join the group"))


def ordinal_label(rank: int):
    return {1: _l("1st choice"), 2: _l("2nd choice"), 3: _l("3rd choice"),
            4: _l("4th choice"), 5: _l("5th choice")}[rank]


class PreferencesForm(FlaskForm):
    choice1 = SelectField(ordinal_label(1), default="")
    choice2 = SelectField(ordinal_label(2), default="")
    choice3 = SelectField(ordinal_label(3), default="")
    choice4 = SelectField(ordinal_label(4), default="", description=_l("Optional"))
    choice5 = SelectField(ordinal_label(5), default="", description=_l("Optional"))
    submit = SubmitField(_l("Save my choices"))

    def choice_fields(self):
        return [getattr(self, f"choice{rank}") for rank in range(1, MAX_CHOICES + 1)]

    def codes(self) -> list[str]:
        return [field.data for field in self.choice_fields() if field.data]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        fields = self.choice_fields()
        for field in fields[:MIN_CHOICES]:
            if not field.data:
                field.errors.append(_l("Choose a challenge."))
        seen = {}
        for field in fields:
            if field.data and field.data in seen:
                field.errors.append(_l("You already chose this challenge above."))
            seen.setdefault(field.data, field)
        return not any(field.errors for field in fields)


