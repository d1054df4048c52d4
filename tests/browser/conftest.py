"""Fixtures for browser tests: a live server on the session app, Chromium, a page per test.

Chromium is Debian's (`/usr/bin/chromium`), never one downloaded by `playwright install`.
When Playwright or Chromium is unavailable the tests are skipped locally, but they fail
when the environment variable CI is "true": in CI the browser tests are mandatory.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LIVE_HOST = "127.0.0.1"
PAGE_LOCALE = "fr-FR"
ACTION_TIMEOUT_MS = 15_000
SCREENSHOT_DIR = "test-results"


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ carries the `browser` marker (declared in setup.cfg)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (rep_setup, rep_call, rep_teardown)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The session app served over HTTP on a free local port, in a background thread."""
    server = make_server(LIVE_HOST, 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, name="crunchtime-live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://{LIVE_HOST}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _screenshot_path(request) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid).strip("_")
    return request.config.rootpath / SCREENSHOT_DIR / f"{name}.png"


@pytest.fixture
def new_page(browser, request):
    """A factory of pages, each in its own French-speaking context; screenshot on failure."""
    contexts = []

    def make(**context_options):
        context_options.setdefault("locale", PAGE_LOCALE)
        context = browser.new_context(**context_options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make

    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    for index, context in enumerate(contexts):
        if failed:
            for number, open_page in enumerate(context.pages):
                path = _screenshot_path(request)
                if index or number:
                    path = path.with_name(f"{path.stem}-{index}-{number}.png")
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    open_page.screenshot(path=str(path), full_page=True)
                except Exception as error:  # a broken page must not hide the real failure
                    print(f"could not save screenshot {path}: {error}")
                else:
                    print(f"screenshot saved: {path}")
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context (locale fr-FR), closed after the test."""
    return new_page()
