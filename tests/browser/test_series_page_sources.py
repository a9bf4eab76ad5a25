"""Issue 71, item 5, in a real browser: a series scanned with the audio source *files*
(MediaInfo reads its real files; Sonarr is asked only its episode list) read in German.
Each folded season opened as a person opens it (a click on its summary) shows
Sonarr's titles and air dates, and the specials and the unmonitored season say they
are not counted and why; no English on the page. A screenshot goes to the artifacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import Instance, Media, ScanRun
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.sign_in import log_in
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.i18n.english_words import unwritten_words
from tests.library import REMOTE_TV, build_tv
from tests.media import MediaFactory as Videos
from tests.web.admin.test_series_page import SHOW, TITLES, _episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "series-page-password-42"


@pytest.fixture
def german() -> Iterator[webdriver.Chrome]:
    with chromium("de") as driver:
        yield driver


def test_the_files_source_series_page_in_german(
    german: webdriver.Chrome, live_server, tmp_path: Path, media: Videos, artifacts: Path
) -> None:
    library = build_tv(tmp_path / "tv", media, (SHOW,))
    item = library.arr_items[0]
    item["seasons"] = [{"seasonNumber": n, "monitored": n not in (0, 2)} for n in range(4)]
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=[item]) as sonarr:
        library.load_episode_files(sonarr)
        sonarr.state.set_episodes(1, [_episode(s, n, (s, n) != (3, 3)) for s, n in TITLES])
        local = str(library.root)
        instance = InstanceFactory(
            name="tv", url=sonarr.url, api_key=ARR_KEY, root_folders=[local],
            path_mappings=[{"remote": REMOTE_TV, "local": local}], target_languages=["eng"],
            audio_source=Instance.AudioSource.FILES,
        )  # fmt: skip
        run = scan_inline(instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    series = Media.objects.get(title="Long Show")
    driver = german
    log_in(driver, live_server.url, "series-admin", PASSWORD)
    driver.get(f"{live_server.url}/admin/scanner/media/{series.pk}/change/")
    WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "season-0")))
    for panel in driver.find_elements(By.CSS_SELECTOR, "details.taggarr-season-panel"):
        if panel.get_attribute("open") is None:
            panel.find_element(By.TAG_NAME, "summary").click()
    seasons = {
        name: driver.find_element(By.ID, name).text for name in ("season-0", "season-2", "season-3")
    }
    layout.screenshot(driver, artifacts / "series-page-files-source-de.png")
    assert "The Lost Tapes" in seasons["season-0"] and "1. März 2020" in seasons["season-0"]
    assert "Spezialfolgen zählen nur, wenn die Instanz" in seasons["season-0"]
    assert "Side Story" in seasons["season-2"]
    assert "Die Staffel wird in Sonarr nicht überwacht" in seasons["season-2"]
    assert "New Dawn" in seasons["season-3"] and "1. März 2023" in seasons["season-3"]
    assert "Keine Datei" in seasons["season-3"]  # Tomorrow: in Sonarr, not on disk
    text = driver.execute_script("return document.body.innerText;")
    data = [*TITLES.values(), "Long Show", "series-admin", "Sonarr", "tv"]
    data += [path.name for path in library.files["Long Show"]]
    options = driver.find_elements(By.CSS_SELECTOR, "#taggarr-language-choice option")
    data += [str(option.get_attribute("text")) for option in options]
    assert unwritten_words(text, "de", data) == []
