"""French by default, English on request, remembered per user; every string translated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from crunchtime.extensions import db as _db
from tests.helpers import csrf_token, says, text

CATALOG = Path(__file__).parents[1] / "crunchtime/translations/fr/LC_MESSAGES/messages.po"


def test_visitors_get_french_by_default(client, db):
    response = client.get("/login")
    assert '<html lang="fr">' in text(response)
    assert says(response, "Log in")


def test_accept_language_english_gives_english(client, db):
    response = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in text(response) and "Forgot your password?" in text(response)


def test_visitor_switch_is_remembered_in_the_session(client, db):
    response = client.post(
        "/language", data={"locale": "en", "next": "/login", "csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert '<html lang="en">' in text(client.get("/"))


def test_user_switch_is_remembered_on_the_account(client, db, student, login):
    login(student)
    client.post("/language", data={"locale": "en", "csrf_token": csrf_token(client, "/")})
    _db.session.refresh(student)
    assert student.locale == "en"
    other_browser = client.application.test_client()
    with other_browser.session_transaction() as session:
        session["_user_id"] = student.get_id()
    assert '<html lang="en">' in text(other_browser.get("/student/"))


def test_unknown_locale_is_refused_with_a_message(client, db):
    response = client.post(
        "/language", data={"locale": "xx", "csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 400
    assert says(response, "Unknown language “%(code)s”: choose Français or English.", code="xx")


def test_external_next_after_language_switch_is_ignored(client, db):
    response = client.post(
        "/language",
        data={"locale": "en", "next": "https://evil.example/",
              "csrf_token": csrf_token(client, "/")},
    )
    assert response.headers["Location"] == "/"


def test_every_message_has_a_french_translation():
    catalog = read_po(CATALOG.open("rb"))
    untranslated = [
        message.id for message in catalog
        if message.id and (message.fuzzy or not all(
            message.string if isinstance(message.string, tuple) else [message.string]
        ))
    ]
    assert untranslated == []
    assert len(list(catalog)) > 200


def test_every_source_string_is_in_the_catalog():
    """`scripts/update-translations` has been run since the last string was added."""
    from babel.messages.extract import extract_from_dir

    catalog = read_po(CATALOG.open("rb"))
    known = {message.id if isinstance(message.id, str) else message.id[0]
             for message in catalog}
    root = Path(__file__).parents[1]
    method_map = [("crunchtime/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"},
               "templates/**.txt": {"extensions": "jinja2.ext.do"}}
    found = {
        (message[2] if isinstance(message[2], str) else message[2][0])
        for message in extract_from_dir(
            str(root), method_map, options,
            keywords={"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
                      "ngettext": (1, 2)},
        )
    }
    assert found - known == set()
