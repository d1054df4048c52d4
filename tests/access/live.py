"""Access matrix entries of the live boards: the big screen for everyone, the companies'
and the organisers' live pages, the big screen's settings (organisers only)."""

from __future__ import annotations

from tests.access.common import ALL_OK, LOGIN, only

ENTRIES = {
    "live.board": ("GET", "/live", None, ALL_OK),
    "live.company": ("GET", "/company/live", None, only("company")),
    "live.organizers": ("GET", "/organizer/live", None, only("organizer")),
    "live.display": ("POST", "/organizer/live/display", {"display": "progress"},
                     {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                      "organizer": 302}),
}
