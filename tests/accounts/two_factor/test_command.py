"""`crunchtime reset-second-factor EMAIL`: the way out when the only organiser has lost both
their phone and their recovery codes."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent
from crunchtime.services.accounts import second_factor
from tests.accounts.two_factor.conftest import enrol
from tests.helpers import fr


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_the_console_resets_an_organisers_second_factor_and_audits_it(app, db, organizer):
    enrol(organizer)
    result = run(app, "reset-second-factor", organizer.email.upper())
    assert result.exit_code == 0, result.output
    assert not second_factor.is_enrolled(organizer)
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "account.second_factor_reset"))
    assert event.actor_id is None and event.target_id == organizer.id
    assert event.details["via"] == "console"


def test_the_console_says_why_it_cannot_reset(app, db, jury):
    unknown = run(app, "reset-second-factor", "personne@example.org")
    assert unknown.exit_code == 1
    assert fr("No account has the address %(email)s.", email="personne@example.org") \
        in unknown.output
    nothing = run(app, "reset-second-factor", jury.email)
    assert nothing.exit_code == 1
    assert fr("%(name)s has no second factor to reset.", name=jury.full_name) in nothing.output
