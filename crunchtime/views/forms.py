"""Helpers shared by the forms of every blueprint."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms.fields.choices import SelectChoice

from crunchtime.errors import DomainError, InvalidInput


def choices_from(labels: dict) -> list[SelectChoice]:
    """Select options from a {value: translatable label} mapping."""
    return [SelectChoice(value, label) for value, label in labels.items()]


def csv_file_field() -> FileField:
    """The upload field of every CSV import (students, challenges, past outcomes)."""
    return FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose the CSV file to import.")),
            FileAllowed(["csv"], _l("Choose a .csv file (in Excel: Save as, “CSV UTF-8”).")),
        ],
        render_kw={"accept": ".csv,text/csv"},
    )


def attach_error(form, error: DomainError) -> None:
    """Show a service's refusal on the field it names, or at the top of the form."""
    field_name = error.details.get("field")
    field = getattr(form, field_name, None) if field_name else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for one-button actions."""


def flash_outcome(form, action, success, refusals=(InvalidInput,)) -> bool:
    """For a small form whose page redirects: validate it, run `action()`, and flash either
    the form's errors, a refusal of the kinds in `refusals` (others reach the error pages),
    or `success` (a text, or a function of the action's result)."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return False
    try:
        result = action()
    except refusals as error:
        flash(error.message, "error")
        return False
    flash(success(result) if callable(success) else success, "success")
    return True


# The faces that read a JSON body; every other one takes form data.
JSON_BLUEPRINTS = frozenset({"jury_api"})


def refuse_json_to_forms() -> None:
    """Before every request: a page's form reads form data. A JSON body sent to it, which
    Flask-WTF would otherwise try to read as the form's fields (a 500 on `false`), is
    refused with a 400 in the client's terms."""
    if (request.is_json and request.method not in ("GET", "HEAD", "OPTIONS")
            and request.blueprint not in JSON_BLUEPRINTS):
        raise InvalidInput(_("This address takes a form, not JSON."))
