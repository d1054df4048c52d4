"""Browser tests: headless Debian Chromium driven by Playwright against a live server.

Availability policy, shared by conftest.py and the test modules: when Playwright or
Chromium is missing, the tests are skipped locally but fail when CI=true, because the
browser tests are mandatory in CI.
"""

from __future__ import annotations

import os
from types import ModuleType

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str, *, module_level: bool = False):
    """Skip locally; fail in CI, where the browser tests must run."""
    if in_ci():
        pytest.fail(f"browser tests are mandatory in CI (CI=true): {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=module_level)


def playwright_sync_api(*, module_level: bool = False) -> ModuleType:
    """`playwright.sync_api`, or a skip (a failure in CI) when it cannot be imported."""
    try:
        from playwright import sync_api
    except ImportError as error:
        problem = str(error)
    else:
        return sync_api
    unavailable(
        f"the playwright package cannot be imported ({problem}): "
        "pip install -e '.[test]' (and never run `playwright install`)",
        module_level=module_level,
    )
    raise AssertionError("unreachable")  # unavailable() always raises
