"""The `crunchtime` command line."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import Edition, User
from tests import factories
from tests.helpers import fr


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_new_edition_becomes_current(app, db):
    result = run(app, "new-edition", "Crunch Time 2027", "--year", "2027")
    assert result.exit_code == 0, result.output
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    assert edition.name == "Crunch Time 2027" and edition.phase == "setup"
    again = run(app, "new-edition", "Crunch Time 2027")
    assert again.exit_code == 1
    message = fr("An edition named “%(name)s” already exists.", name="Crunch Time 2027")
    assert message in again.output


def test_create_organizer_prints_a_link_to_set_the_password(app, db):
    result = run(app, "create-organizer", "Direction@UTBM.fr", "--first-name", "Anne")
    assert result.exit_code == 0, result.output
    assert "http://crunchtime.test/invitation/" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "direction@utbm.fr"))
    assert user.role == "organizer" and user.password_hash is None


def test_create_organizer_with_a_password_from_stdin(app, db):
    result = run(app, "create-organizer", "orga@utbm.fr", "--password-stdin",
                 input="un-mot-de-passe-solide\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "orga@utbm.fr"))
    assert user.password_hash.startswith("$argon2id$")


def test_create_organizer_refuses_an_existing_email_and_a_weak_password(app, db):
    factories.organizer(email="orga@utbm.fr")
    duplicate = run(app, "create-organizer", "ORGA@utbm.fr")
    assert duplicate.exit_code == 1
    assert fr("An account already exists with this e-mail address.") in duplicate.output
    weak = run(app, "create-organizer", "new@utbm.fr", "--password-stdin", input="court\n")
    assert weak.exit_code == 1
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
