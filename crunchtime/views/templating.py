"""Shared by the views: template globals and filters (current edition, languages, labels,
numbers and Paris time written one way, in the user's language) and the page number of a
paginated list."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
)

from crunchtime.access import home_endpoint
from crunchtime.i18n import LANGUAGES
from crunchtime.models.base import utcnow
from crunchtime.phases import PHASES
from crunchtime.services.accounts.words import ORGANISATION_KIND_LABELS, ROLE_LABELS
from crunchtime.services.editions.current import current_edition
from crunchtime.services.editions.words import PHASE_DESCRIPTIONS, PHASE_LABELS
from crunchtime.services.matching.words import MATCHING_METRIC_LABELS, MATCHING_STATUS_LABELS


def page_number() -> int:
    """The `page` query argument of a paginated list; anything but a positive number is 1."""
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and int(page) > 0 else 1


def paris_time(value: datetime | None, style: str = "medium") -> str:
    """Dates are stored in UTC and shown in Europe/Paris (Flask-Babel's timezone)."""
    return format_datetime(value, style) if value else ""


def paris_date(value: date | datetime | None, style: str = "medium") -> str:
    """The day (of a UTC moment, in Europe/Paris) in the user's language: "7 déc. 2025"."""
    return format_date(value, style) if value else ""


def paris_clock(value: datetime | None, style: str = "short") -> str:
    """The time of day of a UTC moment, in Europe/Paris: "14:05"."""
    return format_time(value, style) if value else ""


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def decimal(value, digits: int = 1) -> str:
    """A number with exactly `digits` decimals in the user's language ("70,5" in French,
    "70.5" in English); "—" when unknown."""
    if not _is_number(value):
        return "—"
    pattern = "#,##0" + (f".{'0' * digits}" if digits > 0 else "")
    return format_decimal(round(float(value), digits), pattern)


def integer(value) -> str:
    """A count in the user's language, thousands grouped ("1 700"); "—" when unknown."""
    if not _is_number(value):
        return "—"
    return format_decimal(round(value), "#,##0")


def percent(value) -> str:
    """A share (0–1) as a percentage in the user's language; "—" when unknown."""
    if not isinstance(value, int | float):
        return "—"
    return format_percent(value, "#,##0.0%")


def ratio(value, digits: int = 3) -> str:
    if not isinstance(value, int | float):
        return "—"
    return format_decimal(round(float(value), digits), f"0.{'0' * digits}")


def metric(value, name: str) -> str:
    """A matching metric shown the way its kind reads best."""
    if name.endswith("_share"):
        return percent(value)
    if name.endswith("_violations"):
        return str(value or 0)
    return ratio(value, 5 if name.startswith("objective") else 3)


def nav_current(endpoint: str, section: str | None = None) -> str | None:
    """The aria-current value of a menu link: "page" on its own page, "true" on a page of its
    section (an endpoint prefix such as "matching."), else nothing."""
    here = request.endpoint or ""
    if here == endpoint:
        return "page"
    if section and here.startswith(section):
        return "true"
    return None


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(paris_time=paris_time, paris_date=paris_date,
                                 paris_clock=paris_clock, decimal=decimal, integer=integer,
                                 percent=percent, ratio=ratio, metric=metric)
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        PHASES=PHASES,
        PHASE_LABELS=PHASE_LABELS,
        PHASE_DESCRIPTIONS=PHASE_DESCRIPTIONS,
        ROLE_LABELS=ROLE_LABELS,
        ORGANISATION_KIND_LABELS=ORGANISATION_KIND_LABELS,
        MATCHING_STATUS_LABELS=MATCHING_STATUS_LABELS,
        MATCHING_METRIC_LABELS=MATCHING_METRIC_LABELS,
        home_endpoint=home_endpoint,
        current_locale=lambda: str(get_locale()),
        current_edition=current_edition,
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        nav_current=nav_current,
        # When the page was drawn (UTC): its script asks, after each live connection, for
        # the announcements published since then.
        page_drawn_at=lambda: utcnow().isoformat(),
    )
