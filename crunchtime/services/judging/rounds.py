"""Judging rounds and their rubric: what the organisers configure before juries score."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.demo.naming import ascii_slug
from crunchtime.demo.vocabulary import CRITERIA as DEFAULT_CRITERIA
from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Criterion, Edition, JudgingRound, RoundEntry, ScoreEvent, Team
from crunchtime.models.edition import LEADERBOARD_ESTIMATORS
from crunchtime.models.judging import ROUND_KINDS
from crunchtime.phases import phase_index
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.audit import record_audit
from crunchtime.services.judging.readiness import RoundReadiness, round_readiness
from crunchtime.services.judging.words import close_refusal

ROUND_TRANSITIONS = {"draft": ("open",), "open": ("closed",), "closed": ("open",)}
_LEVEL_LINE = re.compile(r"^\s*(-?\d+)\s*[:=–-]\s*(.+?)\s*$")


@dataclass(frozen=True)
class CriterionInput:
    """A rubric criterion as an organiser enters it; levels map a scale value to its meaning."""

    label_fr: str
    label_en: str = ""
    weight: float = 1.0
    scale_min: int = 0
    scale_max: int = 10
    levels: dict[str, str] = field(default_factory=dict)


def edition_rounds(edition: Edition) -> list[JudgingRound]:
    return list(db.session.scalars(
        sa.select(JudgingRound).where(JudgingRound.edition_id == edition.id)
        .order_by(JudgingRound.number)
    ))


def get_round(edition: Edition, round_id: int) -> JudgingRound:
    judging_round = db.session.get(JudgingRound, round_id)
    if judging_round is None or judging_round.edition_id != edition.id:
        raise NotFound(_("This judging round does not exist."))
    return judging_round


def first_round(edition: Edition) -> JudgingRound | None:
    rounds = edition_rounds(edition)
    return next((r for r in rounds if r.kind == "per_challenge"), rounds[0] if rounds else None)


def final_round(edition: Edition) -> JudgingRound | None:
    return next((r for r in edition_rounds(edition) if r.kind == "final"), None)


def parse_levels(text: str, scale_min: int, scale_max: int) -> dict[str, str]:
    """"7: clear and tested" lines → {"7": "clear and tested"}; values must be on the scale."""
    levels: dict[str, str] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _LEVEL_LINE.match(line)
        if match is None:
            raise InvalidInput(_("Write each level as “value: description”, one per line."),
                               field="levels")
        value = int(match.group(1))
        if not scale_min <= value <= scale_max:
            raise InvalidInput(_("Level %(value)d is outside the scale %(low)d–%(high)d.",
                                 value=value, low=scale_min, high=scale_max), field="levels")
        levels[str(value)] = match.group(2)
    return dict(sorted(levels.items(), key=lambda item: int(item[0])))


def levels_text(levels: dict | None) -> str:
    return "\n".join(f"{value}: {text}" for value, text in (levels or {}).items())


def _check_criterion(data: CriterionInput) -> None:
    if not data.label_fr.strip():
        raise InvalidInput(_("Give the criterion a name."), field="label_fr")
    if not data.weight > 0:
        raise InvalidInput(_("The weight must be greater than 0."), field="weight")
    if data.scale_max <= data.scale_min:
        raise InvalidInput(_("The top of the scale must be above its bottom."),
                           field="scale_max")


def _unique_key(judging_round: JudgingRound, label: str) -> str:
    base = (ascii_slug(label) or "critere")[:28]
    taken = {criterion.key for criterion in judging_round.criteria}
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _new_criterion(judging_round: JudgingRound, data: CriterionInput) -> Criterion:
    criterion = Criterion(
        edition_id=judging_round.edition_id, key=_unique_key(judging_round, data.label_fr),
        position=len(judging_round.criteria), label_fr=data.label_fr.strip(),
        label_en=data.label_en.strip(), levels=dict(data.levels), weight=data.weight,
        scale_min=data.scale_min, scale_max=data.scale_max,
    )
    judging_round.criteria.append(criterion)
    return criterion


def _default_rubric() -> list[CriterionInput]:
    return [CriterionInput(c.label_fr, c.label_en, c.weight) for c in DEFAULT_CRITERIA]


def new_round(edition: Edition, name: str, kind: str, juries_per_team: int,
               exclude_own_organisation: bool = True) -> JudgingRound:
    """A round added to the caller's unit of work, starting from the previous rubric."""
    if kind not in ROUND_KINDS:
        raise InvalidInput(_("Unknown kind of round."), field="kind")
    if not 1 <= juries_per_team <= 20:
        raise InvalidInput(_("Between 1 and 20 juries per team."), field="juries_per_team")
    rounds = edition_rounds(edition)
    if kind == "final" and any(r.kind == "final" for r in rounds):
        raise Conflict(_("This edition already has a final round."), field="kind")
    number = max((r.number for r in rounds), default=0) + 1
    judging_round = JudgingRound(
        edition_id=edition.id, number=number, kind=kind, status="draft",
        title=name.strip(),
        juries_per_team=juries_per_team, exclude_own_organisation=exclude_own_organisation,
    )
    db.session.add(judging_round)
    previous = rounds[-1] if rounds else None
    rubric = ([CriterionInput(c.label_fr, c.label_en, c.weight, c.scale_min, c.scale_max,
                              dict(c.levels or {})) for c in previous.criteria]
              if previous is not None else _default_rubric())
    for data in rubric:
        _new_criterion(judging_round, data)
    return judging_round


def create_round(actor, edition: Edition, name: str, kind: str, juries_per_team: int = 3,
                 exclude_own_organisation: bool = True) -> JudgingRound:
    """A new round, numbered after the others, starting from the previous round's rubric."""
    judging_round = new_round(edition, name, kind, juries_per_team, exclude_own_organisation)
    db.session.flush()
    record_audit(actor, "judging.round_create", judging_round, edition_id=edition.id,
                 kind=kind, number=judging_round.number)
    db.session.commit()
    return judging_round


def create_default_rounds(actor, edition: Edition) -> JudgingRound:
    """Round 1 per challenge with the default rubric; the final comes with the finalists."""
    if edition_rounds(edition):
        raise Conflict(_("This edition already has judging rounds."))
    return create_round(actor, edition, "", "per_challenge")


def update_round(actor, judging_round: JudgingRound, name: str, juries_per_team: int,
                 exclude_own_organisation: bool) -> JudgingRound:
    if not name.strip():
        raise InvalidInput(_("Give the round a name."), field="name")
    if not 1 <= juries_per_team <= 20:
        raise InvalidInput(_("Between 1 and 20 juries per team."), field="juries_per_team")
    judging_round.name = name.strip()
    judging_round.juries_per_team = juries_per_team
    judging_round.exclude_own_organisation = exclude_own_organisation
    record_audit(actor, "judging.round_update", judging_round,
                 edition_id=judging_round.edition_id, juries_per_team=juries_per_team,
                 exclude_own_organisation=exclude_own_organisation)
    db.session.commit()
    return judging_round


def set_round_status(actor, judging_round: JudgingRound, status: str, *,
                     acknowledge_gaps: bool = False) -> JudgingRound:
    """Open a round for scoring, close it, or reopen it; opening needs a rubric. Closing a
    round with scores missing is refused unless the organiser acknowledged the gaps."""
    if status not in ROUND_TRANSITIONS.get(judging_round.status, ()):
        raise Conflict(_("This round cannot go to that state from its current one."))
    if status == "open" and not judging_round.criteria:
        raise Conflict(_("Add at least one criterion before opening the round."))
    if status == "open" and past_judging(judging_round):
        raise Conflict(_("The edition is past the judging phase: move it back to judging "
                         "before opening a round."))
    if status == "open":
        sync_round_entries(judging_round)
    details = {}
    if status == "closed":
        readiness = round_readiness(judging_round)
        if not readiness.complete and not acknowledge_gaps:
            raise Conflict(close_refusal(readiness), field="acknowledge")
        details = readiness_audit(readiness)
    old = judging_round.status
    judging_round.status = status
    record_audit(actor, "judging.round_status", judging_round,
                 edition_id=judging_round.edition_id, old=old, new=status, **details)
    db.session.commit()
    publish("round", {"round": judging_round.id, "status": status}, room=ORGANIZERS)
    return judging_round


def past_judging(judging_round: JudgingRound) -> bool:
    """A round is open only up to the judging phase (see editions/phases.py)."""
    edition = db.session.get(Edition, judging_round.edition_id)
    return phase_index(edition.phase) > phase_index("judging")


def close_rounds_in_unit(actor, rounds: list[RoundReadiness], reason: str) -> list[int]:
    """Close these open rounds in the caller's unit of work (each audited with its figures);
    the caller commits, then publishes `round_events` of the ids returned."""
    closed = []
    for readiness in rounds:
        judging_round = db.session.get(JudgingRound, readiness.round_id)
        if judging_round is None or judging_round.status != "open":
            continue
        judging_round.status = "closed"
        record_audit(actor, "judging.round_status", judging_round,
                     edition_id=judging_round.edition_id, old="open", new="closed",
                     reason=reason, **readiness_audit(readiness))
        closed.append(judging_round.id)
    return closed


def publish_round_closed(round_ids: list[int]) -> None:
    for round_id in round_ids:
        publish("round", {"round": round_id, "status": "closed"}, room=ORGANIZERS)


def readiness_audit(readiness: RoundReadiness) -> dict:
    """The figures an audit entry keeps of a round closed (complete or not)."""
    return {"scores": [readiness.recorded_scores, readiness.expected_scores],
            "teams_fully_judged": [readiness.teams_fully_judged, readiness.teams],
            "complete": readiness.complete}


def sync_round_entries(judging_round: JudgingRound) -> list[int]:
    """A per-challenge round enters every team of the edition (the final, its finalists);
    adds the missing entries to the caller's unit of work and returns the team ids."""
    entered = set(round_team_ids(judging_round))
    if judging_round.kind == "per_challenge":
        teams = db.session.scalars(
            sa.select(Team.id).where(Team.edition_id == judging_round.edition_id))
        for team_id in teams:
            if team_id not in entered:
                db.session.add(RoundEntry(round_id=judging_round.id, team_id=team_id))
                entered.add(team_id)
    db.session.flush()
    return sorted(entered)


def round_team_ids(judging_round: JudgingRound) -> list[int]:
    return list(db.session.scalars(
        sa.select(RoundEntry.team_id).where(RoundEntry.round_id == judging_round.id)
        .order_by(RoundEntry.team_id)
    ))


def criterion_is_scored(criterion: Criterion) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(ScoreEvent.seq)).where(ScoreEvent.criterion_id == criterion.id)
    ) > 0


def get_criterion(judging_round: JudgingRound, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.round_id != judging_round.id:
        raise NotFound(_("This criterion does not exist."))
    return criterion


def add_criterion(actor, judging_round: JudgingRound, data: CriterionInput) -> Criterion:
    _check_criterion(data)
    criterion = _new_criterion(judging_round, data)
    db.session.flush()
    record_audit(actor, "judging.criterion_add", criterion, edition_id=judging_round.edition_id,
                 round=judging_round.number, label=criterion.label_fr)
    db.session.commit()
    return criterion


def update_criterion(actor, criterion: Criterion, data: CriterionInput) -> Criterion:
    """Labels, levels and weight can change at any time; the scale only before any score."""
    _check_criterion(data)
    scale_changed = (data.scale_min, data.scale_max) != (criterion.scale_min, criterion.scale_max)
    if scale_changed and criterion_is_scored(criterion):
        raise Conflict(_("Juries have already scored this criterion: its scale can no longer "
                         "change."), field="scale_min")
    criterion.label_fr, criterion.label_en = data.label_fr.strip(), data.label_en.strip()
    criterion.weight, criterion.levels = data.weight, dict(data.levels)
    criterion.scale_min, criterion.scale_max = data.scale_min, data.scale_max
    record_audit(actor, "judging.criterion_update", criterion,
                 edition_id=criterion.edition_id, weight=data.weight,
                 scale=[data.scale_min, data.scale_max])
    db.session.commit()
    return criterion


def delete_criterion(actor, criterion: Criterion) -> None:
    if criterion_is_scored(criterion):
        raise Conflict(_("Juries have already scored this criterion: it cannot be removed."))
    record_audit(actor, "judging.criterion_delete", criterion, edition_id=criterion.edition_id,
                 label=criterion.label_fr)
    judging_round = criterion.round
    judging_round.criteria.remove(criterion)
    for position, other in enumerate(judging_round.criteria):
        other.position = position
    db.session.commit()


def set_leaderboard_estimator(actor, edition: Edition, estimator: str) -> Edition:
    """Which of the three rankings the public leaderboard and the results use."""
    if estimator not in LEADERBOARD_ESTIMATORS:
        raise InvalidInput(_("Unknown ranking method."), field="estimator")
    old = edition.leaderboard_estimator
    edition.leaderboard_estimator = estimator
    record_audit(actor, "judging.estimator", edition, edition_id=edition.id, old=old,
                 new=estimator)
    db.session.commit()
    return edition
