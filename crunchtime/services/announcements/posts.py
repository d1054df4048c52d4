"""Announcements from organisers to everyone, a role, a challenge's teams or one team: shown
live on the recipients' pages and in their list, optionally e-mailed through the outbox;
a scheduled one is published when its time comes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from crunchtime.errors import InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Announcement, Edition, Team, User
from crunchtime.models.announcement import AUDIENCES
from crunchtime.models.base import utcnow
from crunchtime.models.user import ROLES
from crunchtime.realtime.publish import publish
from crunchtime.services.announcements.audience import Audience, audience_of
from crunchtime.services.audit import record_audit
from crunchtime.services.incubation.flags import require_writable
from crunchtime.services.mail import deliver_mail, external_url, queue_mail
from crunchtime.services.teams.space import team_of_student

TEXT_MAX = 4000


@dataclass(frozen=True)
class AnnouncementDraft:
    audience: str
    text_fr: str
    text_en: str = ""
    role: str | None = None
    challenge_id: int | None = None
    team_id: int | None = None
    send_email: bool = False
    scheduled_at: datetime | None = None


def _check(draft: AnnouncementDraft) -> None:
    if draft.audience not in AUDIENCES:
        raise InvalidInput(_("Choose who receives the announcement."), field="audience")
    if draft.audience == "role" and draft.role not in ROLES:
        raise InvalidInput(_("Choose the role that receives the announcement."), field="role")
    if not draft.text_fr.strip():
        raise InvalidInput(_("Write the announcement in French."), field="text_fr")
    for name in ("text_fr", "text_en"):
        if len(getattr(draft, name)) > TEXT_MAX:
            raise InvalidInput(_("At most %(n)d characters.", n=TEXT_MAX), field=name)


def create_announcement(actor: User, edition: Edition, draft: AnnouncementDraft) -> Announcement:
    """Refuses an empty audience (saying why); publishes now, or at `scheduled_at`."""
    require_writable(edition)
    _check(draft)
    audience = audience_of(edition, draft.audience, draft.role, draft.challenge_id,
                           draft.team_id)
    now = utcnow()
    later = draft.scheduled_at is not None and draft.scheduled_at > now
    announcement = Announcement(
        edition_id=edition.id, author_id=actor.id, audience=draft.audience,
        audience_role=draft.role if draft.audience == "role" else None,
        challenge_id=audience.challenge_id, team_id=audience.team_id,
        text_fr=draft.text_fr.strip(), text_en=(draft.text_en or "").strip(),
        send_email=draft.send_email, scheduled_at=draft.scheduled_at if later else None,
        published_at=None if later else now)
    db.session.add(announcement)
    db.session.flush()
    messages = [] if later else _queue_mails(announcement, audience)
    record_audit(actor, "announcement.create", announcement, edition_id=edition.id,
                 audience=draft.audience, recipients=len(audience.users),
                 scheduled=later, email=draft.send_email)
    db.session.commit()
    if not later:
        _after_publication(announcement, audience, messages)
    return announcement


def _queue_mails(announcement: Announcement, audience: Audience) -> list:
    if not announcement.send_email:
        return []
    link = external_url("announcements.index")
    messages = []
    for user in audience.users:
        with force_locale(user.locale or "fr"):
            subject = _("Crunch Time: a new announcement")
            body = render_template("mail/announcement.txt", user=user,
                                   text=text_for(announcement, user.locale or "fr"), link=link)
        messages.append(queue_mail(user.email, subject, body, kind="announcement"))
    return messages


def _after_publication(announcement: Announcement, audience: Audience, messages) -> None:
    deliver_mail(messages)
    payload = live_payload(announcement)
    for room in audience.rooms:
        publish("announcement", payload, room=room)


def text_for(announcement: Announcement, locale: str) -> str:
    return announcement.text_en if locale == "en" and announcement.text_en \
        else announcement.text_fr


def live_payload(announcement: Announcement) -> dict:
    return {"id": announcement.id, "text_fr": announcement.text_fr,
            "text_en": announcement.text_en,
            "published_at": announcement.published_at.isoformat()}


def publish_due_announcements(moment: datetime | None = None) -> int:
    """Publish the scheduled announcements whose time has come; each is claimed by one
    atomic update, so that several processes never publish one twice."""
    moment = moment or utcnow()
    due = list(db.session.scalars(sa.select(Announcement.id).where(
        Announcement.published_at.is_(None), Announcement.scheduled_at <= moment)))
    published = 0
    for announcement_id in due:
        claimed = db.session.execute(
            sa.update(Announcement)
            .where(Announcement.id == announcement_id, Announcement.published_at.is_(None))
            .values(published_at=moment).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        announcement = db.session.get(Announcement, announcement_id)
        db.session.refresh(announcement)
        audience = audience_of(db.session.get(Edition, announcement.edition_id),
                               announcement.audience, announcement.audience_role,
                               announcement.challenge_id, announcement.team_id, strict=False)
        messages = _queue_mails(announcement, audience)
        db.session.commit()
        _after_publication(announcement, audience, messages)
        published += 1
    return published


def _viewer_team(user: User, edition: Edition):
    return team_of_student(user, edition) if user.role == "student" else None


def visible_announcements(user: User, edition: Edition, limit: int | None = 50,
                          since: datetime | None = None) -> list[Announcement]:
    """Published announcements meant for `user` (after `since`, if given), newest first.
    Reading never publishes: the scheduler (scheduler.py) does."""
    meant = [Announcement.audience == "everyone",
             sa.and_(Announcement.audience == "role", Announcement.audience_role == user.role)]
    team = _viewer_team(user, edition)
    if team is not None:
        meant += [sa.and_(Announcement.audience == "challenge",
                          Announcement.challenge_id == team.challenge_id),
                  sa.and_(Announcement.audience == "team", Announcement.team_id == team.id)]
    query = (sa.select(Announcement)
             .where(Announcement.edition_id == edition.id,
                    Announcement.published_at.is_not(None), sa.or_(*meant))
             .order_by(Announcement.published_at.desc(), Announcement.id.desc()).limit(limit))
    if since is not None:
        query = query.where(Announcement.published_at > since)
    return list(db.session.scalars(query))


def edition_announcements(edition: Edition) -> list[Announcement]:
    """Every announcement of the edition for the organisers: scheduled first, then newest (a
    scheduled one whose time has passed waits for the scheduler, see `is_due`)."""
    return list(db.session.scalars(
        sa.select(Announcement).where(Announcement.edition_id == edition.id)
        .order_by(Announcement.published_at.is_(None).desc(),
                  sa.func.coalesce(Announcement.published_at, Announcement.scheduled_at).desc(),
                  Announcement.id.desc())))


def is_due(announcement: Announcement, moment: datetime | None = None) -> bool:
    """Scheduled, its time passed, not yet published by the scheduler's next round."""
    return announcement.published_at is None and announcement.scheduled_at is not None \
        and announcement.scheduled_at <= (moment or utcnow())


def edition_teams(edition: Edition) -> list:
    return list(db.session.scalars(sa.select(Team).where(Team.edition_id == edition.id)
                                   .order_by(Team.code)))
