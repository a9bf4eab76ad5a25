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
from django.utils import translation
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from scanner.engine.targets import is_regional, settled_language
from scanner.engine.tracks import make_track
from scanner.engine.varieties import known_varieties
from scanner.language_names import language_name
from scanner.models import Event, Instance, Media, Person
from scanner.pipeline.scanning.decide import redecide
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.seed import Seeded, seed
from tests.factories import (
    EventFactory,
    InstanceFactory,
    MediaFactory,
    MediaFileFactory,
    SeasonFactory,
)

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


# Issue 84, part 7: on a phone, the review list's buttons and the poster view's chips
# carry the catalogs' longest words. The names are CLDR's (scanner.language_names) of
# every regional variety the engine knows, the sentences the catalogs' (locale/de,
# locale/fr): "ist nicht Portugiesisch (Brasilien), Portugiesisch (Portugal)", "Autre
# variante que : espagnol d'Amérique latine, espagnol d'Espagne" on a button; "aucune piste en
# français", "Spanisch (Lateinamerika) Spanisch, Variante unbekannt — festlegen" on a
# chip a third of a 360 px phone wide.
LONG_WORDS_SIZES = {"small-phone": (360, 740), "phone": (390, 844)}
REVIEW_BUTTONS = ("#guesses .button", "td")
SETTLE_BUTTONS = (".taggarr-settle .button", ".taggarr-settle")
POSTER_CHIPS = (".taggarr-poster-card .taggarr-chip", ".taggarr-poster-card")


def _regional_targets() -> list[str]:
    return [code for code in known_varieties() if is_regional(code)]


def _long_words_item(instance: Instance, title: str, *tracks: tuple[str, str | None]) -> Media:
    """An item of one file whose audio is English and ``tracks`` (raw language, title),
    decided as a scan decides it."""
    media = MediaFactory(instance=instance, title=title, original_language="eng")
    season = SeasonFactory(media=media, number=1)
    specs = [("eng", None), *tracks]
    audio = [make_track(n, raw, name).to_dict() for n, (raw, name) in enumerate(specs, 1)]
    MediaFileFactory(media=media, season=season, episodes=[1], audio_tracks=audio)
    return redecide(media)


def _seed_long_words() -> Media:
    """An instance aiming at every regional variety, and three items: one whose tracks
    are of each language, of unknown variety (to review: a button per variety and one
    for "none of them"; chips "variety unknown — settle"), one of none of them (chips
    "no French"), one of one known variety each (chips "French (France) only")."""
    targets = _regional_targets()
    languages = list(dict.fromkeys(settled_language(code) for code in targets))
    tv = InstanceFactory(name="long-words", target_languages=targets, language_tags=True)
    unknown = _long_words_item(tv, "Unknown varieties", *((code, None) for code in languages))
    _long_words_item(tv, "No track of them")
    first = {settled_language(code): code for code in reversed(targets)}
    _long_words_item(tv, "One variety each", *((first[code], None) for code in languages))
    assert unknown.needs_review, "the item of unknown varieties is not to review"
    return unknown


def _shown(driver: webdriver.Chrome, selector: str) -> str:
    return " | ".join(
        e.text.replace("\n", " ") for e in driver.find_elements(By.CSS_SELECTOR, selector)
    )


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_longest_words_fit_on_a_phone(language: str, live_server, artifacts: Path) -> None:
    unknown = _seed_long_words()
    with translation.override(language):
        names = [language_name(code) for code in _regional_targets()]
    User.objects.create_superuser("layout-admin", password=PASSWORD)
    base = live_server.url
    problems: list[str] = []
    with chromium(language) as driver:
        driver.get(f"{base}/admin/login/")
        driver.find_element(By.ID, "id_username").send_keys("layout-admin")
        driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))
        driver.get(f"{base}/admin/scanner/media/")
        driver.find_element(By.CSS_SELECTOR, "[data-media-view=grid]").click()  # remembered
        pages = [
            ("guesses", "/admin/guesses/", REVIEW_BUTTONS),
            ("settle", f"/admin/scanner/media/{unknown.pk}/change/", SETTLE_BUTTONS),
            ("posters", "/admin/scanner/media/", POSTER_CHIPS),
        ]
        for page, path, (selector, container) in pages:
            driver.get(base + path)
            WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "footer")))
            driver.execute_script(layout.NO_TRANSITIONS)
            shown = _shown(driver, selector)
            problems += [f"{page}: no {name!r} in {shown}" for name in names if name not in shown]
            for size, (width, height) in LONG_WORDS_SIZES.items():
                layout.set_size(driver, width, height)
                for dark in (False, True):
                    layout.set_dark(driver, dark)
                    where = f"{page} ({language}, {width} px, {'dark' if dark else 'light'})"
                    found = [
                        f"{where}: {box}"
                        for box in layout.sticking_out(driver, selector, container)
                    ]
                    if wide := layout.overflow(driver):
                        found.append(f"{where}: {wide}")
                    found += [f"{where}: word broken: {w}" for w in layout.broken_words(driver)]
                    name = f"long-words-{page}-{language}-{size}-{'dark' if dark else 'light'}.png"
                    layout.screenshot(driver, artifacts / name, always=bool(found))
                    problems += found
    assert not problems, "\n".join(problems)
