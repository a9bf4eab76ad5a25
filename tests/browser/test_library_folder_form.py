"""A library folder's form in a real browser (issue 94, item 2): once "library folder"
is chosen on the add form, what only an *arr has (the Connection section, the path
mappings, the quality profiles, the searches) and the *arr's steps are hidden, the
library's steps shown; back to Sonarr, they come back."""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.sign_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "library-form-password-42"
ADD = "/admin/scanner/instance/add/"
ARR_ONLY = ("id_url", "id_api_key", "id_path_mappings", "id_wish_profiles", "id_search_daily_limit")


def _log_in(driver: webdriver.Chrome, base: str) -> None:
    log_in(driver, base, "library-admin", PASSWORD)


def _shown(driver: webdriver.Chrome, field_id: str) -> bool:
    row = driver.find_element(By.ID, field_id).find_element(
        By.XPATH, "ancestor::div[contains(@class, 'form-row')]"
    )
    section = row.find_element(By.XPATH, "ancestor::fieldset")
    # Not is_displayed(): a folded section (Writing, the searches) shows no row either.
    return row.get_attribute("hidden") is None and section.get_attribute("hidden") is None


def test_a_library_folder_hides_what_only_an_arr_has(
    browser: webdriver.Chrome, live_server
) -> None:
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}{ADD}")
    kind = Select(browser.find_element(By.ID, "id_kind"))
    arr_steps = browser.find_element(By.CSS_SELECTOR, '[data-steps="arr"]')
    library_steps = browser.find_element(By.CSS_SELECTOR, '[data-steps="library"]')
    assert arr_steps.is_displayed() and not library_steps.is_displayed()
    kind.select_by_value("library")
    for field in ARR_ONLY:
        assert not _shown(browser, field), field
    connection = browser.find_element(By.ID, "id_url").find_element(By.XPATH, "ancestor::fieldset")
    assert connection.get_attribute("hidden") is not None  # the whole section
    assert _shown(browser, "id_root_folders") and _shown(browser, "id_original_language")
    assert _shown(browser, "id_library_content")
    assert library_steps.is_displayed() and not arr_steps.is_displayed()
    kind.select_by_value("sonarr")
    for field in ARR_ONLY:
        assert _shown(browser, field), field
    assert not _shown(browser, "id_library_content")
    assert arr_steps.is_displayed() and not library_steps.is_displayed()
