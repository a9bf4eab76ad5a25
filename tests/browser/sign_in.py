"""Signing in and leaving a page as a person does, in a real browser: a superuser made,
the login page filled in and sent, and the page after it waited for (by an element's id);
a click that leads to another page waited out until the old page is gone."""

from __future__ import annotations

from collections.abc import Callable

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

# Only bounds a hang: on a loaded machine (CI runs the suite on every core) a page may
# take tens of seconds.
PAGE_TIMEOUT = 120


def log_in(
    driver: webdriver.Chrome, base: str, username: str, password: str, *, until: str = "user-tools"
) -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser(username, password=password)
    driver.get(f"{base}/admin/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
    WebDriverWait(driver, PAGE_TIMEOUT).until(EC.presence_of_element_located((By.ID, until)))


def leave_page(driver: webdriver.Chrome, act: Callable[[], object]) -> None:
    """Do what leads to another page (a click, a submit) and wait until the old page is
    gone, so that nothing after reads the page being left.

    While the old document is being replaced, ChromeDriver may answer a question about one
    of its nodes with an inspector error ("Node with given id does not belong to the
    document") instead of a stale reference; that answer means "not yet", so it is asked
    again."""
    old = driver.find_element(By.TAG_NAME, "html")
    act()
    WebDriverWait(driver, PAGE_TIMEOUT, ignored_exceptions=(WebDriverException,)).until(
        EC.staleness_of(old)
    )
