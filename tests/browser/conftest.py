"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

# Installed by scripts/ensure-browser, which `make test` runs first.
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


@contextlib.contextmanager
def chromium(language: str | None = None) -> Iterator[webdriver.Chrome]:
    """Headless Chromium in a profile of its own; ``language``: its Accept-Language, as a
    browser set to that language sends it."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    if language:
        options.add_argument(f"--lang={language}")
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with tempfile.TemporaryDirectory(prefix="taggarr-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        # chromedriver waits for the renderer as long as the page-load and script
        # timeouts say; the 30 s that were here decided tests on a busy two-core machine
        # ("Timed out receiving message from renderer: 29.5"). A test waits for what it
        # looks for; these only end a browser that hangs.
        driver.set_page_load_timeout(RENDERER_DEADLINE)
        driver.set_script_timeout(RENDERER_DEADLINE)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    with chromium() as driver:
        yield driver
