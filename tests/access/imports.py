"""Access matrix entries of the organisers' import pages (students and challenges CSV)."""

from __future__ import annotations

from tests.access.common import only

ENTRIES = {
    "imports.students": ("GET", "/organizer/import/students", None, only("organizer")),
    "imports.challenges": ("GET", "/organizer/import/challenges", None, only("organizer")),
}
