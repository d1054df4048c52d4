"""Jury forms: the scoring sheet (one radio scale per criterion), the incubation nomination,
the absent switch and conflicts of interest."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from crunchtime.services.judging.ledger.writes import COMMENT_MAX
from crunchtime.services.judging.nominations import RATING_MAX, RATING_MIN
from crunchtime.services.judging.words import CONFLICT_KIND_LABELS, NOMINATION_CRITERIA
from crunchtime.views.forms import choices_from

CRITERION_PREFIX = "criterion_"


def optional_int(value) -> int | None:
    return int(value) if value not in ("", None) else None


class ScoreSheetForm(FlaskForm):
    """The fields every sheet has; `score_sheet_form` adds one scale per criterion."""

    batch = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{32}$")])
    comment = TextAreaField(
        _l("Comment (optional)"), validators=[Optional(), Length(max=COMMENT_MAX)],
        description=_l("Seen by the organisers. After the results, they may show it to the "
                       "team as feedback, with your name or anonymised."),
    )
    submit = SubmitField(_l("Save my scores"))
    submit_next = SubmitField(_l("Save and go to the next team"))

    def criterion_fields(self):
        return [field for field in self if field.name.startswith(CRITERION_PREFIX)]

    def chosen_values(self) -> dict[int, int]:
        """Criterion id → the value ticked (criteria left blank are not in it)."""
        return {int(field.name.removeprefix(CRITERION_PREFIX)): int(field.data)
                for field in self.criterion_fields()
                if field.data not in (None, "", "None") and str(field.data).lstrip("-").isdigit()}


def score_sheet_form(criteria, label_of, **kwargs) -> ScoreSheetForm:
    """A sheet for these criteria: a radio scale from each one's bottom to its top."""

    class Sheet(ScoreSheetForm):
        pass

    for criterion in criteria:
        setattr(Sheet, f"{CRITERION_PREFIX}{criterion.id}", RadioField(
            label_of(criterion), validate_choice=False,
            choices=[SelectChoice(str(v), str(v))
                     for v in range(criterion.scale_min, criterion.scale_max + 1)],
        ))
    return Sheet(**kwargs)


def rating_field(label) -> SelectField:
    choices = [SelectChoice("", "—")] + [SelectChoice(str(v), str(v))
                                         for v in range(RATING_MIN, RATING_MAX + 1)]
    return SelectField(label, choices=choices, coerce=optional_int, validate_choice=False)


class NominationForm(FlaskForm):
    commitment = rating_field(NOMINATION_CRITERIA["commitment"])
    problem_validated = rating_field(NOMINATION_CRITERIA["problem_validated"])
    feasibility = rating_field(NOMINATION_CRITERIA["feasibility"])
    impact = rating_field(NOMINATION_CRITERIA["impact"])
    comment = TextAreaField(_l("Why this team should be incubated (optional)"),
                            validators=[Optional(), Length(max=COMMENT_MAX)])
    submit = SubmitField(_l("Nominate for incubation"))
    withdraw = SubmitField(_l("Withdraw my nomination"))

    def ratings(self) -> dict[str, int | None]:
        return {name: getattr(self, name).data for name in NOMINATION_CRITERIA}


class AbsentForm(FlaskForm):
    absent = HiddenField(validators=[InputRequired()])


class ConflictForm(FlaskForm):
    kind = RadioField(_l("The conflict is with"), choices=choices_from(CONFLICT_KIND_LABELS),
                      validators=[InputRequired(_l("Choose what the conflict is with."))])
    team = SelectField(_l("Team"), coerce=optional_int, validate_choice=False)
    organisation = SelectField(_l("Organisation"), coerce=optional_int, validate_choice=False)
    student = StringField(_l("Student (name or e-mail address)"),
                          validators=[Optional(), Length(max=254)])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=500)],
                         description=_l("For example: my former intern, a family member."))
    submit = SubmitField(_l("Declare the conflict"))
