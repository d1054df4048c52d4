"""The privacy tests share the judged edition of tests/worlds.py."""

from tests.worlds import world  # noqa: F401  (fixture)
