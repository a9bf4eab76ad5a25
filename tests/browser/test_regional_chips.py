"""Issue 68, item 7, in a real browser: a Quebec library's media list on a phone (390 px),
in French and in German, light and dark: each regional chip says its answer in words
("aucune piste en français", "français, variante inconnue — à fixer", "français (France)
seulement"), nothing wider than the window or cut off, and axe-core finds nothing serious
(contrast, links told apart from text, tap targets). A screenshot of each goes to the
artifacts folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from scanner.engine.tracks import make_track
from scanner.models import Instance, Media
from scanner.pipeline.scanning.decide import redecide
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.sign_in import log_in
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, SeasonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "regional-chips-password-42"
# The words each chip shows, per language (the catalogs' translations).
WORDS = {
    "fr": [
        "aucune piste en français",
        "français, variante inconnue — à fixer",
        "français (France) seulement",
        "dub-fr-ca",
    ],
    "de": [
        "kein Französisch",
        "Französisch, Variante unbekannt — festlegen",
        "nur Französisch (Frankreich)",
        "dub-fr-ca",
    ],
}


def _item(instance: Instance, title: str, *french: tuple[str, str | None]) -> Media:
    media = MediaFactory(instance=instance, title=title, original_language="eng")
    season = SeasonFactory(media=media, number=1)
    specs = [("eng", None), *french]
    tracks = [make_track(n, label, name).to_dict() for n, (label, name) in enumerate(specs, 1)]
    MediaFileFactory(media=media, season=season, episodes=[1], audio_tracks=tracks)
    return redecide(media)


@pytest.fixture
def language_browser(language: str) -> Iterator[webdriver.Chrome]:
    with chromium(language) as driver:
        yield driver


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_regional_chips_on_a_phone(
    language: str, language_browser: webdriver.Chrome, live_server, artifacts: Path
) -> None:
    driver = language_browser
    tv = InstanceFactory(name="quebec", target_languages=["fr-CA"], language_tags=True)
    _item(tv, "No French")
    _item(tv, "Unknown French", ("fre", None))
    _item(tv, "Coco", ("fre", "VFF"))
    _item(tv, "Shrek", ("fre", "VFQ"))
    log_in(driver, live_server.url, "chips-admin", PASSWORD)
    driver.get(f"{live_server.url}/admin/scanner/media/")
    WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.TAG_NAME, "main")))
    problems = []
    for dark in (False, True):
        layout.set_size(driver, 390, 844)
        layout.set_dark(driver, dark)
        driver.execute_script(layout.NO_TRANSITIONS)
        scheme = "dark" if dark else "light"
        shown = driver.execute_script(
            "return [...document.querySelectorAll('.taggarr-media-table li.taggarr-chip')]"
            ".map((chip) => chip.innerText.replace(/\\s+/g, ' ').trim());"
        )
        for words in WORDS[language]:
            if not any(words in chip for chip in shown):
                problems.append(f"{scheme}: no chip says {words!r}: {shown}")
        if wide := layout.overflow(driver):
            problems.append(f"{scheme}: {wide}")
        problems += [f"{scheme}: cut off: {box}" for box in layout.clipped(driver)]
        problems += [f"{scheme}: {found}" for found in layout.axe_violations(driver)]
        name = f"regional-chips-{language}-phone-{scheme}.png"
        layout.screenshot(driver, artifacts / name, always=bool(problems))
    assert problems == []
