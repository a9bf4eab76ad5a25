"""Setting up an instance without guessing, in a real browser (issue 61, Deliver 6):
"Test the connection" is there from the start and says what to fill in first; the
language picker names languages (and every variety) in the page's language and writes
the codes the hint shows; two targets open the per-language tags with a word why; a
test passed in the form counts once saved (the instance's next step is the dry run,
not the test)."""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from fakes.arr import FakeArr
from scanner.models import Instance
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.sign_in import leave_page, log_in
from tests.helpers import ARR_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "setup-test-password-42"
ADD = "/admin/scanner/instance/add/"


def _wait(driver: webdriver.Chrome) -> WebDriverWait:
    return WebDriverWait(driver, 15)


def _log_in(driver: webdriver.Chrome, base: str) -> None:
    log_in(driver, base, "setup-admin", PASSWORD)


def _status(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.ID, "arr-choices-status").text


def _label(driver: webdriver.Chrome, field_id: str) -> str:
    text: str = driver.find_element(By.CSS_SELECTOR, f"label[for={field_id}]").text
    return text.rstrip(": \u00a0")


def _test(driver: webdriver.Chrome) -> None:
    driver.find_element(By.ID, "fetch-arr-choices").click()


def test_the_test_button_says_what_to_fill_in_first(browser: webdriver.Chrome, live_server) -> None:
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}{ADD}")
    button = browser.find_element(By.ID, "fetch-arr-choices")
    assert button.is_displayed()  # before the type is chosen
    _test(browser)
    said = _status(browser)
    for field in ("id_kind", "id_url", "id_api_key"):
        assert _label(browser, field) in said, said
    assert browser.switch_to.active_element.get_attribute("id") == "id_kind"
    Select(browser.find_element(By.ID, "id_kind")).select_by_value("sonarr")
    browser.find_element(By.ID, "id_url").send_keys("http://127.0.0.1:1")
    _test(browser)
    said = _status(browser)
    assert _label(browser, "id_api_key") in said and _label(browser, "id_url") not in said
    assert browser.switch_to.active_element.get_attribute("id") == "id_api_key"
    assert not Instance.objects.exists()


def test_two_targets_open_the_per_language_tags(browser: webdriver.Chrome, live_server) -> None:
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}{ADD}")
    suggestion = browser.find_element(By.ID, "per-language-suggestion")
    section = suggestion.find_element(By.XPATH, "ancestor::details")
    assert not suggestion.is_displayed() and section.get_attribute("open") is None
    targets = browser.find_element(By.ID, "id_target_languages")
    targets.send_keys("de")
    assert not suggestion.is_displayed()
    targets.send_keys(", fr")
    _wait(browser).until(lambda d: suggestion.is_displayed())
    assert section.get_attribute("open") is not None
    assert "dub-de, semi-dub-fr" in suggestion.text
    browser.find_element(By.ID, "id_language_tags").click()
    assert not suggestion.is_displayed()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_picked_in_the_readers_language_tested_once_and_saved(
    live_server, sonarr: FakeArr, language: str
) -> None:
    with chromium(language) as driver:
        layout.set_size(driver, 1400, 1000)
        _log_in(driver, live_server.url)
        driver.get(f"{live_server.url}{ADD}")
        driver.find_element(By.ID, "id_name").send_keys("tv")
        Select(driver.find_element(By.ID, "id_kind")).select_by_value("sonarr")
        driver.find_element(By.ID, "id_url").send_keys(sonarr.url)
        driver.find_element(By.ID, "id_api_key").send_keys(ARR_KEY)
        driver.find_element(By.ID, "id_target_languages").clear()
        _test(driver)
        picker = _wait(driver).until(EC.presence_of_element_located((By.ID, "language-choices")))
        german, french = {"de": ("Deutsch", "Französisch"), "fr": ("allemand", "français")}[
            language
        ]
        offered = [option.text for option in Select(picker).options]
        assert f"{german} (de)" in offered and f"{french} (fr)" in offered
        assert "German (de)" not in offered
        # Every variety Taggarr knows, named as CLDR names it in the page's language
        # (issue 68): not only those the *arr lists.
        canadian, latino = {
            "de": ("Französisch (Kanada)", "Spanisch (Lateinamerika)"),
            "fr": ("français canadien", "espagnol d\u2019Amérique latine"),
        }[language]
        assert f"{canadian} (fr-CA)" in offered and f"{latino} (es-419)" in offered
        extras = Select(driver.find_element(By.ID, "extra-language-choices"))
        assert f"{canadian} (fr-CA)" not in [option.text for option in extras.options]
        Select(picker).select_by_visible_text(f"{german} (de)")
        Select(picker).select_by_visible_text(f"{french} (fr)")
        targets = driver.find_element(By.ID, "id_target_languages")
        assert targets.get_attribute("value") == "de, fr"  # what the hint shows
        # Two targets: the per-language tags are offered, and taken.
        suggestion = driver.find_element(By.ID, "per-language-suggestion")
        _wait(driver).until(lambda d: suggestion.is_displayed())
        driver.find_element(By.ID, "id_language_tags").click()
        leave_page(driver, driver.find_element(By.NAME, "_save").click)
        instance = Instance.objects.get(name="tv")
        assert instance.target_languages == ["deu", "fra"] and instance.language_tags
        # The form's test counted: the next step is the dry run, not the test again.
        assert "taggarr-primary" in driver.find_element(By.ID, "dry-run").get_attribute("class")
        assert "taggarr-primary" not in driver.find_element(By.ID, "test-connection").get_attribute(
            "class"
        )
        assert not driver.find_elements(By.ID, "connection-problem")
