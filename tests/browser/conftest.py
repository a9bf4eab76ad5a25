"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

# Installed by scripts/ensure-packages, which `make test` runs first.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Seconds, for a hung browser only: long past what a loaded machine needs.
RENDERER_DEADLINE = 110  # under selenium's own 120 s for one command
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1100",
)


@pytest.fixture
def artifacts() -> Path:
    """Screenshots for people: every page's in $TAGGARR_TEST_ARTIFACTS when it is set
    (layout.screenshot); without it only a problem's, in the clone's test-artifacts/screens."""
    default = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
    folder = Path(os.environ.get("TAGGARR_TEST_ARTIFACTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _start(language: str | None) -> tuple[webdriver.Chrome, str]:
    """Headless Chromium in a profile of its own (the folder returned, to remove after
    it quit); ``language``: its Accept-Language, as a browser set to that language sends it."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    if language:
        options.add_argument(f"--lang={language}")
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    profile = tempfile.mkdtemp(prefix="taggarr-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    # chromedriver waits for the renderer as long as the page-load and script
    # timeouts say; the 30 s that were here decided tests on a busy two-core machine
    # ("Timed out receiving message from renderer: 29.5"). A test waits for what it
    # looks for; these only end a browser that hangs.
    driver.set_page_load_timeout(RENDERER_DEADLINE)
    driver.set_script_timeout(RENDERER_DEADLINE)
    return driver, profile


class _Kept:
    """A Chromium and its profile folder, kept for the next test of this test process
    that asks for the same language, and the origins its pages were on."""

    def __init__(self, driver: webdriver.Chrome, profile: str) -> None:
        self.driver = driver
        self.profile = profile
        self.origins: set[str] = set()

    def quit(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


# Starting Chromium (and its first page) costs seconds on a busy machine, for each of
# the browser tests: one per language per test process, each test given it as new.
_kept: dict[str | None, _Kept] = {}


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def _as_new(kept: _Kept) -> None:
    """The browser as a test finds a new one: one blank tab (no history, no emulated size
    or colour scheme, no session storage: they belong to a tab), no cookie, nothing its
    pages stored (local storage, caches) for the origins they were on, no log entry left."""
    driver = kept.driver
    old = driver.window_handles
    driver.switch_to.new_window("tab")
    fresh = driver.current_window_handle
    for handle in old:
        driver.switch_to.window(handle)
        if origin := _origin(driver.current_url):
            kept.origins.add(origin)
        driver.close()
    driver.switch_to.window(fresh)
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    for origin in kept.origins:
        driver.execute_cdp_cmd(
            "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}
        )
    driver.get_log("browser")  # read: the next test's reads begin after it
    driver.implicitly_wait(0)
    driver.set_page_load_timeout(RENDERER_DEADLINE)
    driver.set_script_timeout(RENDERER_DEADLINE)


def _park(kept: _Kept) -> None:
    """The test's pages stopped as it ends, not when the next browser test begins: their
    scripts poll the live server, whose database is closed to requests once the test
    ended (pytest-django: "Database access not allowed", a traceback in the server's
    thread) and whose connections would outlast the test. Each tab's origin is noted
    (its storage is cleared for the next test), then the tab goes blank."""
    driver = kept.driver
    for handle in driver.window_handles:
        driver.switch_to.window(handle)
        if origin := _origin(driver.current_url):
            kept.origins.add(origin)
        driver.get("about:blank")


@pytest.fixture(scope="session", autouse=True)
def _kept_browsers() -> Iterator[None]:
    yield
    while _kept:
        _kept.popitem()[1].quit()


@contextlib.contextmanager
def chromium(language: str | None = None) -> Iterator[webdriver.Chrome]:
    """Headless Chromium, as new (``_as_new``); ``language``: its Accept-Language, as a
    browser set to that language sends it. A browser whose test failed, or that cannot
    be made as new, is quit, never handed on."""
    kept = _kept.pop(language, None)
    if kept is not None:
        try:
            _as_new(kept)
        except WebDriverException:
            kept.quit()
            kept = None
    if kept is None:
        kept = _Kept(*_start(language))
    passed = False
    try:
        yield kept.driver
        _park(kept)
        passed = True
    finally:
        if passed and language not in _kept:
            _kept[language] = kept
        else:
            kept.quit()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    with chromium() as driver:
        yield driver
