"""The attestation as a document: an HTML template in the chosen language, printed to PDF by
WeasyPrint with the machine's DejaVu fonts (no web font, nothing fetched)."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import segno
from flask import render_template
from flask_babel import force_locale

from crunchtime.i18n import LANGUAGES
from crunchtime.services.attestations.facts import AttestationFacts

TEMPLATE = "attestations/document.html"
# WeasyPrint logs seven steps per document at INFO: a batch of 1,700 would drown the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def attestation_html(facts: AttestationFacts, locale: str) -> str:
    """The HTML that WeasyPrint prints, in `locale` (French when unknown)."""
    locale = locale if locale in LANGUAGES else "fr"
    qr = segno.make(facts.verify_url, error="m").svg_data_uri(border=0, dark="#1a1a1a")
    with force_locale(locale):
        return render_template(TEMPLATE, facts=facts, locale=locale, qr=qr)


class Printer:
    """Prints attestations to PDF; one printer shares its font set across a batch."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()

    def pdf(self, facts: AttestationFacts, locale: str) -> bytes:
        from weasyprint import HTML

        html = attestation_html(facts, locale)
        return HTML(string=html).write_pdf(font_config=self.fonts)

    def write(self, facts: AttestationFacts, locale: str, target: Path) -> None:
        """Write the PDF to `target` whole or not at all (a temporary file, then a rename)."""
        data = self.pdf(facts, locale)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".attestation-",
                                             suffix=".pdf.part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
