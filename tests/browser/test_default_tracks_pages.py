"""The default tracks' pages in the browser (issue 81), in German and French: the plan,
Apply asked first (reached as a person does: every line selected, the action chosen)
and the item's section, at 360, 390 and 1,400 px, light and dark: nothing wider than the
window, nothing cut off, nothing axe-core finds serious, no word broken, no English word
of Taggarr's own (tests/i18n/english_words.py). The list and the item's page are in the
tour too (test_layout.py, test_pages_in_german_and_french.py); the confirmation page is
reached only by a POST, so it is looked at here. The seed: tests/browser/seed.py,
_default_tracks (the series with the longest title, one file of each state)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.seed import seed
from tests.browser.test_pages_in_german_and_french import _data_words, unwritten_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "default-tracks-password-42"
SIZES = [(360, 740), (390, 844), (1400, 1000)]
LIST = "/admin/scanner/defaulttrackchange/"


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
            shot = artifacts / f"default-tracks-{name}-{language}-{width}-{scheme}.png"
            layout.screenshot(driver, shot)
    return problems


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_plan_apply_and_the_items_section_read_well(
    language: str, live_server, settings, tmp_path: Path, artifacts: Path
) -> None:
    settings.LOG_DIR = tmp_path / "logs"
    seeded = seed(settings.LOG_DIR)
    User.objects.create_superuser("tracks-admin", password=PASSWORD)
    data = [*_data_words(), "tracks-admin"]
    problems: list[str] = []
    words: dict[str, list[str]] = {}
    with chromium(language) as driver:
        driver.get(f"{live_server.url}/admin/login/")
        driver.find_element(By.ID, "id_username").send_keys("tracks-admin")
        driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))
        driver.get(f"{live_server.url}{LIST}")
        WebDriverWait(driver, 120).until(EC.element_to_be_clickable((By.ID, "action-toggle")))
        # The mkvpropedit command of the header without room: in a field, to copy.
        command = driver.find_element(By.CSS_SELECTOR, ".taggarr-command input")
        assert str(command.get_attribute("value")).startswith("mkvpropedit ")
        problems += _problems(driver, "list", artifacts, language)
        if found := unwritten_on(driver, language, data):
            words["list"] = found
        # Apply, as a person does: every line, the action, Go; then the page that asks.
        layout.set_size(driver, 1400, 1000)
        driver.find_element(By.ID, "action-toggle").click()
        Select(driver.find_element(By.NAME, "action")).select_by_value("apply_planned")
        driver.find_element(By.CSS_SELECTOR, "button[name=index]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "confirm-table")))
        assert len(driver.find_elements(By.CSS_SELECTOR, "#confirm-table tbody tr")) == 1
        problems += _problems(driver, "apply", artifacts, language)
        if found := unwritten_on(driver, language, data):
            words["apply"] = found
        driver.get(f"{live_server.url}/admin/scanner/media/{seeded.show.pk}/change/")
        section = WebDriverWait(driver, 120).until(
            EC.presence_of_element_located((By.ID, "default-tracks"))
        )
        assert len(section.find_elements(By.CSS_SELECTOR, "tbody tr")) == 4
        driver.execute_script("arguments[0].scrollIntoView();", section)
        problems += _problems(driver, "item", artifacts, language)
        if found := unwritten_on(driver, language, data):
            words["item"] = found
    assert words == {}
    assert problems == []
