"""The dashboard's card of each person's track (issue 70) in the browser, in French
(the longer sentences): on a 360 and a 390 px phone and a 1,400 px laptop, light and
dark, nothing wider than the window, nothing cut off, nothing axe-core finds serious,
no word broken; a token problem drawn as a problem; a person's name leads to their
page. The seed's household (tests/browser/seed.py): a dry run, a PIN plex.tv asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from scanner.models import Person
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.seed import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "tracks-card-password-42"
SIZES = [(360, 740), (390, 844), (1400, 1000)]


def test_the_card_reads_well_on_a_phone_and_a_laptop(
    live_server, settings, tmp_path: Path, artifacts: Path
) -> None:
    settings.LOG_DIR = tmp_path / "logs"
    seed(settings.LOG_DIR)
    User.objects.create_superuser("tracks-admin", password=PASSWORD)
    parent = Person.objects.get(name__startswith="Marie-Thérèse")
    problems = []
    with chromium("fr") as driver:
        driver.get(f"{live_server.url}/admin/login/")
        driver.find_element(By.ID, "id_username").send_keys("tracks-admin")
        driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))
        for width, height in SIZES:
            layout.set_size(driver, width, height)
            driver.get(f"{live_server.url}/admin/dashboard/")
            driver.execute_script(layout.NO_TRANSITIONS)
            card = driver.find_element(By.ID, "person-tracks")
            assert "La piste de chaque personne" in card.text
            rows = card.find_elements(By.CSS_SELECTOR, "tbody tr")
            assert len(rows) == 2
            bad = card.find_elements(By.CSS_SELECTOR, "tr.taggarr-track-token .taggarr-bad")
            assert len(bad) == 1 and "code PIN" in bad[0].text
            for dark in (False, True):
                layout.set_dark(driver, dark)
                where = f"{width} px, {'dark' if dark else 'light'}"
                problems += [f"{where}: {wide}" for wide in [layout.overflow(driver)] if wide]
                problems += [f"{where}: cut off: {box}" for box in layout.clipped(driver)]
                problems += [f"{where}: axe: {v}" for v in layout.axe_violations(driver)]
                problems += [f"{where}: broken: {w}" for w in layout.broken_words(driver)]
                driver.execute_script("arguments[0].scrollIntoView();", card)
                scheme = "dark" if dark else "light"
                layout.screenshot(driver, artifacts / f"person-tracks-card-{width}-{scheme}.png")
        link = driver.find_element(By.CSS_SELECTOR, "tr.taggarr-track-token td a")
        link.click()
        WebDriverWait(driver, 120).until(EC.url_contains(f"/person/{parent.pk}/tracks/"))
        assert "code PIN" in driver.find_element(By.ID, "content").text
    assert problems == []
