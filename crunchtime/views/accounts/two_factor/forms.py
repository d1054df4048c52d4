"""Forms of two-step verification: a code from the app (or a recovery code) and, at login,
whether to remember the device."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import InputRequired, Length


def app_code_field(label=None):
    """Six digits from the authenticator app (spaces allowed, as some apps show them)."""
    return StringField(
        label or _l("Code from your app"),
        validators=[InputRequired(_l("Enter the 6-digit code your app shows.")), Length(max=12)],
        description=_l("6 digits, renewed every 30 seconds."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "spellcheck": "false", "autocapitalize": "off", "maxlength": 12},
    )


def any_code_field(label=None):
    """A code from the app, or one of the recovery codes."""
    return StringField(
        label or _l("Verification code"),
        validators=[InputRequired(_l("Enter the code your app shows, or a recovery code.")),
                    Length(max=40)],
        description=_l("The 6 digits your authenticator app shows, or one of your recovery "
                       "codes (XXXX-XXXX-XXXX-XXXX) if you no longer have your phone."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false",
                   "autocapitalize": "characters", "maxlength": 40},
    )


class VerifyForm(FlaskForm):
    """The second step of a login."""

    code = any_code_field()
    remember = BooleanField(
        _l("Remember this device for 12 hours"),
        description=_l("Only on a computer or phone that is yours: this browser will not ask "
                       "for a code again for 12 hours."),
    )
    submit = SubmitField(_l("Verify"))


class EnrolForm(FlaskForm):
    code = app_code_field()
    submit = SubmitField(_l("Turn on two-step verification"))


class RegenerateCodesForm(FlaskForm):
    code = any_code_field()
    submit = SubmitField(_l("Make new recovery codes"))


class DisableForm(FlaskForm):
    code = any_code_field()
    submit = SubmitField(_l("Turn off two-step verification"))


class ResetSecondFactorForm(FlaskForm):
    """An organiser's reset of another account's second factor."""

    confirm = BooleanField(
        _l("I checked that this request really comes from this person."),
        validators=[InputRequired(_l("Confirm that you checked who is asking."))],
    )
    submit = SubmitField(_l("Reset the second factor"))
