"""The quality profiles' pages in the browser (issue 82), in German and French: an
instance's mapping (the fake Sonarr's profiles read when it opens, a judgement beside each
choice, a new choice's judgement shown at once by wish-profiles.js), the changes' list,
Apply asked first (reached as a person does: every line selected, the action chosen) and
an item's section with "Follow its wish again", at 360, 390 and 1,400 px, light and dark:
nothing wider than the window, nothing cut off, nothing axe-core finds serious, no word
broken, no English word of Taggarr's own (tests/i18n/english_words.py). Release names,
profile and format names are the *arr's, shown as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from fakes.arr import FakeArr, FakeArrOptions
from scanner.wish_profiles.samples import samples
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.test_pages_in_german_and_french import _data_words, unwritten_on
from tests.helpers import ARR_KEY
from tests.wish_profile_rows import (
    FORMATS,
    PROFILES,
    VFF_1080,
    quebec_changes,
    quebec_instance,
    serve_quebec_profiles,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "wish-profiles-password-42"
SIZES = [(360, 740), (390, 844), (1400, 1000)]
LIST = "/admin/scanner/profilechange/"


def _problems(driver: webdriver.Chrome, name: str, artifacts: Path, language: str) -> list[str]:
    problems = []
    for width, height in SIZES:
        layout.set_size(driver, width, height)
        driver.execute_script(layout.NO_TRANSITIONS)
        for dark in (False, True):
            layout.set_dark(driver, dark)
            scheme = "dark" if dark else "light"
            where = f"{name} ({language}, {width} px, {scheme})"
            problems += [f"{where}: {wide}" for wide in [layout.overflow(driver)] if wide]
            problems += [f"{where}: cut off: {box}" for box in layout.clipped(driver)]
            problems += [f"{where}: axe: {v}" for v in layout.axe_violations(driver)]
            problems += [f"{where}: broken: {w}" for w in layout.broken_words(driver)]
            driver.execute_script("window.scrollTo(0, 0);")
            shot = artifacts / f"wish-profiles-{name}-{language}-{width}-{scheme}.png"
            layout.screenshot(driver, shot)
    return problems


def _arr_words() -> list[str]:
    """The *arr's own names, shown as they are: its profiles, its formats, the sample
    releases (scanner.wish_profiles.samples), the target's release word."""
    names = [str(p["name"]) for p in PROFILES] + [str(f["name"]) for f in FORMATS]
    return [*names, *(s.title for s in samples(["fr-CA"])), "VFQ"]


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_mapping_the_changes_and_the_items_section_read_well(
    language: str, live_server, settings, tmp_path: Path, artifacts: Path
) -> None:
    settings.LOG_DIR = tmp_path / "logs"
    User.objects.create_superuser("wish-admin", password=PASSWORD)
    problems: list[str] = []
    words: dict[str, list[str]] = {}
    with (
        FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as sonarr,
        chromium(language) as driver,
    ):
        serve_quebec_profiles(sonarr)
        instance = quebec_instance(sonarr)
        rows = quebec_changes(instance)
        data = [*_data_words(), *_arr_words(), "wish-admin"]
        driver.get(f"{live_server.url}/admin/login/")
        driver.find_element(By.ID, "id_username").send_keys("wish-admin")
        driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))

        # The mapping, reached from the instance's page.
        driver.get(f"{live_server.url}/admin/scanner/instance/{instance.pk}/change/")
        WebDriverWait(driver, 120).until(
            EC.element_to_be_clickable((By.ID, "wish-profiles-link"))
        ).click()
        WebDriverWait(driver, 120).until(
            EC.presence_of_element_located((By.ID, "wish-profiles-form"))
        )
        row = driver.find_element(By.CSS_SELECTOR, '.taggarr-wish-row[data-wish="fr-CA"]')
        select = Select(row.find_element(By.TAG_NAME, "select"))
        shown = row.find_element(By.CLASS_NAME, "taggarr-judgement")
        before = shown.text
        # A new choice: its judgement at once (the VFF profile would grab the VFF).
        select.select_by_value(str(VFF_1080))
        WebDriverWait(driver, 20).until(lambda d: shown.text != before)
        assert "Movie.2019.MULTi.VFF.1080p.WEB.H264-GRP" in shown.text
        assert "taggarr-judgement-warn" in str(shown.get_attribute("class"))
        # Every profile's judgement, in the fold.
        row.find_element(By.TAG_NAME, "summary").click()
        problems += _problems(driver, "mapping", artifacts, language)
        if found := unwritten_on(driver, language, data):
            words["mapping"] = found

        # The changes, reached from the mapping; Apply asked first.
        driver.find_element(By.ID, "wish-profiles-all-changes").click()
        WebDriverWait(driver, 120).until(EC.element_to_be_clickable((By.ID, "action-toggle")))
        problems += _problems(driver, "list", artifacts, language)
        if found := unwritten_on(driver, language, data):
            words["list"] = found
        layout.set_size(driver, 1400, 1000)
        driver.find_element(By.ID, "action-toggle").click()
        Select(driver.find_element(By.NAME, "action")).select_by_value("apply_planned")
        driver.find_element(By.CSS_SELECTOR, "button[name=index]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "confirm-table")))
        assert len(driver.find_elements(By.CSS_SELECTOR, "#confirm-table tbody tr")) == 1
        problems += _problems(driver, "apply", artifacts, language)
        if found := unwritten_on(driver, language, data):
            words["apply"] = found

        # The item held by hand: its section and the button.
        driver.get(f"{live_server.url}/admin/scanner/media/{rows.held.pk}/change/")
        section = WebDriverWait(driver, 120).until(
            EC.presence_of_element_located((By.ID, "quality-profile"))
        )
        assert section.find_element(By.ID, "quality-profile-release").is_displayed()
        driver.execute_script("arguments[0].scrollIntoView();", section)
        problems += _problems(driver, "item", artifacts, language)
        if found := unwritten_on(driver, language, data):
            words["item"] = found
    assert words == {}
    assert problems == []
