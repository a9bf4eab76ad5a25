"""The Changes page in the browser (issue 93, item 3), in German and French: every act's
changes together (a file's default tracks, an item's quality profile), reached from the
main menu, at 390 and 1,280 px, light and dark: nothing wider than the window, nothing
cut off, nothing axe-core finds serious, no word broken, no English word of Taggarr's
own (tests/i18n/english_words.py); the rows of both acts shown, with Apply and Undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from fakes.arr import FakeArr, FakeArrOptions
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.test_pages_in_german_and_french import _data_words, unwritten_on
from tests.browser.test_wish_profiles_pages import _arr_words
from tests.default_track_rows import quebec_plan
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import quebec_changes, quebec_instance, serve_quebec_profiles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "changes-page-password-42"
SIZES = [(390, 844), (1280, 900)]


def _problems(driver: webdriver.Chrome, artifacts: Path, language: str) -> list[str]:
    problems = []
    for width, height in SIZES:
        layout.set_size(driver, width, height)
        driver.execute_script(layout.NO_TRANSITIONS)
        for dark in (False, True):
            layout.set_dark(driver, dark)
            scheme = "dark" if dark else "light"
            where = f"changes ({language}, {width} px, {scheme})"
            problems += [f"{where}: {wide}" for wide in [layout.overflow(driver)] if wide]
            problems += [f"{where}: cut off: {box}" for box in layout.clipped(driver)]
            problems += [f"{where}: axe: {v}" for v in layout.axe_violations(driver)]
            problems += [f"{where}: broken: {w}" for w in layout.broken_words(driver)]
            driver.execute_script("window.scrollTo(0, 0);")
            layout.screenshot(driver, artifacts / f"changes-{language}-{width}-{scheme}.png")
    return problems


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_changes_of_every_act_read_well(
    language: str, live_server, settings, tmp_path: Path, artifacts: Path
) -> None:
    settings.LOG_DIR = tmp_path / "logs"
    User.objects.create_superuser("changes-admin", password=PASSWORD)
    with (
        FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as sonarr,
        chromium(language) as driver,
    ):
        serve_quebec_profiles(sonarr)
        profiles = quebec_changes(quebec_instance(sonarr))
        tracks = quebec_plan()
        data = [*_data_words(), *_arr_words(), "changes-admin", tracks.instance.name]
        data += [row.path.rsplit("/", 1)[-1] for row in tracks.rows]
        driver.get(f"{live_server.url}/admin/login/")
        driver.find_element(By.ID, "id_username").send_keys("changes-admin")
        driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))

        # Reached from the main menu (its link, whether the menu is open or folded).
        link = driver.find_element(By.ID, "changes-link").get_attribute("href")
        assert link is not None and link.endswith("/admin/changes/")
        driver.get(link)
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "changes")))
        acts = {
            row.get_attribute("data-act")
            for row in driver.find_elements(By.CSS_SELECTOR, "#changes tbody tr[data-act]")
        }
        assert acts == {"default_tracks", "wish_profiles"}
        count = len(driver.find_elements(By.CSS_SELECTOR, "#changes tbody tr[data-act]"))
        assert count == len(tracks.rows) + len(profiles.rows)
        buttons = driver.find_elements(By.CSS_SELECTOR, "#changes tbody form button")
        assert len(buttons) == 4  # a planned and a written row of each act
        assert all(button.is_displayed() for button in buttons)
        problems = _problems(driver, artifacts, language)
        words = unwritten_on(driver, language, data)
        # Screenshots for a person to look at, whatever the environment asks.
        for width, height in SIZES:
            layout.set_size(driver, width, height)
            layout.set_dark(driver, width < 1000)
            driver.execute_script("window.scrollTo(0, 0);")
            layout.screenshot(driver, Path(f"/tmp/changes-{language}-{width}.png"), always=True)
    assert problems == []
    assert words == []
