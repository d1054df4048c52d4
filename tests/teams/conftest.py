"""The teams tests: a team of two members (tests/team_world.py), and the judged edition of
tests/worlds.py for the wish to continue."""

from tests.team_world import (  # noqa: F401  (fixtures)
    challenge,
    company,
    edition,
    hugo,
    lea,
    outsider,
    team,
)
from tests.worlds import world  # noqa: F401  (fixture)
