"""The profile guard's section of the dashboard on a 390 px phone, light and dark, in
French and German: its warnings drawn as warnings (the warning colour and mark, never
the success green), nothing wider than the window, nothing axe-core finds serious."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from scanner.arr.profile_guard import LanguageGuard
from scanner.models import Event, Instance
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.factories import EventFactory, InstanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "guard-test-password-42"
# admin.css's --warn-fg, light and dark (theme.css), as WebDriver reads a colour.
WARN = {False: "rgba(146, 64, 14, 1)", True: "rgba(251, 191, 36, 1)"}
# What a Quebec household's Radarr v6 shows: TRaSH's profile names, the default
# language Original, a plain French format.
GUARD = LanguageGuard(
    target="fr-CA",
    arr_languages=["French"],
    variety_told=False,
    variety_checked=True,
    exposed=["HD Bluray + WEB", "UHD Bluray + WEB"],
    language_only_formats=["Language: Original + French"],
    trash_formats=["VFQ", "VQ", "VF2"],
    original_language_profiles=["HD Bluray + WEB", "UHD Bluray + WEB"],
)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_guards_warnings_read_as_warnings_on_a_phone(
    live_server, artifacts: Path, language: str
) -> None:
    User.objects.create_superuser("guard-admin", password=PASSWORD)
    instance = InstanceFactory(name="radarr", kind=Instance.Kind.RADARR)
    EventFactory(
        instance=instance, kind=Event.Kind.CONFIG, message="connection test",
        data={"connection_test": {"ok": True, "lines": [], "profile_guard": {
            "languages": [dataclasses.asdict(GUARD)]}}, "via": "admin"},
    )  # fmt: skip
    with chromium(language) as driver:
        layout.set_size(driver, 390, 844)
        driver.get(f"{live_server.url}/admin/login/")
        driver.find_element(By.ID, "id_username").send_keys("guard-admin")
        driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))
        driver.get(f"{live_server.url}/admin/dashboard/")
        driver.execute_script(layout.NO_TRANSITIONS)
        section = driver.find_element(By.ID, "profile-guard")
        problems = []
        for dark in (False, True):
            layout.set_dark(driver, dark)
            warnings = section.find_elements(By.CSS_SELECTOR, "li.taggarr-warn")
            notes = section.find_elements(By.CSS_SELECTOR, "li:not(.taggarr-warn)")
            # Two profiles exposed, the plain format, what to add, Original: warnings;
            # the variety the *arr cannot tell: a note.
            assert len(warnings) == 4 and len(notes) == 1
            assert "Original" in warnings[0].text and warnings[0].text.startswith("⚠")
            assert {w.value_of_css_property("color") for w in warnings} == {WARN[dark]}
            problems += [f"{dark}: {wide}" for wide in [layout.overflow(driver)] if wide]
            problems += [f"{dark}: cut off: {box}" for box in layout.clipped(driver)]
            problems += [f"{dark}: axe: {v}" for v in layout.axe_violations(driver)]
            problems += [f"{dark}: broken: {w}" for w in layout.broken_words(driver)]
            scheme = "dark" if dark else "light"
            layout.screenshot(driver, artifacts / f"guard-{language}-{scheme}.png")
    assert problems == []
