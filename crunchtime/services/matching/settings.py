"""The organisers' team settings for the matching: size bounds and the diversity cap."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from crunchtime.errors import InvalidInput, PhaseClosed
from crunchtime.extensions import db
from crunchtime.models import Edition, User
from crunchtime.phases import phase_index
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.editions.words import phase_label

# Edition.settings key: at most this many students of one programme per team (None: no cap).
DIVERSITY_CAP_KEY = "matching_diversity_cap"
SIZE_LOWEST, SIZE_HIGHEST = 2, 10


@dataclass(frozen=True)
class TeamSettings:
    size_min: int
    size_max: int
    diversity_cap: int | None = None

    def as_parameters(self) -> dict:
        """The MatchingParameters fields these settings fill."""
        return {"team_size_min": self.size_min, "team_size_max": self.size_max,
                "max_same_programme_per_team": self.diversity_cap}


def edition_team_settings(edition: Edition) -> TeamSettings:
    cap = (edition.settings or {}).get(DIVERSITY_CAP_KEY)
    return TeamSettings(edition.team_size_min, edition.team_size_max,
                        int(cap) if cap is not None else None)


def check_team_settings(size_min: int, size_max: int, cap: int | None) -> TeamSettings:
    """Refuse bounds outside 2..10, min above max, or a cap below 1, naming the field."""
    for field, value in (("min_size", size_min), ("max_size", size_max)):
        if not SIZE_LOWEST <= value <= SIZE_HIGHEST:
            raise InvalidInput(_("Team sizes must be between %(low)d and %(high)d.",
                                 low=SIZE_LOWEST, high=SIZE_HIGHEST), field=field)
    if size_min > size_max:
        raise InvalidInput(_("The minimum team size (%(low)d) is above the maximum "
                             "(%(high)d).", low=size_min, high=size_max), field="min_size")
    if cap is not None and not 1 <= cap <= SIZE_HIGHEST:
        raise InvalidInput(_("The cap per programme must be between 1 and %(high)d, or empty "
                             "for no cap.", high=SIZE_HIGHEST), field="diversity_cap")
    return TeamSettings(size_min, size_max, cap)


def update_team_settings(actor: User, size_min: int, size_max: int,
                         cap: int | None) -> TeamSettings:
    """Set the edition's team sizes and diversity cap for the next matching runs; audited."""
    edition = require_current_edition()
    if phase_index(edition.phase) > phase_index("matching"):
        raise PhaseClosed(_("Teams are formed: the team settings can no longer change "
                            "(the edition is in the “%(phase)s” phase).",
                            phase=phase_label(edition.phase)))
    settings = check_team_settings(size_min, size_max, cap)
    edition.team_size_min, edition.team_size_max = settings.size_min, settings.size_max
    edition.settings = {**(edition.settings or {}), DIVERSITY_CAP_KEY: settings.diversity_cap}
    record_audit(actor, "matching.settings", edition, edition_id=edition.id,
                 team_size=[size_min, size_max], diversity_cap=cap)
    db.session.commit()
    return settings
