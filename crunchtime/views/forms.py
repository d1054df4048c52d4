"""Helpers shared by the forms of every blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from crunchtime.errors import DomainError


def choices_from(labels: dict) -> list[SelectChoice]:
    """Select options from a {value: translatable label} mapping."""
    return [SelectChoice(value, label) for value, label in labels.items()]


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
