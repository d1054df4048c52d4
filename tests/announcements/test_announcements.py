"""Announcements: to everyone, a role, a challenge's teams or one team; refused for an empty
audience (saying why); live on the recipients' pages, in their list, by e-mail if asked;
scheduled ones fire at their time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from crunchtime.errors import InvalidInput
from crunchtime.models import Announcement, OutboxMessage
from crunchtime.models.base import utcnow
from crunchtime.services.announcements.posts import (
    AnnouncementDraft,
    create_announcement,
    publish_due_announcements,
    visible_announcements,
)
from tests import factories
from tests.helpers import fr, says, text
from tests.worlds import post

MANAGE = "/organizer/announcements/"


def send(world, **fields) -> Announcement:
    fields.setdefault("text_fr", "Rendez-vous à 14 h en amphi A.")
    return create_announcement(world.organizer, world.edition,
                               AnnouncementDraft(**{"audience": "everyone", **fields}))


def test_an_announcement_to_one_team_reaches_only_its_members(db, world):
    send(world, audience="team", team_id=world.teams[0].id, text_fr="Pour vous seuls")
    mine = visible_announcements(world.students[0], world.edition)
    other = visible_announcements(world.students[1], world.edition)
    assert [a.text_fr for a in mine] == ["Pour vous seuls"] and other == []


def test_a_challenge_and_a_role_reach_their_audience(db, world):
    send(world, audience="challenge", challenge_id=world.challenges[1].id, text_fr="Défi 2")
    send(world, audience="role", role="jury", text_fr="Aux jurys")
    assert [a.text_fr for a in visible_announcements(world.students[1], world.edition)] == [
        "Défi 2"]
    assert visible_announcements(world.students[0], world.edition) == []
    assert [a.text_fr for a in visible_announcements(world.juries[0], world.edition)] == [
        "Aux jurys"]


@pytest.mark.parametrize("fields, message, params", [
    ({"audience": "role", "role": "jury"}, "No jury is registered for this edition yet: "
     "nobody would receive this announcement.", {}),
    ({"audience": "challenge"}, "No team works on the challenge %(code)s yet: nobody would "
     "receive this announcement.", {"code": "C009"}),
    ({"audience": "team"}, "The team %(code)s has no members: nobody would receive this "
     "announcement.", {"code": "T099"}),
])
def test_an_empty_audience_is_refused_and_says_why(db, fields, message, params):
    edition = factories.edition(phase="building")
    organizer = factories.organizer()
    challenge = factories.challenge(edition, code="C009")
    team = factories.team(edition, factories.challenge(edition), code="T099")
    fields = {**fields, "challenge_id": challenge.id, "team_id": team.id}
    with pytest.raises(InvalidInput) as refused:
        create_announcement(organizer, edition, AnnouncementDraft(text_fr="Bonjour", **fields))
    assert refused.value.message == fr(message, **params)
    assert db.session.scalar(sa.select(sa.func.count(Announcement.id))) == 0


def test_the_organiser_page_refuses_an_empty_audience_keeping_the_text(db, as_user):
    edition = factories.edition(phase="registration")
    organizer = factories.organizer()
    response = post(as_user(organizer), MANAGE, {"audience": "role", "role": "jury",
                                                  "text_fr": "Bienvenue aux jurys"})
    assert response.status_code == 200 and edition.phase == "registration"
    assert db.session.scalar(sa.select(sa.func.count(Announcement.id))) == 0
    assert says(response, "No jury is registered for this edition yet: nobody would receive "
                          "this announcement.")
    assert "Bienvenue aux jurys" in text(response)


def test_sending_from_the_page_e_mails_each_recipient_in_their_language(db, world, as_user):
    english = world.students[1]
    english.locale = "en"
    db.session.commit()
    response = post(as_user(world.organizer), MANAGE, {
        "audience": "role", "role": "student", "text_fr": "Pause déjeuner à midi",
        "text_en": "Lunch break at noon", "send_email": "y"})
    assert response.status_code == 302
    mails = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "announcement")).all()
    assert len(mails) == len(world.students)
    by_recipient = {mail.recipient: mail.body for mail in mails}
    assert "Lunch break at noon" in by_recipient[english.email]
    assert "Pause déjeuner à midi" in by_recipient[world.students[0].email]


def test_the_list_shows_the_text_in_the_reader_s_language(db, world, as_user):
    send(world, text_fr="Bonjour à tous", text_en="Hello everyone")
    world.students[0].locale = "en"
    db.session.commit()
    assert "Hello everyone" in text(as_user(world.students[0]).get("/announcements/"))
    assert "Bonjour à tous" in text(as_user(world.students[1]).get("/announcements/"))


def test_a_scheduled_announcement_fires_at_its_time(db, world):
    later = utcnow() + timedelta(hours=1)
    item = send(world, scheduled_at=later, text_fr="Plus tard")
    assert item.published_at is None
    assert visible_announcements(world.students[0], world.edition) == []
    assert publish_due_announcements(utcnow()) == 0
    assert publish_due_announcements(later + timedelta(seconds=1)) == 1
    assert publish_due_announcements(later + timedelta(minutes=5)) == 0
    assert [a.text_fr for a in visible_announcements(world.students[0], world.edition)] == [
        "Plus tard"]


def test_a_new_announcement_is_pushed_live_to_its_audience_only(app, db, world,
                                                                live_test_client):
    sockets = {}
    for name, user in (("member", world.students[0]), ("other", world.students[1]),
                       ("jury", world.juries[0])):
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["_user_id"] = user.get_id()
        with app.app_context():
            sockets[name] = live_test_client(app, namespace="/live", flask_test_client=browser)
        sockets[name].get_received("/live")
    send(world, audience="team", team_id=world.teams[0].id, text_fr="Votre salle : B12")
    send(world, audience="role", role="jury", text_fr="Délibération à 17 h")

    def received(name):
        return [event["args"][0]["text_fr"] for event in sockets[name].get_received("/live")
                if event["name"] == "announcement"]

    assert received("member") == ["Votre salle : B12"]
    assert received("other") == []
    assert received("jury") == ["Délibération à 17 h"]


SERVER_PROCESS = """
import json, sys
from crunchtime.services.announcements import scheduler
scheduler.INTERVAL_SECONDS = 0.2
from crunchtime.app import create_app
app = create_app(json.loads(sys.argv[1]))
sys.stdin.read()  # serve until the test closes our standard input
"""


def test_a_server_process_publishes_scheduled_announcements_by_itself(db, world, app_config):
    """Building the app of a server process starts the loop: no request is needed."""
    import json
    import subprocess
    import sys
    import time

    item = send(world, scheduled_at=utcnow() + timedelta(milliseconds=300),
                text_fr="À l'heure dite")
    config = {**app_config, "ANNOUNCEMENT_SCHEDULER": True}
    server = subprocess.Popen([sys.executable, "-c", SERVER_PROCESS, json.dumps(config)],
                              stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            db.session.expire_all()
            if db.session.get(Announcement, item.id).published_at is not None:
                break
            time.sleep(0.2)
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    assert db.session.get(Announcement, item.id).published_at is not None


def test_tests_and_requests_do_not_start_the_loop(app):
    from crunchtime.services.announcements import scheduler as announcement_scheduler

    app.test_client().get("/health")
    assert app.extensions.get(announcement_scheduler.EXTENSION_KEY) is None


def test_commands_build_their_app_without_the_loop(monkeypatch):
    from crunchtime import console

    built = {}
    monkeypatch.setattr(console, "create_app", lambda config: built.setdefault("config", config))
    console.create_command_app()
    assert built["config"]["ANNOUNCEMENT_SCHEDULER"] is False


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script\b([^>]*)>", page)


@pytest.mark.parametrize("path", ["/account/", "/announcements/", "/team/{team}"])
def test_every_signed_in_page_shows_new_announcements_through_its_one_live_connection(
        db, world, as_user, path):
    page = text(as_user(world.students[0]).get(path.format(team=world.teams[0].id)))
    assert page.count("data-announcement-banner") == 1
    banner = page[page.index("data-announcement-banner"):]
    banner = banner[:banner.index(">")]
    assert 'aria-live="polite"' in banner and "data-since=" in banner
    scripts = _scripts(page)
    assert all("src=" in attributes for attributes in scripts)  # no inline script (CSP)
    assert [a for a in scripts if "js/live.js" in a] and \
        len([a for a in scripts if "js/live.js" in a]) == 1
    assert len([a for a in scripts if "socket.io.min.js" in a]) == 1
    assert len([a for a in scripts if "js/announcements.js" in a]) == 1
    assert page.index("js/live.js") < page.index("js/announcements.js")


def test_pages_of_visitors_open_no_live_connection(db, client):
    page = text(client.get("/privacy"))
    assert "data-announcement-banner" not in page and "js/live.js" not in page


def test_the_team_space_lists_its_announcements_for_the_live_script(db, world, as_user):
    item = send(world, audience="team", team_id=world.teams[0].id, text_fr="Salle B12")
    page = text(as_user(world.students[0]).get(f"/team/{world.teams[0].id}"))
    assert "data-announcement-list" in page and f'data-announcement="{item.id}"' in page
    assert "data-announcement-empty" not in page
    empty = text(as_user(world.students[1]).get(f"/team/{world.teams[1].id}"))
    assert "data-announcement-list" in empty and "data-announcement-empty" in empty


def test_the_feed_gives_what_was_published_since_the_page_was_drawn(db, world, as_user):
    before = send(world, text_fr="Avant")
    drawn = utcnow()
    after = send(world, text_fr="Après")
    client = as_user(world.students[0])
    everything = client.get("/announcements/feed.json").get_json()["announcements"]
    assert [a["id"] for a in everything] == [after.id, before.id]
    since = client.get("/announcements/feed.json", query_string={
        "since": drawn.isoformat()}).get_json()["announcements"]
    assert [a["id"] for a in since] == [after.id]
    odd = client.get("/announcements/feed.json?since=hier").get_json()["announcements"]
    assert len(odd) == 2


def test_reading_the_lists_never_publishes_a_due_announcement(db, world, as_user):
    item = send(world, scheduled_at=utcnow() + timedelta(hours=1), text_fr="En retard")
    item.scheduled_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    student_page = as_user(world.students[0]).get("/announcements/")
    organiser_page = as_user(world.organizer).get(MANAGE)
    assert "En retard" not in text(student_page)
    assert "En retard" in text(organiser_page)
    db.session.expire_all()
    assert db.session.get(Announcement, item.id).published_at is None
    assert publish_due_announcements() == 1  # the scheduler's job
