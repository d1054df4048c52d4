"""Publishing a run: the teams and memberships it proposes become real, students are told."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
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


def _published_run(edition: Edition) -> MatchingRun | None:
    return db.session.scalar(sa.select(MatchingRun).where(
        MatchingRun.edition_id == edition.id, MatchingRun.status == "published"))


def _refuse_unpublishable(run: MatchingRun, replace: bool,
                          split_groups_confirmed: bool) -> MatchingRun | None:
    if run.status != "preview":
        raise Conflict(_("This run is already published or was replaced."))
    violations = (run.metrics.get("capacity_violations", 0)
                  + run.metrics.get("size_violations", 0))
    if violations:
        raise Conflict(_("This run breaks %(n)d capacity or team-size rule(s): fix the moves "
                         "before publishing.", n=violations))
    split = run.metrics.get("group_violations", 0)
    if split and not split_groups_confirmed:
        raise Conflict(_("This run splits %(n)d friend group(s). Move them back together, or "
                         "tick “publish anyway” to publish them split.", n=split),
                       field="publish_anyway")
    edition = db.session.get(Edition, run.edition_id)
    previous = _published_run(edition)
    if previous is not None and not replace:
        raise Conflict(_("Teams are already published. Confirm that this run replaces them."))
    return previous


def _remove_published_teams(previous: MatchingRun) -> None:
    teams = sa.select(Team.id).where(Team.matching_run_id == previous.id)
    if db.session.scalar(sa.select(sa.func.count(Submission.id))
                         .where(Submission.team_id.in_(teams))):
        raise Conflict(_("Teams have started their submissions: the published teams can no "
                         "longer be replaced."))
    refuse_removing_scored_teams(teams)
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


def publish_run(actor: User, run: MatchingRun, replace: bool = False,
                split_groups_confirmed: bool = False) -> dict:
    """Create the run's teams and memberships (once), notify students; audited.

    A run that splits a friend group needs `split_groups_confirmed`. When another session
    publishes at the same moment, the database's unique teams and memberships refuse the
    second one: it is rolled back and refused as a Conflict."""
    edition = db.session.get(Edition, run.edition_id)
    require_phase(edition, "publish_matching")
    previous = _refuse_unpublishable(run, replace, split_groups_confirmed)
    try:
        team_ids, message_ids = _write_teams(actor, run, previous)
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
    return summary


def _placed_accounts(run_ids: list[int]) -> list[int]:
    """The accounts of the students these runs place: their team changes on publication."""
    return list(db.session.scalars(
        sa.select(StudentProfile.user_id).join(Placement, Placement.student_id ==
                                               StudentProfile.id)
        .where(Placement.run_id.in_(run_ids)).distinct()))


def _write_teams(actor: User, run: MatchingRun,
                 previous: MatchingRun | None) -> tuple[dict, list[int]]:
    """Teams, memberships, messages and the audit entry, uncommitted."""
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
                 split_groups=run.metrics.get("group_violations", 0))
    return team_ids, message_ids
