"""Organiser forms of the incubation review: filters, weights, decisions, outcomes import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crunchtime.incubation import SIGNALS
from crunchtime.services.incubation.flags import FLAG_SHARE_RANGE
from crunchtime.services.incubation.review import NOTE_MAX
from crunchtime.services.incubation.words import SIGNAL_HELP, SIGNAL_LABELS, STATUS_LABELS
from crunchtime.views.forms import choices_from, csv_file_field

DECISIONS = {
    "shortlisted": _l("Shortlist (the team is told by e-mail)"),
    "declined": _l("Decline (give the reason)"),
    "incubated": _l("Incubated"),
    "flagged": _l("Back to review"),
}
ORDER_LABELS = {"score": _l("Transparent score"), "model": _l("Model probability")}


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    challenge = SelectField(_l("Challenge"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=[SelectChoice("", _l("All")), *choices_from(STATUS_LABELS)])
    order = SelectField(_l("Order"), validate_choice=False, choices=choices_from(ORDER_LABELS))


def _weight_field(signal: str) -> DecimalField:
    return DecimalField(SIGNAL_LABELS[signal], places=None, description=SIGNAL_HELP[signal],
                        validators=[InputRequired(_l("Enter a weight (0 if unused)."))])


class WeightsForm(FlaskForm):
    """One field per signal (percent); the service checks that they make a usable score."""

    flag_share = IntegerField(
        _l("Teams flagged by each ranking (per cent of the teams)"),
        validators=[InputRequired(_l("Enter a percentage.")),
                    NumberRange(*FLAG_SHARE_RANGE, _l("Between %(min)s and %(max)s."))])
    submit = SubmitField(_l("Save the weights and recompute"))


for _signal in SIGNALS:
    setattr(WeightsForm, _signal, _weight_field(_signal))


class DecisionForm(FlaskForm):
    status = SelectField(_l("Decision"), choices=choices_from(DECISIONS),
                         validators=[InputRequired()])
    note = TextAreaField(_l("Note for the committee (the reason, when declining)"),
                         validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Record the decision"))


class OutcomesForm(FlaskForm):
    edition = SelectField(_l("Past edition"), coerce=int,
                          validators=[InputRequired(_l("Choose the edition."))])
    file = csv_file_field()
    submit = SubmitField(_l("Import the outcomes"))
