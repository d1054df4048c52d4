"""A challenge's attachments: PDF or images checked by content, limited in size and number,
changed only while the challenge itself can change."""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from crunchtime.errors import InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.files import PDF_AND_IMAGES, storage
from crunchtime.models import Challenge, ChallengeAttachment, User
from crunchtime.services.audit import record_audit
from crunchtime.services.challenges.drafts import company_organisation, require_changeable

ATTACHMENT_KINDS = PDF_AND_IMAGES


def attachment_limits() -> tuple[int, int]:
    """(largest file in bytes, files per challenge), overridable in the app config."""
    config = current_app.config
    return (config["CHALLENGE_ATTACHMENT_MAX_MB"] * storage.MEGABYTE,
            config["CHALLENGE_ATTACHMENTS_MAX"])


def add_attachment(
    author: User, challenge: Challenge, stream: BinaryIO, filename: str
) -> ChallengeAttachment:
    """Store a PDF or image checked by its content, within the size and count limits."""
    company_organisation(author)
    edition = require_changeable(challenge)
    max_bytes, max_files = attachment_limits()
    if len(challenge.attachments) >= max_files:
        raise InvalidInput(_("A challenge can have at most %(n)d attachments.", n=max_files),
                           field="file")
    stored = storage.save_upload(stream, filename, max_bytes=max_bytes,
                                 allowed=ATTACHMENT_KINDS)
    attachment = ChallengeAttachment(
        stored_name=stored.stored_name, original_name=stored.display_name,
        content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
    )
    challenge.attachments.append(attachment)
    db.session.flush()
    record_audit(author, "challenge.attachment_add", challenge, edition_id=edition.id,
                 code=challenge.code, attachment_id=attachment.id, name=stored.display_name,
                 sha256=stored.sha256, size=stored.size)
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage.delete_stored(stored.stored_name)
        raise
    return attachment


def remove_attachment(author: User, challenge: Challenge, attachment_id: int) -> None:
    company_organisation(author)
    edition = require_changeable(challenge)
    attachment = next((a for a in challenge.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound(_("This attachment does not exist."))
    stored_name = attachment.stored_name
    challenge.attachments.remove(attachment)
    record_audit(author, "challenge.attachment_remove", challenge, edition_id=edition.id,
                 code=challenge.code, attachment_id=attachment_id,
                 name=attachment.original_name)
    db.session.commit()
    storage.delete_stored(stored_name)
