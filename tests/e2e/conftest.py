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
def browser():
    """Debian's Chromium, driven headless by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shots():
    """Save a page's screenshot under artifacts/e2e/ and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str, *, full_page: bool = False):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return shoot
