"""The README's screenshots (docs/screenshots/), taken from the seeded browser library
(tests/browser/seed.py) with two targets, German and French, per-language tags on, and
posters from a fake Sonarr: `make screenshots` (CONTRIBUTING.md) sets
TAGGARR_README_SCREENSHOTS and runs this; without it, it is skipped. Each picture is
what the window shows (no full-page strip), reduced to a palette to stay small."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from fakes.arr import FakeArr, FakeArrOptions, generate_library
from scanner.arr.payloads import parse_item
from scanner.artwork.refresh import refresh_artwork
from scanner.models import Media
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.seed import Seeded, seed
from tests.browser.sign_in import log_in
from tests.helpers import ARR_KEY

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("TAGGARR_README_SCREENSHOTS"),
        reason="writes docs/screenshots: `make screenshots`",
    ),
]
PASSWORD = "screenshots-password-42"
# Per item of the seed, German's and French's state: each kind of chip shows.
VERDICTS = [("dub", "semi-dub"), ("dub", "none"), ("semi-dub", "semi-dub"), ("dub", "dub"),
            ("none", "dub")]  # fmt: skip
MAX_BYTES = 300_000


def _with_posters(seeded: Seeded, two_targets: bool = True) -> None:
    """The seed's library with posters; ``two_targets``: as a German and French household
    has it (the series page keeps the seed's English, which its reasons name)."""
    items = list(Media.objects.filter(instance=seeded.tv).order_by("pk"))
    served = generate_library("sonarr", len(items))
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=served) as fake:
        seeded.tv.url = fake.url
        seeded.tv.set_api_key(ARR_KEY)
        if two_targets:
            seeded.tv.target_languages, seeded.tv.language_tags = ["deu", "fra"], True
        seeded.tv.save()
        for media, item, (german, french) in zip(items, served, VERDICTS, strict=True):
            media.arr_id = item["id"]
            media.arr_covers = dict(parse_item(fake.state.served(item), kind="sonarr").covers)
            if two_targets:
                media.language_verdicts = {"deu": german, "fra": french}
            media.save()
        assert refresh_artwork(seeded.tv).failed == []


def _log_in(driver: webdriver.Chrome, base: str) -> None:
    log_in(driver, base, "admin", PASSWORD)


def _save(driver: webdriver.Chrome, name: str) -> Path:
    """The window's picture, as a 256-colour PNG under MAX_BYTES."""
    driver.execute_script(layout.NO_TRANSITIONS + "window.scrollTo(0, 0);")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    image = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")
    path = FOLDER / name
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    assert path.stat().st_size < MAX_BYTES, (name, path.stat().st_size)
    return path


def _posters(driver: webdriver.Chrome) -> None:
    driver.find_element(By.CSS_SELECTOR, "[data-media-view=grid]").click()
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('.taggarr-poster-grid img')]"
            ".every((img) => img.complete && img.naturalWidth > 0);"
        )
    )


@pytest.mark.parametrize(
    ("language", "size", "name"),
    [("de", (1400, 900), "library-de.png"), ("fr", (390, 844), "library-phone-fr.png")],
)
def test_the_library_page(
    language: str, size: tuple[int, int], name: str, live_server, tmp_path: Path
) -> None:
    _with_posters(seed(tmp_path / "logs"))
    FOLDER.mkdir(parents=True, exist_ok=True)
    with chromium(language) as driver:
        layout.set_size(driver, *size)
        _log_in(driver, live_server.url)
        driver.get(f"{live_server.url}/admin/scanner/media/")
        _posters(driver)
        _save(driver, name)


def test_the_series_page(live_server, tmp_path: Path) -> None:
    seeded = seed(tmp_path / "logs")
    _with_posters(seeded, two_targets=False)
    FOLDER.mkdir(parents=True, exist_ok=True)
    with chromium("de") as driver:
        layout.set_size(driver, 1400, 900)
        _log_in(driver, live_server.url)
        driver.get(f"{live_server.url}/admin/scanner/media/{seeded.show.pk}/change/")
        _save(driver, "series-page-de.png")
