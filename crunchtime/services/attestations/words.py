"""The attestations area's words: why an attestation cannot be had (the labels of the document
itself are in its template, templates/attestations/document.html)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NOT_YET_OPEN = _l("Attestations are available once the results are published.")
NOT_REGISTERED = _l("You are not registered for this edition.")
NO_TEAM = _l("You were not in a team in this edition: an attestation states a team's work, "
             "so there is none to issue. Contact the organisers if this is a mistake.")
UNKNOWN_REFERENCE = _l("No attestation has this reference.")
