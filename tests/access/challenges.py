"""Access matrix entries of the challenges area: company pages, moderation, catalogue.

The company user's organisation owns every challenge below, so the company gets its
pages while the other roles are refused; the edition is in the registration phase, so
students see the catalogue's "not open yet" page and cannot download attachments.
"""

from __future__ import annotations

from tests.access.common import LOGIN, only

COMPANY_ACTION = {"anonymous": LOGIN, "student": 403, "company": 302, "jury": 403,
                  "organizer": 403}
ORGANIZER_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                    "organizer": 302}
DRAFT = "/company/challenges/{draft_id}"

ENTRIES = {
    "company.challenge_list": ("GET", "/company/challenges", None, only("company")),
    "company.new_challenge": ("GET", "/company/challenges/new", None, only("company")),
    "company.view_challenge": ("GET", DRAFT, None, only("company")),
    "company.edit_challenge": ("GET", DRAFT + "/edit", None, only("company")),
    "company.submit_challenge": ("POST", DRAFT + "/submit", {}, COMPANY_ACTION),
    "company.upload_attachment": ("POST", DRAFT + "/attachments", {}, only("company")),
    "company.delete_attachment": (
        "POST", DRAFT + "/attachments/{draft_attachment_id}/delete", {}, COMPANY_ACTION),
    "moderation.queue": ("GET", "/organizer/challenges", None, only("organizer")),
    "moderation.review": ("GET", "/organizer/challenges/{submitted_id}", None,
                          only("organizer")),
    "moderation.approve": ("POST", "/organizer/challenges/{submitted_id}/approve", {},
                           ORGANIZER_ACTION),
    "moderation.send_back": ("POST", "/organizer/challenges/{submitted_id}/send-back",
                             {"comment": "Précisez le livrable."}, ORGANIZER_ACTION),
    "moderation.organisation_list": ("GET", "/organizer/organisations", None,
                                     only("organizer")),
    "moderation.invite_contact": ("POST", "/organizer/organisations/invite", {},
                                  only("organizer")),
    "catalogue.index": ("GET", "/challenges/", None, only("student", "jury", "organizer")),
    "catalogue.detail": ("GET", "/challenges/{approved_code}", None,
                         only("student", "jury", "organizer")),
    "catalogue.attachment": ("GET", "/challenges/attachments/{approved_attachment_id}", None,
                             {"anonymous": LOGIN, "student": 404, "company": 200, "jury": 200,
                              "organizer": 200}),
}


def _attach(db, challenge):
    import io

    from crunchtime.files import storage
    from crunchtime.models import ChallengeAttachment
    from tests.challenges import samples

    stored = storage.save_upload(io.BytesIO(samples.PDF), "sujet.pdf", max_bytes=10_000)
    attachment = ChallengeAttachment(
        stored_name=stored.stored_name, original_name=stored.display_name,
        content_type=stored.content_type, size=stored.size, sha256=stored.sha256)
    challenge.attachments.append(attachment)
    db.session.commit()
    return attachment


def url_values(db, people) -> dict:
    from crunchtime.services.editions.current import current_edition
    from tests import factories

    edition = current_edition()
    organisation = people["company"].organisation
    complete = {"problem": "Un problème.", "deliverable": "Un prototype.",
                "contact_name": "Camille Martin", "contact_email": "camille@example.org"}
    draft = factories.challenge(edition, organisation, status="draft", **complete)
    submitted = factories.challenge(edition, organisation, status="submitted", **complete)
    approved = factories.challenge(edition, organisation, status="approved", **complete)
    return {
        "draft_id": draft.id,
        "draft_attachment_id": _attach(db, draft).id,
        "submitted_id": submitted.id,
        "approved_code": approved.code,
        "approved_attachment_id": _attach(db, approved).id,
    }
