"""Access matrix entries: two-step verification (the login's second step, the account's own
pages, the organisers' reset)."""

from __future__ import annotations

from tests.access.common import everyone, only

SECOND_FACTOR_ROLES = ("company", "jury", "organizer")


def _posted(status) -> dict:
    return {"anonymous": "login", "student": 403,
            **dict.fromkeys(SECOND_FACTOR_ROLES, status)}


ENTRIES = {
    # Without a pending login, the second step sends everyone to the login page (visitors)
    # or home (signed-in accounts).
    "two_factor.verify": ("GET", "/login/verify", None, everyone(302)),
    "two_factor.enrol_at_login": ("GET", "/login/setup", None, everyone(302)),
    "two_factor.settings": ("GET", "/account/two-step", None, only(*SECOND_FACTOR_ROLES)),
    "two_factor.enrol": ("GET", "/account/two-step/setup", None, only(*SECOND_FACTOR_ROLES)),
    # Not enrolled: the settings page comes back with the form's errors.
    "two_factor.regenerate_codes": ("POST", "/account/two-step/recovery-codes", {},
                                    _posted(200)),
    "two_factor.disable": ("POST", "/account/two-step/disable", {}, _posted(200)),
    "two_factor.forget_devices": ("POST", "/account/two-step/devices/forget", {}, _posted(302)),
    "people.second_factors": ("GET", "/organizer/second-factors", None, only("organizer")),
    "people.reset_second_factor": ("GET", "/organizer/second-factors/{second_factor_user_id}"
                                          "/reset", None, only("organizer")),
}


def url_values(db, people) -> dict:
    return {"second_factor_user_id": people["jury"].id}
