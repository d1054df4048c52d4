"""English that is English: every page of every role, asked for in English, shows no French
interface text (a hard-coded French string, a French default stored in the database and
shown as is). The world's own data is made ASCII so that only the interface can leak."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from crunchtime.models import Membership, Milestone, StudentProfile
from crunchtime.services.teams.milestones import ensure_default_milestones, stage_hint
from tests import factories
from tests.access import all_entries, matrix_world
from tests.access.common import ROLES
from tests.helpers import client_for, text

ENGLISH = {"Accept-Language": "en"}
# What French interface text has and English text has not: accented letters and the small
# words of French sentences (whole words, so that "leaderboard" or "tablet" do not count).
FRENCH = re.compile(r"[éèêëàâîïôûùçœÉÈÊÀÇŒ«»]|\b(?:le|la|les|des|du|une|et|pour|avec|vous|votre|"
                    r"vos|aucun|aucune|équipe|Équipe|défi|Défi)\b")
# Tables whose text the test keeps as stored: it is what the interface must translate.
INTERFACE_TABLES = {"milestone", "alembic_version"}
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def ascii_only(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value)
    return "".join(char for char in folded if ord(char) < 128)


def make_user_data_ascii(db) -> None:
    """The factories' French-looking names ("Prénom1", "Défi 3") folded to ASCII."""
    for table in db.metadata.sorted_tables:
        if table.name in INTERFACE_TABLES:
            continue
        texts = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
        keys = list(table.primary_key.columns)
        if not texts or not keys:
            continue
        for row in db.session.execute(sa.select(*keys, *texts)).mappings():
            changes = {c.name: ascii_only(row[c.name]) for c in texts
                       if isinstance(row[c.name], str) and not row[c.name].isascii()}
            if changes:
                db.session.execute(table.update().where(
                    *(k == row[k.name] for k in keys)).values(**changes))
    db.session.commit()


class _ShownText(HTMLParser):
    """The text a reader sees or hears: text nodes and a few attributes, outside scripts,
    styles and elements marked as another language (the "Français" button)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style") or attributes.get("lang", "en") != "en":
            if tag not in ("input", "br", "img", "meta", "link"):
                self._hidden.append(tag)
            return
        if not self._hidden:
            self.parts += [attributes[name] for name in SHOWN_ATTRIBUTES
                           if attributes.get(name)]

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def french_in(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    return [part for part in parser.parts if FRENCH.search(part)]


def english_world(db, edition) -> tuple[dict, dict]:
    users, values = matrix_world(db, edition)
    profile = db.session.scalar(sa.select(StudentProfile).filter_by(
        user_id=users["student"].id, edition_id=edition.id))
    db.session.add(Membership(team_id=values["team_id"], student_id=profile.id,
                              edition_id=edition.id))
    db.session.commit()
    make_user_data_ascii(db)
    return users, values


def test_the_detector_sees_french_and_spares_english():
    assert french_in("<p>Aucune équipe pour le moment</p>")
    assert french_in('<button aria-label="Fermer le menu">x</button>')
    assert not french_in('<p>Leaderboard of the tables</p><button lang="fr">Français</button>')
    assert not french_in("<script>const t = 'équipe';</script><p>Teams</p>")


@pytest.mark.parametrize("role", ROLES)
def test_pages_asked_in_english_show_no_french(app, db, edition, role):
    users, values = english_world(db, edition)
    client = client_for(app, users[role]) if users[role] else app.test_client()
    leaks, pages = [], 0
    for method, path, _data, _expected in all_entries().values():
        if method != "GET":
            continue
        path = path.format(**values)
        response = client.get(path, headers=ENGLISH)
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()
            continue
        pages += 1
        leaks += [(path, part[:90]) for part in french_in(text(response))]
    assert pages, f"no page for {role}"
    assert leaks == [], "\n".join(f"{path}: {part}" for path, part in leaks)


def test_default_stage_hints_follow_the_reader_language(app, db, edition):
    """The hint is stored once (in English) and read in each reader's language; a hint an
    organiser wrote stays as written, and one stored in French by earlier versions is
    recognised as the default."""
    [empathise, *_others] = ensure_default_milestones(edition)
    with app.test_request_context(headers=ENGLISH):
        english = stage_hint(empathise)
    assert english.startswith("Who lives the problem?")
    assert not FRENCH.search(english)

    from flask_babel import force_locale

    with app.test_request_context(), force_locale("fr"):
        french = stage_hint(empathise)
    db.session.execute(sa.update(Milestone).where(Milestone.id == empathise.id)
                       .values(expected=french))
    db.session.commit()
    with app.test_request_context(headers=ENGLISH):
        assert stage_hint(db.session.get(Milestone, empathise.id)) == english

    db.session.execute(sa.update(Milestone).where(Milestone.id == empathise.id)
                       .values(expected="Trois entretiens."))
    db.session.commit()
    with app.test_request_context(headers=ENGLISH):
        assert stage_hint(db.session.get(Milestone, empathise.id)) == "Trois entretiens."


def test_the_default_round_is_named_in_the_reader_language(app, db, edition):
    from crunchtime.services.judging.rounds import create_default_rounds

    organiser = factories.organizer()
    with app.test_request_context():  # French, the default language
        create_default_rounds(organiser, edition)
    client = client_for(app, organiser)
    page = text(client.get("/organizer/judging/", headers=ENGLISH))
    assert "Round 1" in page and "Tour 1" not in page
