"""The submissions tests: a team of two members saving its deliverables (tests/team_world.py)."""

from tests.team_world import (  # noqa: F401  (fixtures)
    challenge,
    company,
    edition,
    hugo,
    lea,
    outsider,
    team,
)
