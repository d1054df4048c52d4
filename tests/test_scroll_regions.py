"""Every box that scrolls sideways (a wide table on a phone) can be reached and named by a
keyboard or screen-reader user: focusable, a region, with a name (axe's
scrollable-region-focusable). Checked in every template, not only on the pages the browser
crawl happens to make scroll."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parents[1] / "templates"
OPENING = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-scroll\b[^\"]*\"[^>]*>", re.S)


def test_every_scrolling_box_is_a_named_focusable_region():
    unreachable = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in OPENING.findall(path.read_text(encoding="utf-8")):
            named = "aria-label=" in tag or "aria-labelledby=" in tag
            if not ('tabindex="0"' in tag and 'role="region"' in tag and named):
                unreachable.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert unreachable == []


def test_the_check_sees_the_boxes():
    found = sum(len(OPENING.findall(path.read_text(encoding="utf-8")))
                for path in TEMPLATES.rglob("*.html"))
    assert found >= 20
