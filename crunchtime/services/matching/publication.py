"""Publishing a run: the teams and memberships it proposes become real, students are told."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.database import insert_rows
from crunchtime.errors import Conflict
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Edition,
    MatchingRun,
    Membership,
    OutboxMessage,
    Placement,
    StudentProfile,
    Submission,
    Team,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish
from crunchtime.services.accounts.sessions import end_live_connections
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_phase
from crunchtime.services.judging.ledger.queries import refuse_removing_scored_teams
from crunchtime.services.mail import deliver_mail, external_url
from crunchtime.services.matching.consequences import Consequences, consequences_of


def _published_run(edition: Edition) -> MatchingRun | None:
    return db.session.scalar(sa.select(MatchingRun).where(
        MatchingRun.edition_id == edition.id, MatchingRun.status == "published"))


def publication_consequences(run: MatchingRun) -> Consequences:
    """What publishing this run would do, for the organiser to confirm."""
    return consequences_of(run, _published_run(db.session.get(Edition, run.edition_id)))


def _refuse_unpublishable(run: MatchingRun) -> None:
    """What no confirmation can override."""
    if run.status != "preview":
        raise Conflict(_("This run is already published or was replaced."))
    violations = (run.metrics.get("capacity_violations", 0)
                  + run.metrics.get("size_violations", 0))
    if violations:
        raise Conflict(ngettext("This run breaks %(num)d capacity or team-size rule: fix the "
                                "moves before publishing.",
                                "This run breaks %(num)d capacity or team-size rules: fix the "
                                "moves before publishing.", violations))


def _refuse_unconfirmed(run: MatchingRun, consequences: Consequences,
                        confirmed: Confirmations) -> None:
    """Publishing may leave students without a team, split friend groups or replace
    published teams only when the organiser confirmed it, having seen the numbers."""
    if consequences.placed_without_consent:
        raise Conflict(ngettext(
            "%(num)d student placed by this run has not accepted the privacy notice: run the "
            "matching again, it leaves them out.",
            "%(num)d students placed by this run have not accepted the privacy notice: run "
            "the matching again, it leaves them out.", consequences.placed_without_consent))
    split = run.metrics.get("group_violations", 0)
    if split and not confirmed.split_groups:
        raise Conflict(ngettext(
            "This run splits %(num)d friend group. Move them back together, or tick “publish "
            "anyway” to publish them split.",
            "This run splits %(num)d friend groups. Move them back together, or tick “publish "
            "anyway” to publish them split.", split), field="publish_anyway")
    previous = consequences.replaces
    if previous is not None and not confirmed.replace:
        raise Conflict(ngettext(
            "Teams are already published (matching run %(run)d): this publication replaces "
            "them and %(num)d student changes team. Tick “replace” to confirm.",
            "Teams are already published (matching run %(run)d): this publication replaces "
            "them and %(num)d students change team. Tick “replace” to confirm.",
            consequences.changing_team, run=previous.id), field="replace")
    if consequences.unplaced and not confirmed.unplaced:
        raise Conflict(ngettext(
            "%(num)d student would have no team. Tick the box to publish without them.",
            "%(num)d students would have no team. Tick the box to publish without them.",
            consequences.unplaced), field="leave_unplaced")


def _refuse_replacing(previous: MatchingRun) -> None:
    teams = sa.select(Team.id).where(Team.matching_run_id == previous.id)
    if db.session.scalar(sa.select(sa.func.count(Submission.id))
                         .where(Submission.team_id.in_(teams))):
        raise Conflict(_("Teams have started their submissions: the published teams can no "
                         "longer be replaced."))
    refuse_removing_scored_teams(teams)


def _remove_published_teams(previous: MatchingRun) -> None:
    teams = sa.select(Team.id).where(Team.matching_run_id == previous.id)
    db.session.execute(sa.delete(Membership).where(Membership.team_id.in_(teams)))
    db.session.execute(sa.delete(Team).where(Team.matching_run_id == previous.id))
    previous.status = "replaced"


def _create_teams(run: MatchingRun) -> dict[tuple[int, int], int]:
    """One team per (challenge, team index), coded T001… in challenge-code order."""
    slots = db.session.execute(
        sa.select(Placement.challenge_id, Placement.team_index, Challenge.code)
        .join(Challenge, Placement.challenge_id == Challenge.id)
        .where(Placement.run_id == run.id).distinct()
        .order_by(Challenge.code, Placement.team_index)).all()
    rows = [{"edition_id": run.edition_id, "challenge_id": slot.challenge_id,
             "matching_run_id": run.id, "code": f"T{number:03d}", "created_at": utcnow(),
             "gallery_opt_out": False, "continuation_plan": ""}
            for number, slot in enumerate(slots, start=1)]
    ids = insert_rows(Team, rows, Team.id)
    return {(slot.challenge_id, slot.team_index): row.id for slot, row in zip(slots, ids,
                                                                                strict=True)}


def _notify(run: MatchingRun, team_ids: dict[tuple[int, int], int]) -> list[int]:
    members: dict[int, list[User]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Membership.team_id, User).join(StudentProfile,
                                                 Membership.student_id == StudentProfile.id)
        .join(User, StudentProfile.user_id == User.id)
        .where(Membership.team_id.in_(list(team_ids.values())))).all()
    for team_id, user in rows:
        members[team_id].append(user)
    teams = {team.id: team for team in db.session.scalars(
        sa.select(Team).where(Team.id.in_(list(team_ids.values()))))}
    link = external_url("student.home")
    now = utcnow()
    messages = []
    for team_id, users in members.items():
        team = teams[team_id]
        for user in users:
            with force_locale(user.locale or "fr"):
                body = render_template("mail/team_published.txt", user=user, team=team,
                                       challenge=team.challenge, teammates=users, link=link)
                subject = _("Your Crunch Time team: %(code)s", code=team.code)
            messages.append({"recipient": user.email, "subject": subject, "body": body,
                             "kind": "team", "sent_at": None, "error": "", "created_at": now})
    return [row.id for row in insert_rows(OutboxMessage, messages, OutboxMessage.id)]


@dataclass(frozen=True)
class Confirmations:
    """What the organiser ticked: replace published teams, publish split friend groups,
    publish with students left without a team."""

    replace: bool = False
    split_groups: bool = False
    unplaced: bool = False


def publish_run(actor: User | None, run: MatchingRun, replace: bool = False,
                split_groups_confirmed: bool = False, unplaced_confirmed: bool = False) -> dict:
    """Create the run's teams and memberships (once), notify students; audited.

    Refused (Conflict) when the run breaks a rule, places a student without consent, or
    replaces teams already at work; and, unless confirmed, when it splits a friend group,
    replaces published teams or leaves students without a team. When another session
    publishes at the same moment, the database's unique teams and memberships refuse the
    second one: it is rolled back and refused as a Conflict."""
    edition = db.session.get(Edition, run.edition_id)
    require_phase(edition, "publish_matching")
    _refuse_unpublishable(run)
    previous = _published_run(edition)
    if previous is not None:
        _refuse_replacing(previous)
    consequences = consequences_of(run, previous)
    _refuse_unconfirmed(run, consequences, Confirmations(replace, split_groups_confirmed,
                                                         unplaced_confirmed))
    try:
        team_ids, message_ids = _write_teams(actor, run, consequences)
        moved = _placed_accounts([run.id] + ([previous.id] if previous is not None else []))
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(_("These teams are already published: another publication finished "
                         "first. Reload the page to see it.")) from error
    deliver_mail(list(db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))))
    summary = {"edition": run.edition_id, "run": run.id, "teams": len(team_ids)}
    publish("teams_published", summary, room="public")
    end_live_connections(moved)  # they reconnect into their new team's room
    return {**summary, "students": consequences.placed, "unplaced": consequences.unplaced}


def _placed_accounts(run_ids: list[int]) -> list[int]:
    """The accounts of the students these runs place: their team changes on publication."""
    return list(db.session.scalars(
        sa.select(StudentProfile.user_id).join(Placement, Placement.student_id ==
                                               StudentProfile.id)
        .where(Placement.run_id.in_(run_ids)).distinct()))


def _write_teams(actor: User | None, run: MatchingRun,
                 consequences: Consequences) -> tuple[dict, list[int]]:
    """Teams, memberships, messages and the audit entry, uncommitted."""
    previous = consequences.replaces
    if previous is not None:
        _remove_published_teams(previous)
    team_ids = _create_teams(run)
    placements = db.session.execute(sa.select(
        Placement.student_id, Placement.challenge_id, Placement.team_index)
        .where(Placement.run_id == run.id)).all()
    insert_rows(Membership, [
        {"team_id": team_ids[(p.challenge_id, p.team_index)], "student_id": p.student_id,
         "edition_id": run.edition_id, "created_at": utcnow()} for p in placements])
    run.status, run.published_at = "published", utcnow()
    message_ids = _notify(run, team_ids)
    record_audit(actor, "matching.publish", run, edition_id=run.edition_id,
                 teams=len(team_ids), students=len(placements),
                 replaced=previous.id if previous else None,
                 changing_team=consequences.changing_team,
                 without_consent=consequences.without_consent,
                 without_team=consequences.without_team,
                 split_groups=run.metrics.get("group_violations", 0))
    return team_ids, message_ids
