"""A team's answer, once its work is handed in, to "do you want to continue the project?":
yes or no, who would carry on, and what comes next (an incubation signal)."""

from __future__ import annotations

from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Edition, Team, User
from crunchtime.services.audit import record_audit
from crunchtime.services.submissions.versions import submission_of
from crunchtime.services.teams.space import team_for_member

WHO_MAX = 300
PLAN_MAX = 2000
SEPARATOR = "\n\n"
OPEN_PHASES = ("judging", "results")


def split_plan(stored: str) -> tuple[str, str]:
    """`Team.continuation_plan` holds "who" on its first line, a blank line, then the plan."""
    stored = stored or ""
    if SEPARATOR not in stored:
        return "", stored.strip()
    who, _sep, plan = stored.partition(SEPARATOR)
    return who.strip(), plan.strip()


def join_plan(who: str, plan: str) -> str:
    who, plan = " ".join((who or "").split()), (plan or "").strip().replace("\r\n", "\n")
    return f"{who}{SEPARATOR}{plan}" if who or plan else ""


def may_answer(team: Team, edition: Edition) -> bool:
    """Open once the submission is handed in (or judging has started) until the edition
    closes."""
    if edition.archived or edition.phase == "closed":
        return False
    if edition.phase in OPEN_PHASES:
        return True
    submission = submission_of(team)
    return edition.phase == "building" and submission is not None \
        and submission.submitted_at is not None


def save_continuation(user: User, team_id: int, wants: bool | None, who: str,
                      plan: str) -> Team:
    """Any member records the team's answer; answering again replaces it."""
    team = team_for_member(user, team_id)
    edition = db.session.get(Edition, team.edition_id)
    if not may_answer(team, edition):
        raise Conflict(_("You can answer once your submission is handed in, until the "
                         "edition closes."))
    if wants is None:
        raise InvalidInput(_("Answer yes or no."), field="wants")
    if len(" ".join((who or "").split())) > WHO_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=WHO_MAX), field="who")
    if len((plan or "").strip()) > PLAN_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=PLAN_MAX), field="plan")
    team.wants_to_continue = wants
    team.continuation_plan = join_plan(who, plan) if wants else join_plan("", plan)
    record_audit(user, "team.continuation", team, edition_id=team.edition_id,
                 code=team.code, wants=wants)
    db.session.commit()
    return team
