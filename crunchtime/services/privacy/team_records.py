"""What others recorded about a student's team, for their RGPD download: the juries' scores
and comments (once the results are published), the incubation nominations, the partners'
interest, the incubation decision, and the announcements the student received.

Juries appear as "Jury 1, 2…" (their identity is theirs, not the student's); a partner's
interest shows its name and date but not its private note (the partner's working note, which
the privacy page says is left out; the student's name is removed from it on deletion)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    Criterion,
    Edition,
    IncubationFlag,
    IncubationNomination,
    Interest,
    JudgingRound,
    Organisation,
    ScoreEvent,
    Team,
    User,
)
from crunchtime.services.announcements.posts import visible_announcements
from crunchtime.services.judging.ledger.queries import in_force, ledger_events
from crunchtime.services.teams.continuation import split_plan


def iso_moment(moment: datetime | None) -> str | None:
    """A moment as the download writes it (ISO 8601), None when it never happened."""
    return moment.isoformat() if moment else None


class _JuryNumbers(dict):
    """Jury profile id -> 1, 2, 3… in order of first appearance."""

    def __missing__(self, jury_id: int) -> int:
        self[jury_id] = len(self) + 1
        return self[jury_id]


def _visible_rounds(team: Team) -> list[JudgingRound]:
    """Rounds whose scores the team may read: results published, or the edition closed."""
    edition = db.session.get(Edition, team.edition_id)
    query = sa.select(JudgingRound).where(JudgingRound.edition_id == team.edition_id)
    if edition.phase != "closed":
        query = query.where(JudgingRound.results_published_at.is_not(None))
    return list(db.session.scalars(query.order_by(JudgingRound.number)))


def jury_scores(team: Team) -> list[dict]:
    """The scores in force on the team, with their comments, round by round."""
    lines, juries = [], _JuryNumbers()
    for judging_round in _visible_rounds(team):
        seqs = [event.seq for event in
                in_force(ledger_events(judging_round.id, team_id=team.id)).values()]
        if not seqs:
            continue
        rows = db.session.execute(
            sa.select(ScoreEvent, Criterion.label_fr).join(
                Criterion, Criterion.id == ScoreEvent.criterion_id)
            .where(ScoreEvent.seq.in_(seqs))
            .order_by(ScoreEvent.jury_id, Criterion.position, ScoreEvent.seq)).all()
        lines += [{"round": judging_round.name, "jury": juries[event.jury_id],
                   "criterion": label, "value": event.value, "comment": event.comment,
                   "at": iso_moment(event.created_at)} for event, label in rows]
    return lines


def nominations(team: Team) -> list[dict]:
    rows = db.session.scalars(sa.select(IncubationNomination).where(
        IncubationNomination.team_id == team.id, IncubationNomination.withdrawn.is_(False))
        .order_by(IncubationNomination.jury_id))
    juries = _JuryNumbers()
    return [{"jury": juries[row.jury_id], "commitment": row.commitment,
             "problem_validated": row.problem_validated, "feasibility": row.feasibility,
             "impact": row.impact, "comment": row.comment, "at": iso_moment(row.created_at)}
            for row in rows]


def partner_interest(team: Team) -> list[dict]:
    rows = db.session.execute(
        sa.select(Organisation.name, Interest.created_at)
        .join(Organisation, Organisation.id == Interest.organisation_id)
        .where(Interest.team_id == team.id).order_by(Organisation.name)).all()
    return [{"organisation": name, "at": iso_moment(at)} for name, at in rows]


def incubation_decision(team: Team) -> dict | None:
    flag = db.session.scalar(sa.select(IncubationFlag).where(IncubationFlag.team_id == team.id))
    if flag is None:
        return None
    return {"status": flag.status, "score": flag.score, "note": flag.note,
            "decided_at": iso_moment(flag.decided_at)}


def continuation(team: Team) -> dict:
    who, plan = split_plan(team.continuation_plan)
    return {"wants_to_continue": team.wants_to_continue, "who": who, "plan": plan}


def team_evidence(team: Team) -> dict:
    return {"jury_scores": jury_scores(team), "incubation_nominations": nominations(team),
            "partner_interest": partner_interest(team),
            "incubation_decision": incubation_decision(team),
            "continuation": continuation(team)}


def announcements_received(user: User, edition: Edition) -> list[dict]:
    return [{"published_at": iso_moment(item.published_at), "audience": item.audience,
             "text_fr": item.text_fr, "text_en": item.text_en}
            for item in visible_announcements(user, edition, limit=None)]
