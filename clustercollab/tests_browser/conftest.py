"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures:
- ``browser`` (session): one headless Chromium per test process (per xdist worker).
- ``page``: a fresh browser context and page per test, ``base_url`` set to the live server,
  so ``page.goto("/accounts/signup/")`` works; actions wait at most 10 s.
- ``taxonomies``: loads the real taxonomies. Browser tests run on a transactional database
  that is flushed after each test, which also wipes what the session fixture in the root
  conftest loaded; request ``taxonomies`` in any browser test that needs countries, regions,
  ecosystems or NACE codes.

Every test in this folder gets the ``browser`` marker: ``bin/test -m "not browser"`` skips them.
We deliberately do not use pytest-playwright: it would want to download its own browsers.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an event loop running in the test thread, so Django would refuse
# ORM calls from the tests ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Chromium is not installed: run `apt-get install chromium` (bin/test does it for "
            "you when it runs as root).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def taxonomies(transactional_db) -> None:
    call_command("load_taxonomies", verbosity=0)
