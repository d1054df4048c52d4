"""Account forms: field rules live here, not in the views. Whether an address already has an
account is never checked here: registration must not tell (the service mails the owner)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from crunchtime.security import passwords
from crunchtime.services.accounts.words import ORGANISATION_KIND_LABELS, password_weakness_message
from crunchtime.views.forms import choices_from

EMAIL_MESSAGE = _l("Enter a valid e-mail address, such as prenom.nom@utbm.fr.")


def email_field(label=None):
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            InputRequired(_l("Enter your e-mail address.")),
            Length(max=254),
            Email(EMAIL_MESSAGE, check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields(label=None):
    """The (password, confirmation) pair, created where the form declares it (field order)."""
    password = PasswordField(
        label or _l("Password"),
        validators=[InputRequired(_l("Choose a password."))],
        description=_l("At least %(n)d characters; avoid your name.", n=passwords.MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Confirm the password"),
        validators=[
            InputRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class NewPasswordMixin:
    """Refuses weak passwords as the user types them, with the reason."""

    def validate_password(self, field):
        email = self.email.data if hasattr(self, "email") else ""
        names = tuple(
            getattr(self, name).data or ""
            for name in ("first_name", "last_name")
            if hasattr(self, name)
        )
        reason = passwords.weakness(field.data or "", email or "", names)
        if reason:
            raise ValidationError(password_weakness_message(reason))


class RegistrationForm(NewPasswordMixin, FlaskForm):
    first_name = StringField(
        _l("First name"),
        validators=[InputRequired(_l("Enter your first name.")), Length(max=80)],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Last name"),
        validators=[InputRequired(_l("Enter your last name.")), Length(max=80)],
        render_kw={"autocomplete": "family-name"},
    )
    email = email_field()
    password, confirm = new_password_fields()


class StudentRegistrationForm(RegistrationForm):
    submit = SubmitField(_l("Create my student account"))


class CompanyRegistrationForm(RegistrationForm):
    organisation = StringField(
        _l("Organisation"),
        validators=[InputRequired(_l("Enter the name of your organisation.")), Length(max=160)],
        render_kw={"autocomplete": "organization"},
    )
    organisation_kind = SelectField(
        _l("Kind of organisation"),
        choices=choices_from(ORGANISATION_KIND_LABELS),
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Create my organisation account"))


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"))


class ResendVerificationForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send the link again"))


class ConfirmEmailForm(FlaskForm):
    submit = SubmitField(_l("Confirm my e-mail address"))


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Save my password"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields(_l("New password"))
    submit = SubmitField(_l("Change my password"))
