"""Incubation flags of an edition: the organisers' weights, computing the flags (transparent
score, reasons, the model's probability), and the flagging rule."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.incubation import (
    DEFAULT_WEIGHTS,
    TeamSignals,
    WeightsError,
    check_weights,
    edition_features,
    explain,
    transparent_scores,
)
from crunchtime.models import Edition, IncubationFlag, Team
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_phase
from crunchtime.services.incubation.signals import edition_signals
from crunchtime.services.incubation.training import fit_model
from crunchtime.services.incubation.words import weights_message

SETTINGS_KEY = "incubation"
MODEL_KEY = "incubation_model"
DEFAULT_FLAG_SHARE = 10  # percent of the teams flagged by each ranking
MIN_FLAGGED = 10
FLAG_SHARE_RANGE = (1, 50)


@dataclass(frozen=True)
class FlagSummary:
    flagged: int
    created: int
    removed: int
    model: bool


def incubation_settings(edition: Edition) -> dict:
    stored = (edition.settings or {}).get(SETTINGS_KEY) or {}
    return {"weights": {**DEFAULT_WEIGHTS, **(stored.get("weights") or {})},
            "flag_share": int(stored.get("flag_share", DEFAULT_FLAG_SHARE))}


def model_report(edition: Edition) -> dict | None:
    return (edition.settings or {}).get(MODEL_KEY)


def require_writable(edition: Edition) -> None:
    if edition.archived:
        raise Conflict(_("This edition is archived: it can be read, not changed."))


def save_settings(actor, edition: Edition, weights: Mapping[str, object],
                  flag_share: int | None) -> dict:
    """Store tuned weights (refused with the reason when they make no usable score) and
    recompute the flags if they were computed already."""
    require_writable(edition)
    try:
        clean = check_weights(weights)
    except WeightsError as error:
        raise InvalidInput(weights_message(error), field=error.params.get("signal")) from error
    share = DEFAULT_FLAG_SHARE if flag_share is None else flag_share
    if not FLAG_SHARE_RANGE[0] <= share <= FLAG_SHARE_RANGE[1]:
        raise InvalidInput(_("Between %(low)d and %(high)d per cent of the teams.",
                             low=FLAG_SHARE_RANGE[0], high=FLAG_SHARE_RANGE[1]),
                           field="flag_share")
    edition.settings = {**(edition.settings or {}),
                        SETTINGS_KEY: {"weights": clean, "flag_share": share}}
    record_audit(actor, "incubation.settings", edition, edition_id=edition.id, weights=clean,
                 flag_share=share)
    if model_report(edition) is not None:
        _apply_flags(edition)
    db.session.commit()
    publish("cockpit", {"changed": ["incubation"]}, room=ORGANIZERS)
    return incubation_settings(edition)


def flag_selection(signals: list[TeamSignals], scores: Mapping[int, float],
                   probabilities: Mapping[int, float], share: int) -> set[int]:
    """The top `share` % by transparent score (at least MIN_FLAGGED teams), the same by the
    model's probability, and every team nominated by at least half of its juries."""
    count = max(MIN_FLAGGED, math.ceil(share * len(signals) / 100))
    chosen = set(sorted(scores, key=lambda team: (-scores[team], team))[:count])
    chosen |= set(sorted(probabilities, key=lambda team: (-probabilities[team], team))[:count])
    chosen |= {team.team_id for team in signals
               if team.nominations and 2 * team.nominations >= max(team.juries, 1)}
    return chosen


def _apply_flags(edition: Edition) -> FlagSummary:
    """Recompute every flag of the edition in the caller's unit of work. Decided flags are
    kept (with fresh figures); undecided ones no longer selected are removed."""
    settings = incubation_settings(edition)
    signals = edition_signals(edition)
    features = edition_features(signals)
    scores = transparent_scores(features, settings["weights"])
    model, report = fit_model(edition, settings["weights"])
    probabilities = {}
    if model is not None:
        ids = [team.team_id for team in signals]
        values = model.probabilities([features[team].vector() for team in ids])
        probabilities = dict(zip(ids, values, strict=True))
    chosen = flag_selection(signals, {t: s.score for t, s in scores.items()}, probabilities,
                            settings["flag_share"])
    existing = {flag.team_id: flag for flag in db.session.scalars(
        sa.select(IncubationFlag).join(Team).where(Team.edition_id == edition.id))}
    created = removed = 0
    for team in signals:
        flag = existing.get(team.team_id)
        if team.team_id not in chosen and (flag is None or flag.status == "flagged"):
            if flag is not None:
                db.session.delete(flag)
                removed += 1
            continue
        if flag is None:
            flag = IncubationFlag(team_id=team.team_id, status="flagged")
            db.session.add(flag)
            created += 1
        flag.score = scores[team.team_id].score
        flag.model_probability = probabilities.get(team.team_id)
        flag.reasons = explain(team, features[team.team_id], scores[team.team_id])
    edition.settings = {**(edition.settings or {}), MODEL_KEY: report}
    return FlagSummary(len(chosen | {t for t, f in existing.items() if f.status != "flagged"}),
                       created, removed, model is not None)


def compute_flags(actor, edition: Edition) -> FlagSummary:
    """Flag the teams worth reviewing, with their reasons; audited; organisers see it live."""
    require_phase(edition, "review_incubation")
    require_writable(edition)
    summary = _apply_flags(edition)
    record_audit(actor, "incubation.compute", edition, edition_id=edition.id,
                 flagged=summary.flagged, created=summary.created, removed=summary.removed,
                 model=summary.model)
    db.session.commit()
    publish("cockpit", {"changed": ["incubation"]}, room=ORGANIZERS)
    return summary
