"""Attestations: the student's download page and PDF, and the public verification page."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from crunchtime.access import role_required
from crunchtime.errors import DomainError, InvalidInput
from crunchtime.extensions import limiter
from crunchtime.i18n import LANGUAGES
from crunchtime.services.attestations import facts as attestations
from crunchtime.services.attestations.documents import Printer
from crunchtime.services.editions.current import current_edition, require_current_edition

blueprint = Blueprint("attestations", __name__, url_prefix="/attestations")

# Printing a PDF costs a fraction of a second of CPU: enough for any student, not a loop.
DOWNLOADS_PER_STUDENT = "10 per minute;60 per hour"
# References are 60 random bits: this only keeps a guessing script from costing anything.
CHECKS_PER_ADDRESS = "60 per minute"


def _student_key() -> str:
    return f"attestation:{current_user.id}"


class LanguageForm(FlaskForm):
    class Meta:
        csrf = False

    lang = SelectField(_l("Language of the attestation"),
                       choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
                       validators=[InputRequired()])


class ReferenceForm(FlaskForm):
    class Meta:
        csrf = False

    reference = StringField(_l("Reference printed on the attestation"),
                            validators=[InputRequired(), Length(min=12, max=40)],
                            description=_l("For example: 7KQ2-M9XD-4HTA."))


@blueprint.route("/")
@role_required("student")
def mine():
    edition = current_edition()
    facts, refusal = None, None
    try:
        facts = attestations.student_facts(current_user, require_current_edition())
    except DomainError as error:
        refusal = error.message
    form = LanguageForm(formdata=None, lang=str(get_locale() or "fr"))
    return render_template("attestations/mine.html", edition=edition, facts=facts,
                           refusal=refusal, form=form)


@blueprint.route("/attestation.pdf")
@role_required("student")
@limiter.limit(DOWNLOADS_PER_STUDENT, key_func=_student_key)
def download():
    form = LanguageForm(request.args)
    if not form.validate():
        raise InvalidInput(_("Choose the language of the attestation."), field="lang")
    facts = attestations.student_facts(current_user, require_current_edition())
    pdf = Printer().pdf(facts, form.lang.data)
    name = f"attestation-{facts.reference}-{form.lang.data}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store"})


@blueprint.route("/verify")
def check():
    form = ReferenceForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("attestations.verify",
                                reference=attestations.normalise_reference(form.reference.data)))
    return render_template("attestations/check.html", form=form if request.args else
                           ReferenceForm(formdata=None))


@blueprint.route("/verify/<reference>")
@limiter.limit(CHECKS_PER_ADDRESS)
def verify(reference: str):
    try:
        facts = attestations.verified_facts(reference)
    except DomainError as error:
        if error.status != 404:
            raise
        return render_template("attestations/verify.html", facts=None, reference=reference,
                               form=ReferenceForm(formdata=None)), 404
    return render_template("attestations/verify.html", facts=facts, reference=reference,
                           form=None)
