"""Every page of the flow on a phone (390 by 844, and the smallest, 360 by 740, light
only) and a laptop (1400 by 1000), light and dark: nothing wider than the window, no
table or chart cut off, nothing axe-core finds serious or critical (text contrast at
WCAG AA, links told apart by more than colour, tap targets of 24 px among them), the
page's one primary action in reach, no script error or CSP violation, and on a phone no
page taller than its budget, a header of one row (64 px at most: the menu is behind a
button) and no tap target under 24 by 24 px, checkboxes included (a link inside a
sentence excepted). A screenshot of each goes to the artifacts folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from scanner.models import Event, Instance, Person
from tests.browser import layout
from tests.browser.seed import Seeded, seed
from tests.factories import EventFactory, InstanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "layout-test-password-42"
SIZES = {"phone": (390, 844), "laptop": (1400, 1000), "small-phone": (360, 740)}
# The tallest a page may be on a 390 px phone (issue 51): a first page of events, the
# dashboard of a library in use.
PHONE_HEIGHTS = {"events": 6000, "dashboard": 5000}


def _instances_past_the_test(seeded: Seeded) -> tuple[Instance, Instance]:
    """The instance form's later steps: one whose connection test passed (its first dry run
    next), one whose test failed (shown as failed)."""
    tested, failed = (
        InstanceFactory(name=name, url="http://127.0.0.1:9", first_scan_at=None)
        for name in ("tested", "refused")
    )
    for instance, ok in ((tested, True), (failed, False)):
        EventFactory(
            instance=instance, kind=Event.Kind.CONFIG, message="connection test",
            data={"connection_test": {"ok": ok, "lines": ["Sonarr 4.0.15 answered" if ok
                  else "Sonarr answered 401: the API key is wrong"]}, "via": "admin"},
        )  # fmt: skip
    return tested, failed


def _lea() -> int:
    """The seed's child (seed.py, _household): her page of what will play."""
    return Person.objects.get(name="Léa").pk


def _pages(seeded: Seeded) -> list[tuple[str, str, str | None]]:
    """(name, path, the primary action's selector or None)."""
    tested, failed = _instances_past_the_test(seeded)
    return [
        ("home", "/admin/", "#first-run .taggarr-primary"),
        ("dashboard", "/admin/dashboard/", "#dashboard-primary"),
        ("instances", "/admin/scanner/instance/", ".object-tools .addlink"),
        ("instance-add", "/admin/scanner/instance/add/", "input[name=_save]"),
        ("instance", f"/admin/scanner/instance/{seeded.tv.pk}/change/", "#scan-now"),
        ("instance-new", f"/admin/scanner/instance/{seeded.new.pk}/change/", "#test-connection"),
        ("instance-tested", f"/admin/scanner/instance/{tested.pk}/change/", None),
        ("instance-test-failed", f"/admin/scanner/instance/{failed.pk}/change/", None),
        ("media", "/admin/scanner/media/", None),
        ("media-letter", "/admin/scanner/media/?letter=S", None),
        ("all-pages", "/admin/all/", None),
        ("media-item", f"/admin/scanner/media/{seeded.show.pk}/change/", "#rescan"),
        ("scans", "/admin/scanner/scanrun/", None),
        ("review", f"/admin/scanner/scanrun/{seeded.review.pk}/change/", "#apply-all"),
        ("failed-scan", f"/admin/scanner/scanrun/{seeded.failed.pk}/change/", None),
        ("events", "/admin/scanner/event/", None),
        ("event", f"/admin/scanner/event/{seeded.event.pk}/change/", None),
        ("notifiers", "/admin/scanner/notifier/", ".object-tools .addlink"),
        ("notifier-add", "/admin/scanner/notifier/add/", "input[name=_save]"),
        ("media-servers", "/admin/scanner/mediaserver/", None),
        ("media-server-add", "/admin/scanner/mediaserver/add/", None),
        ("household", "/admin/scanner/person/", None),
        ("person-add", "/admin/scanner/person/add/", None),
        ("person-tracks", f"/admin/scanner/person/{_lea()}/tracks/", None),
        ("person-outcome", f"/admin/scanner/person/{_lea()}/tracks/series/fallback/", None),
        ("default-tracks", "/admin/scanner/defaulttrackchange/", None),
        ("feed-tokens", "/admin/scanner/feedtoken/", None),
        ("api-tokens", "/admin/accounts/apitoken/", None),
        ("guesses", "/admin/guesses/", None),
        ("logs", "/admin/logs/", None),
        ("log", "/admin/logs/view/taggarr-web.log", None),
    ]


def _console_problems(driver: webdriver.Chrome) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]


def _log_in(driver: webdriver.Chrome, base: str, artifacts: Path, size: str) -> list[str]:
    driver.get(f"{base}/admin/login/")
    problems = _look(driver, "login", "#login-form input[type=submit]", artifacts, size)
    problems += _phone_problems(driver, "login", size)
    driver.find_element(By.ID, "id_username").send_keys("layout-admin")
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
    WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))
    return problems


def _look(
    driver: webdriver.Chrome, name: str, primary: str | None, artifacts: Path, size: str
) -> list[str]:
    problems = []
    driver.execute_script(layout.NO_TRANSITIONS)
    # The colours do not depend on the width: dark is looked at on the phone and the
    # laptop; the smallest phone is there for what a narrower window breaks.
    for dark in (False,) if size == "small-phone" else (False, True):
        layout.set_dark(driver, dark)
        scheme = "dark" if dark else "light"
        where = f"{name} ({size}, {scheme})"
        found = []
        if wide := layout.overflow(driver):
            found.append(f"{where}: {wide}")
        found += [f"{where}: cut off: {box}" for box in layout.clipped(driver)]
        found += [f"{where}: axe: {v}" for v in layout.axe_violations(driver)]
        found += [f"{where}: word broken: {w}" for w in layout.broken_words(driver)]
        if primary is not None and (problem := layout.primary_problem(driver, primary)):
            found.append(f"{where}: primary action: {problem}")
        driver.execute_script("window.scrollTo(0, 0);")
        layout.screenshot(driver, artifacts / f"{name}-{size}-{scheme}.png", always=bool(found))
        problems += found
    problems += [f"{name} ({size}): console: {p}" for p in _console_problems(driver)]
    return problems


def _phone_problems(driver: webdriver.Chrome, name: str, size: str) -> list[str]:
    """On a phone: every tap target 24 by 24 px, the header one row (the login page's is
    the top of its card), the page within its height budget."""
    if not size.endswith("phone"):
        return []
    problems = [f"{name} ({size}): small tap target: {t}" for t in layout.small_targets(driver)]
    header = layout.header_height(driver)
    if name != "login" and header > layout.HEADER_TALLEST:
        problems.append(f"{name} ({size}): the header is {header} px tall")
    tallest = PHONE_HEIGHTS.get(name)
    if size == "phone" and tallest and (tall := layout.height(driver)) > tallest:
        problems.append(f"{name} (phone): {tall} px tall, more than {tallest} px")
    return problems


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_reads_well(
    browser: webdriver.Chrome, live_server, settings, tmp_path: Path, artifacts: Path, size: str
) -> None:
    settings.LOG_DIR = tmp_path / "logs"
    seeded = seed(settings.LOG_DIR)
    User.objects.create_superuser("layout-admin", password=PASSWORD)
    layout.set_size(browser, *SIZES[size])
    base = live_server.url
    problems = _log_in(browser, base, artifacts, size)
    for name, path, primary in _pages(seeded):
        browser.get(base + path)
        if not browser.find_elements(By.ID, "footer"):
            problems.append(f"{name}: {path} not found")
            continue
        problems += _look(browser, name, primary, artifacts, size)
        problems += _phone_problems(browser, name, size)
    assert not problems, "\n".join(problems)
