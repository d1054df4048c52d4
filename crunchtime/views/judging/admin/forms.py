"""Organiser forms of the judging area: rounds, rubric, assignment, scores, results."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crunchtime.services.judging.ledger.retractions import REASON_MAX
from crunchtime.services.judging.words import ESTIMATOR_LABELS, ROUND_KIND_LABELS
from crunchtime.views.accounts.student.forms import CheckboxesField
from crunchtime.views.forms import choices_from


def juries_per_team_field() -> IntegerField:
    return IntegerField(
        _l("Juries per team"), default=3,
        validators=[InputRequired(_l("Enter how many juries score each team.")),
                    NumberRange(1, 20, _l("Between 1 and 20 juries per team."))])


def own_organisation_field() -> BooleanField:
    return BooleanField(
        _l("In a final round, a jury never scores a team working on its own organisation's "
           "challenge"), default=True)


class RoundForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)],
                       description=_l("For example: Round 1, Final."))
    kind = SelectField(_l("Kind"), choices=choices_from(ROUND_KIND_LABELS))
    juries_per_team = juries_per_team_field()
    exclude_own_organisation = own_organisation_field()
    submit = SubmitField(_l("Add the round"))


class RoundSettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(_l("Give the round a name.")),
                                               Length(max=120)])
    juries_per_team = juries_per_team_field()
    exclude_own_organisation = own_organisation_field()
    submit = SubmitField(_l("Save the settings"))


class CriterionForm(FlaskForm):
    label_fr = StringField(_l("Name in French"),
                           validators=[InputRequired(_l("Give the criterion a name.")),
                                       Length(max=120)])
    label_en = StringField(_l("Name in English (optional)"),
                           validators=[Optional(), Length(max=120)])
    weight = FloatField(_l("Weight"), default=1.0,
                        validators=[InputRequired(_l("Enter a weight.")),
                                    NumberRange(min=0.01, message=_l(
                                        "The weight must be greater than 0."))])
    scale_min = IntegerField(_l("Bottom of the scale"), default=0,
                             validators=[InputRequired(_l("Enter the bottom of the scale.")),
                                         NumberRange(-100, 100)])
    scale_max = IntegerField(_l("Top of the scale"), default=10,
                             validators=[InputRequired(_l("Enter the top of the scale.")),
                                         NumberRange(-100, 100)])
    levels = TextAreaField(
        _l("What each level means (optional)"), validators=[Optional(), Length(max=4000)],
        description=_l("One line per level, such as “0: nothing shown” or “10: tested with "
                       "real users”."))
    submit = SubmitField(_l("Save the criterion"))


class StatusForm(FlaskForm):
    status = HiddenField(validators=[InputRequired()])
    acknowledge = BooleanField(_l("I understand that the round is incomplete: close it "
                                  "anyway."))


class EstimatorForm(FlaskForm):
    estimator = SelectField(_l("Ranking shown to the public and used for the results"),
                            choices=choices_from(ESTIMATOR_LABELS))
    submit = SubmitField(_l("Save"))


class AssignForm(FlaskForm):
    seed = IntegerField(_l("Draw number"), default=0,
                        validators=[Optional(), NumberRange(0, 1_000_000)],
                        description=_l("Only breaks ties between equally good juries; the same "
                                       "number gives the same assignment."))
    submit = SubmitField(_l("Assign the juries"))


class PairForm(FlaskForm):
    jury = SelectField(_l("Jury member"), coerce=int, validate_choice=False)
    team = SelectField(_l("Team"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Assign by hand"))


class RetractForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[
        InputRequired(_l("Say why the score is retracted.")), Length(max=REASON_MAX)])
    submit = SubmitField(_l("Retract"))


class FinalistsForm(FlaskForm):
    teams = CheckboxesField(_l("Finalists"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Save the finalists"))


class PublishForm(FlaskForm):
    confirm = BooleanField(
        _l("I confirm: students and companies will see these results."),
        validators=[InputRequired(_l("Tick the box to confirm the publication."))])
    acknowledge = BooleanField(_l("I understand that the judging is incomplete: publish "
                                  "anyway."))
    submit = SubmitField(_l("Publish the results"))


class ReplayForm(FlaskForm):
    """Query arguments of the scores and rankings pages: a past seq, the k of P(top k)."""

    class Meta:
        csrf = False

    seq = IntegerField(_l("As of event no."), validators=[Optional(), NumberRange(min=1)])
    team = StringField(_l("Team code"), validators=[Optional(), Length(max=8)])
    k = IntegerField(_l("Top"), validators=[Optional(), NumberRange(1, 100)])
    submit = SubmitField(_l("Show"))
