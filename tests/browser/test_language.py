"""The header's language switcher in a real browser: choosing a language reloads the
page in it at once (language.js submits the form, no inline script under the CSP), and
signed in, the choice is saved and comes back after signing in again elsewhere."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.webdriver.common.by import By
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
    _choose(browser, "de")
    assert Profile.objects.get(user__username="lang-admin").language == "de"
    assert browser.current_url.endswith("/admin/")
    layout.set_size(browser, 1400, 1000)
    assert not layout.overflow(browser)
    assert _console_problems(browser) == []
