"""Fixtures for the browser tests: a live server speaking plain http, Chromium, screenshots."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.test.utils import override_settings

CHROMIUM = "/usr/bin/chromium"
# The network is closed: no component updates, no sync, nothing fetched at start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"


@pytest.fixture(scope="module")
def live_server(request):
    """pytest-django's live server, with the production-only https flags off for plain http.

    The flags must be off before the server thread builds its middleware (SecurityMiddleware reads
    SECURE_SSL_REDIRECT once), and back on after the module, hence a module-scoped override.
    """
    from pytest_django.live_server_helper import LiveServer

    media = tempfile.mkdtemp(prefix="e2e-media-")
    overrides = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        MEDIA_ROOT=media,
    )
    overrides.enable()
    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(addr)
    try:
        yield server
    finally:
        server.stop()
        overrides.disable()
        shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(scope="module")
def async_unsafe_allowed():
    """Let this thread use the ORM while Playwright's sync API keeps an event loop in it.

    Set for the browser tests only and removed after them: a subprocess started by another test
    (manage.py check --deploy) must not inherit it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(live_server, async_unsafe_allowed):
    """Debian's Chromium, driven headless by Playwright (never a downloaded browser).

    It depends on the live server so that it closes first: open keep-alive connections would
    otherwise outlive the server's shared database connection.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (one per user), closed after the test."""
    contexts = []

    def open_page(*, width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def shots():
    """Save a page's screenshot under artifacts/e2e/ and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str, *, full_page: bool = False):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return shoot
