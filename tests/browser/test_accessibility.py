"""axe-core on every HTML page each role can open, at phone and desktop width: no serious
or critical WCAG 2.1 A/AA violation.

The pages come from the access matrix (tests/access/): every GET entry, its path filled by
`matrix_world`, that answers 200 with HTML to the role. axe-core is fetched by
scripts/lib/assets.sh into static/vendor/ and injected by the test, never by a template.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Membership, StudentProfile
from tests import factories
from tests.access import all_entries, matrix_world
from tests.access.common import ROLES
from tests.browser import unavailable
from tests.browser.test_challenge_flow import log_in
from tests.helpers import client_for

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
# Milder rules that still fail the test: a screen-reader user navigates by headings, and an
# empty header cell announces nothing.
BLOCKING_RULES = ("heading-order", "empty-table-header")
NODES_SHOWN = 3
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact,
    targets: v.nodes.map((n) => n.target.join(' ')),
    summary: (v.nodes[0].failureSummary || '').split('\\n').slice(1, 2).join('').trim(),
  }));
}"""


def html_pages(app, users: dict, values: dict, role: str) -> list[str]:
    """Paths of the matrix's GET entries that answer 200 with a whole HTML page to `role`
    (downloads, JSON and the fragments that scripts fetch are left out)."""
    paths = []
    for _endpoint, (method, path, _form, _expected) in sorted(all_entries().items()):
        if method != "GET":
            continue
        path = path.format(**values)
        client = client_for(app, users[role]) if users[role] else app.test_client()
        response = client.get(path)
        if (response.status_code == 200 and response.mimetype == "text/html"
                and b"<html" in response.data[:300].lower()):  # a page, not a fragment
            paths.append(path)
        response.close()  # downloads are streamed: end them here
    return paths


def world(app, role: str) -> tuple[str | None, list[str]]:
    """The access matrix's world, its student made a member of the matrix team so that the
    team pages are checked too. Returns the role's e-mail (None for visitors) and pages."""
    with app.app_context():
        edition = factories.edition(phase="registration")
        users, values = matrix_world(db, edition)
        profile = db.session.scalar(sa.select(StudentProfile).filter_by(
            user_id=users["student"].id, edition_id=edition.id))
        db.session.add(Membership(team_id=values["team_id"], student_id=profile.id,
                                  edition_id=edition.id))
        db.session.commit()
        email = users[role].email if users[role] else None
        db.session.remove()
    return email, html_pages(app, users, values, role)


def audit(page: Page, url: str) -> list[dict]:
    page.goto(url)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def describe(failures: list[tuple[str, str, dict]]) -> str:
    lines = []
    for path, width, violation in failures:
        nodes = ", ".join(violation["targets"][:NODES_SHOWN])
        more = len(violation["targets"]) - NODES_SHOWN
        lines.append(f"{path} [{width}] {violation['id']} ({violation['impact']}): {nodes}"
                     + (f" (+{more} more)" if more > 0 else "")
                     + (f" -- {violation['summary']}" if violation["summary"] else ""))
    return "\n".join(lines)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_has_no_serious_accessibility_violation(app, live_server,
                                                                       new_page, role):
    if not AXE.exists():
        unavailable(f"{AXE} is missing: run ./scripts/test (ensure_assets fetches it)")
    email, paths = world(app, role)
    assert paths, f"no page found for {role}"
    page = new_page(viewport=WIDTHS["desktop"], bypass_csp=True)  # axe is an inline script
    if email:
        log_in(page, live_server, email)

    checked, by_rule, failures = 0, Counter(), []
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for path in paths:
            for violation in audit(page, live_server + path):
                by_rule[(violation["id"], violation["impact"])] += 1
                if violation["impact"] in BLOCKING or violation["id"] in BLOCKING_RULES:
                    failures.append((path, width, violation))
                else:
                    print(f"axe: {role}: not blocking: " + describe([(path, width, violation)]))
            checked += 1
    print(f"\naxe: {role}: {checked} page x width checks "
          f"({len(paths)} pages x {len(WIDTHS)} widths)")
    for (rule, impact), count in sorted(by_rule.items()):
        print(f"axe: {role}: {rule} ({impact}) on {count} page x width")
    assert not failures, (f"{len(failures)} serious or critical violations for {role}:\n"
                          + describe(failures))
