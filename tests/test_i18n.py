"""French by default, English on request, remembered per user; every string translated."""

from __future__ import annotations

import re
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


KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
# A msgid is the English text: these French words in one are names, not untranslated French.
FRENCH_NAMES = ("Français",)
FRENCH_LETTERS = re.compile(r"[éèêëàâîïôûùçœÉÈÊÀÇŒ«»]")


def source_messages() -> dict:
    """Every message of the code and the templates (Python `_`, `_l`, `gettext`,
    `lazy_gettext`, `ngettext`, `lazy_ngettext`; Jinja `_`, `gettext`, `ngettext`):
    msgid, or (singular, plural) for a plural -> where it is used."""
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).parents[1]
    method_map = [("crunchtime/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"},
               "templates/**.txt": {"extensions": "jinja2.ext.do"}}
    found = {}
    for filename, line, message, *_rest in extract_from_dir(str(root), method_map, options,
                                                            keywords=KEYWORDS):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, f"{filename}:{line}")
    return found


def catalog_messages() -> dict:
    """msgid, or (singular, plural), -> its French text(s), for the catalog's messages."""
    catalog = read_po(CATALOG.open("rb"))
    return {message.id if isinstance(message.id, str) else tuple(message.id): message.string
            for message in catalog if message.id and not message.fuzzy}


def test_every_source_string_is_in_the_catalog():
    """`scripts/update-translations` has been run since the last string was added: each
    message is in the French catalog with a translation (both forms of a plural, whose
    singular and plural must both match the code's)."""
    catalog = catalog_messages()
    missing = {key: where for key, where in source_messages().items()
               if not all(catalog.get(key) if isinstance(catalog.get(key), tuple)
                          else [catalog.get(key)])}
    assert missing == {}


def test_every_message_id_is_english():
    """The msgid is what English readers see: French in one reaches the English pages."""
    french = {key: where for key, where in source_messages().items()
              for text in ([key] if isinstance(key, str) else key)
              if FRENCH_LETTERS.search(_without_names(text))}
    assert french == {}


def _without_names(text: str) -> str:
    for name in FRENCH_NAMES:
        text = text.replace(name, "")
    return text


def test_the_extraction_sees_plurals_lazy_strings_and_templates():
    """The checks above are only as good as what the extraction finds."""
    found = source_messages()
    where = {key: place.split(":")[0] for key, place in found.items()}
    assert where[("“%(name)s”: %(num)d row read.", "“%(name)s”: %(num)d rows read.")] \
        == "templates/exchange/imports/_macros.html"
    assert where["Team name"] == "crunchtime/views/teams/team/forms.py"  # lazy_gettext
    assert where["Please correct the fields marked below."].startswith("templates/")
    assert sum(isinstance(key, tuple) for key in found) > 20
