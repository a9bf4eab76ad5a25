"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from scanner.arr.fake import FakeArr, FakeArrOptions
from tests.library import Library, build_tv
from tests.media import MediaFactory

# Installed by scripts/ensure-browser, which `make test` runs first.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARR_KEY = "browser-test-key-0123456789"
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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def artifacts() -> Path:
    """test-artifacts/ at the top of the checkout (gitignored); CI keeps it."""
    folder = Path(settings.BASE_DIR) / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with tempfile.TemporaryDirectory(prefix="taggarr-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def tv_library(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    return build_tv(tmp_path / "tv", MediaFactory(tmp_path_factory.mktemp("templates")))


@pytest.fixture
def sonarr(tv_library: Library) -> Iterator[FakeArr]:
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=tv_library.arr_items) as fake:
        yield fake
