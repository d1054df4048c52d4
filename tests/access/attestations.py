"""Access matrix entries of attestations: the student's page and PDF, the public check.

The edition is in the registration phase: the matrix student's PDF is refused (409) until
the results are published; anyone may check a reference."""

from __future__ import annotations

from tests.access.common import ALL_OK, only

ENTRIES = {
    "attestations.mine": ("GET", "/attestations/", None, only("student")),
    "attestations.download": ("GET", "/attestations/attestation.pdf?lang=fr", None,
                              {**only("student"), "student": 409}),
    "attestations.check": ("GET", "/attestations/verify", None, ALL_OK),
    "attestations.verify": ("GET", "/attestations/verify/{attestation_reference}", None,
                            ALL_OK),
}


def url_values(db, people) -> dict:
    """A student of another team holding an attestation."""
    from crunchtime.models import Attestation, StudentProfile
    from crunchtime.models.base import utcnow
    from crunchtime.services.attestations.facts import new_reference
    from crunchtime.services.editions.current import current_edition
    from tests import factories

    edition = current_edition()
    holder = factories.student(edition)
    factories.team(edition, members=[holder])
    profile = db.session.query(StudentProfile).filter_by(user_id=holder.id).one()
    attestation = Attestation(edition_id=edition.id, student_id=profile.id,
                              reference=new_reference(), issued_at=utcnow())
    db.session.add(attestation)
    db.session.commit()
    return {"attestation_reference": attestation.reference}
