"""Access matrix entries: the organisers' matching pages."""

from __future__ import annotations

from tests.access.common import only

ORGANISER_POST = {"anonymous": "login", "student": 403, "company": 403, "jury": 403}

ENTRIES = {
    "matching.index": ("GET", "/organizer/matching/", None, only("organizer")),
    # The test edition is in the registration phase: the matching is closed (409).
    "matching.run": ("POST", "/organizer/matching/run", {}, {**ORGANISER_POST,
                                                             "organizer": 409}),
    "matching.show": ("GET", "/organizer/matching/{run_id}", None, only("organizer")),
    "matching.move": ("POST", "/organizer/matching/{run_id}/move", {}, {**ORGANISER_POST,
                                                                        "organizer": 400}),
    "matching.swap": ("POST", "/organizer/matching/{run_id}/swap", {}, {**ORGANISER_POST,
                                                                        "organizer": 400}),
    "matching.pin": ("POST", "/organizer/matching/{run_id}/pin", {}, {**ORGANISER_POST,
                                                                      "organizer": 400}),
    "matching.publish": ("POST", "/organizer/matching/{run_id}/publish", {},
                         {**ORGANISER_POST, "organizer": 400}),
    # Nothing to undo: refused with a message at the top of the run page (redirect).
    "matching.undo": ("POST", "/organizer/matching/{run_id}/undo", {}, {**ORGANISER_POST,
                                                                        "organizer": 302}),
    "matching.settings": ("POST", "/organizer/matching/settings", {},
                          {**ORGANISER_POST, "organizer": 400}),
    "matching.compare": ("GET", "/organizer/matching/compare?a={run_id}&b={run_id}", None,
                         only("organizer")),
}


def url_values(db, people) -> dict:
    from crunchtime.models import MatchingRun
    from crunchtime.services.editions.current import current_edition

    run = MatchingRun(edition_id=current_edition().id, status="preview",
                      metrics={"first_choice_share": 0.5})
    db.session.add(run)
    db.session.commit()
    return {"run_id": run.id}
