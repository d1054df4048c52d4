"""The views of the live board, one per room, as plain JSON-ready data (codes, not words:
the pages translate). What each room may see:
- public (big screen): what the organisers chose — nothing, the progress, or the top of the
  ranking (the ranking as it was when they froze it, if they did);
- juries: the same, but never the ranking;
- a challenge (its company): its teams and their progress, and their places only when the
  public sees the ranking;
- organisers: everything, live (never frozen): the whole ranking, scores missing per team
  and per jury, anomalies."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, JudgingRound
from crunchtime.realtime.rooms import JURIES, ORGANIZERS, PUBLIC, challenge_room
from crunchtime.scoring import Ranking
from crunchtime.scoring.progress import Anomaly, Progress
from crunchtime.services.judging.rankings import TeamInfo, display_score
from crunchtime.services.live.state import board_state

RANKING, PROGRESS, HIDDEN = "ranking", "progress", "hidden"
ANOMALIES_SHOWN = 50


@dataclass(frozen=True)
class BoardFacts:
    edition: Edition | None
    top: int = 10
    judging_round: JudgingRound | None = None
    ranking: Ranking | None = None
    frozen: Ranking | None = None
    progress: Progress | None = None
    teams: dict[int, TeamInfo] = field(default_factory=dict)
    juries: dict[int, str] = field(default_factory=dict)
    anomalies: list[Anomaly] = field(default_factory=list)


def _progress(progress: Progress | None) -> dict | None:
    if progress is None:
        return None
    return {"recorded": progress.recorded, "expected": progress.expected,
            "teams": len(progress.teams), "teams_complete": progress.teams_complete}


def _base(facts: BoardFacts) -> dict:
    edition, judging_round = facts.edition, facts.judging_round
    return {
        "edition": edition.name if edition else None,
        "phase": edition.phase if edition else None,
        "display": edition.public_display if edition else HIDDEN,
        "frozen": bool(edition.leaderboard_frozen) if edition else False,
        "estimator": edition.leaderboard_estimator if edition else None,
        "round": {"id": judging_round.id, "name": judging_round.name,
                  "kind": judging_round.kind, "status": judging_round.status}
        if judging_round else None,
        "state": board_state(edition, judging_round).as_json(),
    }


def _rows(facts: BoardFacts, ranking: Ranking | None, limit: int | None) -> list[dict]:
    if ranking is None:
        return []
    rows = []
    for standing in ranking.standings:
        if not standing.scored or (limit is not None and len(rows) >= limit):
            continue
        team = facts.teams.get(standing.team)
        if team is None:
            continue
        rows.append({"rank": standing.rank, "team": team.code, "name": team.name,
                     "challenge": team.challenge_code, "challenge_title": team.challenge_title,
                     "score": display_score(ranking.estimator, standing.estimate)})
    return rows


def _shown_ranking(facts: BoardFacts) -> Ranking | None:
    return facts.frozen if facts.edition.leaderboard_frozen else facts.ranking


def public_view(facts: BoardFacts, display: str) -> dict:
    view = {**_base(facts), "display": display}
    if display == HIDDEN or facts.edition is None:
        return view
    view["progress"] = _progress(facts.progress)
    if display == RANKING:
        view["ranking"] = _rows(facts, _shown_ranking(facts), facts.top)
    return view


def _team_lines(facts: BoardFacts) -> list[dict]:
    ranks = {row.team: row for row in facts.ranking.standings} if facts.ranking else {}
    lines = []
    for progress in facts.progress.teams if facts.progress else ():
        team, standing = facts.teams.get(progress.team), ranks.get(progress.team)
        if team is None:
            continue
        lines.append({
            "team": team.code, "name": team.name, "challenge": team.challenge_code,
            "rank": standing.rank if standing and standing.scored else None,
            "score": display_score(facts.ranking.estimator, standing.estimate)
            if standing and standing.scored else None,
            "recorded": progress.recorded, "expected": progress.expected,
            "juries_done": progress.juries_done, "juries_assigned": progress.juries_assigned,
            "missing": [facts.juries.get(jury, str(jury)) for jury in progress.juries_missing],
        })
    return sorted(lines, key=lambda line: (line["rank"] is None, line["rank"] or 0,
                                           line["team"]))


def _anomaly(facts: BoardFacts, anomaly: Anomaly) -> dict:
    team = facts.teams.get(anomaly.team) if anomaly.team is not None else None
    return {"kind": anomaly.kind, "jury": facts.juries.get(anomaly.jury, str(anomaly.jury)),
            "team": team.code if team else None, "teams": anomaly.teams,
            "seconds": anomaly.seconds, "values": list(anomaly.values)}


def organizers_view(facts: BoardFacts, lines: list[dict]) -> dict:
    view = {**_base(facts), "progress": _progress(facts.progress)}
    if facts.edition is None or facts.judging_round is None:
        return view
    juries = [{"jury": facts.juries.get(p.jury, str(p.jury)), "assigned": p.assigned,
               "done": p.done, "absent": p.absent, "remaining": p.remaining}
              for p in facts.progress.juries]
    anomalies = [_anomaly(facts, a) for a in facts.anomalies]
    view.update(
        teams=lines,
        juries=sorted(juries, key=lambda j: (-j["remaining"], j["jury"])),
        anomalies=anomalies[-ANOMALIES_SHOWN:], anomalies_total=len(anomalies),
        flags=list(facts.ranking.flags) if facts.ranking else [],
    )
    return view


def challenge_view(facts: BoardFacts, challenge: Challenge, lines: list[dict],
                   places: dict[str, dict] | None) -> dict:
    """`places`: team code → its public ranking row, None while the public sees no ranking."""
    teams = []
    for line in lines:
        row = {key: line[key] for key in ("team", "name", "recorded", "expected",
                                           "juries_done", "juries_assigned")}
        placed = (places or {}).get(line["team"])
        if placed is not None:
            row.update(overall=placed["rank"], score=placed["score"])
        teams.append(row)
    if places is not None:
        placed_teams = sorted((t for t in teams if "overall" in t), key=lambda t: t["overall"])
        for place, row in enumerate(placed_teams, start=1):
            row["rank"] = place
        teams.sort(key=lambda t: (t.get("rank") is None, t.get("rank") or 0, t["team"]))
    return {**_base(facts), "challenge": {"code": challenge.code, "title": challenge.title},
            "teams": teams}


def board_rooms(edition: Edition | None) -> set[str]:
    """Every board room of the edition (the public, juries' and organisers' rooms, and one
    per approved challenge), whether or not anybody listens."""
    rooms = {PUBLIC, JURIES, ORGANIZERS}
    if edition is not None:
        rooms.update(challenge_room(challenge_id) for challenge_id in db.session.scalars(
            sa.select(Challenge.id).where(Challenge.edition_id == edition.id,
                                          Challenge.status == "approved")))
    return rooms


def board_views(facts: BoardFacts, rooms: set[str] | None = None) -> dict[str, dict]:
    """Room → view, for `rooms` only when given (the ones somebody listens to)."""
    def wanted(room: str) -> bool:
        return rooms is None or room in rooms

    if facts.edition is None:
        return {room: _base(facts) for room in (PUBLIC, JURIES, ORGANIZERS) if wanted(room)}
    display = facts.edition.public_display
    any_challenge = rooms is None or any(room.startswith("challenge:") for room in rooms)
    lines = _team_lines(facts) if facts.judging_round is not None and (
        wanted(ORGANIZERS) or any_challenge) else []
    views = {}
    if wanted(PUBLIC):
        views[PUBLIC] = public_view(facts, display)
    if wanted(JURIES):
        views[JURIES] = public_view(facts, HIDDEN if display == HIDDEN else PROGRESS)
    if wanted(ORGANIZERS):
        views[ORGANIZERS] = organizers_view(facts, lines)
    if not any_challenge:
        return views
    challenges = [challenge for challenge in db.session.scalars(sa.select(Challenge).where(
        Challenge.edition_id == facts.edition.id, Challenge.status == "approved"))
        if wanted(challenge_room(challenge.id))]
    by_code = {}
    for line in lines:
        by_code.setdefault(line["challenge"], []).append(line)
    places = ({row["team"]: row for row in _rows(facts, _shown_ranking(facts), None)}
              if display == RANKING and challenges else None)
    for challenge in challenges:
        views[challenge_room(challenge.id)] = challenge_view(
            facts, challenge, by_code.get(challenge.code, []), places)
    return views
