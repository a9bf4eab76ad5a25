"""The header's language switcher in a real browser: choosing a language reloads the
page in it at once (language.js submits the form, no inline script under the CSP), and
signed in, the choice is saved and comes back after signing in again elsewhere. Signed in
on a phone the switcher is in the header's menu (issue 61): a button that opens with the
keyboard, closes on Escape and gives the focus back; on a laptop the menu stands in the
header's row, no button."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Profile
from tests.browser import layout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "language-test-password-42"


def _choose(driver: webdriver.Chrome, code: str) -> None:
    Select(driver.find_element(By.ID, "taggarr-language-choice")).select_by_value(code)
    WebDriverWait(driver, 15).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == code
    )


def _open_the_menu_by_keyboard(driver: webdriver.Chrome) -> None:
    """On a phone: the header is one row; the menu button opens with Enter (a <details>:
    no script needed), Escape closes it and leaves the focus on the button."""
    assert layout.header_height(driver) <= layout.HEADER_TALLEST
    button = driver.find_element(By.CSS_SELECTOR, "#taggarr-menu summary")
    switcher = driver.find_element(By.ID, "taggarr-language-choice")
    assert not switcher.is_displayed()
    button.send_keys(Keys.ENTER)
    WebDriverWait(driver, 15).until(lambda _: switcher.is_displayed())
    assert driver.find_element(By.ID, "all-pages-link").is_displayed()
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(driver, 15).until(lambda _: not switcher.is_displayed())
    assert driver.switch_to.active_element == button
    button.send_keys(Keys.ENTER)
    WebDriverWait(driver, 15).until(lambda _: switcher.is_displayed())


def _console_problems(driver: webdriver.Chrome) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]


def test_the_switcher_changes_the_language_at_once_and_keeps_it(
    browser: webdriver.Chrome, live_server
) -> None:
    User.objects.create_superuser("lang-admin", "", PASSWORD)
    layout.set_size(browser, 390, 844)
    browser.get(f"{live_server.url}/admin/login/")
    # With scripts the choice applies at once: the apply button is for a browser without.
    buttons = browser.find_elements(By.CLASS_NAME, "taggarr-language-apply")
    assert not any(button.is_displayed() for button in buttons)
    _choose(browser, "fr")
    assert (
        browser.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").get_attribute(
            "value"
        )
        == "Connexion"
    )  # Django's own admin catalog
    assert not layout.overflow(browser)
    browser.find_element(By.ID, "id_username").send_keys("lang-admin")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "user-tools")))
    _open_the_menu_by_keyboard(browser)
    _choose(browser, "de")
    assert Profile.objects.get(user__username="lang-admin").language == "de"
    assert browser.current_url.endswith("/admin/")
    layout.set_size(browser, 1400, 1000)
    assert not layout.overflow(browser)
    # On a laptop the menu's links stand in the header, with no button to open first
    # (drawn and clickable where they are: Selenium's is_displayed calls all that is in a
    # closed <details> hidden, whatever the page's style shows).
    assert not browser.find_element(By.CSS_SELECTOR, "#taggarr-menu summary").is_displayed()
    for shown in ("all-pages-link", "taggarr-language-choice"):
        element = browser.find_element(By.ID, shown)
        assert browser.execute_script(layout.REACHABLE, element) == "", shown
    assert _console_problems(browser) == []
