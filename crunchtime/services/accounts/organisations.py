"""Organisations as organisers see them, and merging the duplicates registration creates."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    ConflictOfInterest,
    Interest,
    Organisation,
    User,
)
from crunchtime.services.accounts import invitations
from crunchtime.services.audit import record_audit
from crunchtime.services.challenges.drafts import refresh_search_text
from crunchtime.services.editions.current import current_edition


@dataclass(frozen=True)
class OrganisationSummary:
    organisation: Organisation
    members: int
    challenges: int


def listed_organisations() -> list[OrganisationSummary]:
    """Organisations not merged into another, with their member and challenge counts."""
    members = (sa.select(sa.func.count(User.id))
               .where(User.organisation_id == Organisation.id).scalar_subquery())
    challenges = (sa.select(sa.func.count(Challenge.id))
                  .where(Challenge.organisation_id == Organisation.id).scalar_subquery())
    rows = db.session.execute(
        sa.select(Organisation, members, challenges)
        .where(Organisation.merged_into_id.is_(None))
        .order_by(sa.func.lower(Organisation.name), Organisation.id)
    )
    return [OrganisationSummary(org, n_members, n_challenges)
            for org, n_members, n_challenges in rows]


def _live_organisation(organisation_id: int | None) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise NotFound(_("This organisation does not exist."))
    if organisation.merged_into_id is not None:
        raise Conflict(_("“%(name)s” has already been merged into another organisation.",
                         name=organisation.name))
    return organisation


def _move_interests(source: Organisation, target: Organisation) -> None:
    """Interests follow the organisation; where both showed interest in a team, one stays."""
    target_teams = sa.select(Interest.team_id).where(Interest.organisation_id == target.id)
    db.session.execute(sa.delete(Interest).where(Interest.organisation_id == source.id,
                                                 Interest.team_id.in_(target_teams)))
    db.session.execute(sa.update(Interest).where(Interest.organisation_id == source.id)
                       .values(organisation_id=target.id))


def merge_organisations(actor: User, source_id: int, target_id: int) -> Organisation:
    """Move the users, challenges and interests of `source` into `target`; `source` stays
    as a record pointing at `target` and is no longer listed."""
    if actor.role != "organizer":
        raise Forbidden(_("Only organisers can merge organisations."))
    if source_id == target_id:
        raise InvalidInput(_("Choose two different organisations."), field="target")
    source, target = _live_organisation(source_id), _live_organisation(target_id)
    moved_users = db.session.execute(
        sa.update(User).where(User.organisation_id == source.id).values(organisation_id=target.id)
    ).rowcount
    challenges = list(db.session.scalars(
        sa.select(Challenge).options(selectinload(Challenge.skills))
        .where(Challenge.organisation_id == source.id)
    ))
    for challenge in challenges:
        challenge.organisation = target
        refresh_search_text(challenge)
    _move_interests(source, target)
    db.session.execute(sa.update(ConflictOfInterest)
                       .where(ConflictOfInterest.organisation_id == source.id)
                       .values(organisation_id=target.id))
    source.merged_into_id = target.id
    edition = current_edition()
    record_audit(actor, "organisation.merge", target, edition_id=edition.id if edition else None,
                 source_id=source.id, source_name=source.name, target_name=target.name,
                 users=moved_users, challenges=[challenge.code for challenge in challenges])
    db.session.commit()
    return target


def invite_company_contact(
    actor: User, organisation_id: int, email: str, first_name: str, last_name: str
) -> User:
    """Add a company account to an organisation already registered (sign-up refuses a
    second one of the same name) and mail it the link that sets its password."""
    if actor.role != "organizer":
        raise Forbidden(_("Only organisers can invite company contacts."))
    organisation = _live_organisation(organisation_id)
    user = invitations.new_invited_account(email, "company", first_name, last_name,
                                        organisation=organisation)
    message = invitations.queue_invitation(
        user, "mail/company_invitation.txt",
        _l("You are invited to post challenges on Crunch Time"),
    )
    edition = current_edition()
    record_audit(actor, "organisation.invite", user, edition_id=edition.id if edition else None,
                 email=user.email, organisation_id=organisation.id,
                 organisation_name=organisation.name)
    invitations.commit_invitation(message)
    return user
