"""Issue 52's "done when" (issue 71: Spanish and Brazilian Portuguese too): a browser set
to German (or French) reads the login, the home
page, the dashboard, the media list, a series page, the review page, a run page, the
instance form and the 404 page with no English word of Taggarr's own, at 390 and
1400 px, nothing wider than the window. Screenshots go to the artifacts folder.

The rule, precise and cheap (tests/i18n/english_words.py, the same for the feed and the
notifiers): a word of the page's visible text (three letters or more, case ignored) is
English of Taggarr's own when it is a word of one of the code's English msgids and of no
translation into the page's language: ours, or Django's own that the page uses too
("minute" is French as well); and no word locale/glossary.toml forbids is used.
What the database holds as written is data, not Taggarr's words, and
is left out: titles, names, paths, tag labels, and a failed run's error (English like
the logs: docs/conventions.md, habit 13). The events' stored messages are not: the pages
show each event as a sentence of the page's language (issue 61). The language
switcher's options are left out too, each named in its own language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from scanner.models import (
    Instance,
    Media,
    MediaFile,
    Notifier,
    Person,
    ScanRun,
    SeerrConnection,
    SeerrUser,
)
from scanner.seerr.settings import json_payload
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.seed import Seeded, seed
from tests.i18n.english_words import unwritten_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "i18n-pages-password-42"
SIZES = {"phone": (390, 844), "laptop": (1400, 1000)}


def _data_words() -> list[str]:
    """What the database holds as written: shown as it is, in any language."""
    texts = [*Media.objects.values_list("title", flat=True)]
    texts += Instance.objects.values_list("name", flat=True)
    texts += Instance.objects.values_list("url", flat=True)
    texts += Notifier.objects.values_list("name", flat=True)
    texts += Notifier.objects.values_list("url_hint", flat=True)  # the saved URL's end
    texts += MediaFile.objects.values_list("path", flat=True)
    texts += ScanRun.objects.exclude(error="").values_list("error", flat=True)
    texts += SeerrConnection.objects.values_list("name", flat=True)
    texts += SeerrConnection.objects.values_list("url", flat=True)
    texts += SeerrUser.objects.values_list("email", flat=True)
    texts.append(json_payload())  # Seerr's template, its keys Seerr's own: pasted as it is
    # A notifier's message languages, each named in its own language (settings.LANGUAGES).
    texts += [str(name) for _, name in settings.LANGUAGES]
    for media in Media.objects.all():
        texts += [*media.applied_labels, *media.planned_labels, media.applied_tag]
        for block in (media.verdict_reasons or {}).get("seasons", []):
            texts += [row["path"] for row in block["files"]]
            texts += [s for row in block["files"] for s in row.get("sidecars", [])]
    return [*texts, "dub", "semi", "wrong", "none"]


@pytest.fixture
def german_or_french(language: str) -> Iterator[webdriver.Chrome]:
    """Chromium whose Accept-Language is the test's language, as a browser set to it."""
    with chromium(language) as driver:
        yield driver


def _pages(seeded: Seeded) -> dict[str, str]:
    lea = Person.objects.get(name="Léa").pk
    return {
        "home": "/admin/",
        "dashboard": "/admin/dashboard/",
        "media-list": "/admin/scanner/media/",
        "series": f"/admin/scanner/media/{seeded.show.pk}/change/",
        "review": "/admin/guesses/",
        "run": f"/admin/scanner/scanrun/{seeded.review.pk}/change/",
        "instance-form": f"/admin/scanner/instance/{seeded.tv.pk}/change/",
        "household": "/admin/scanner/person/",
        "person": f"/admin/scanner/person/{lea}/change/",
        # The seed's child (seed.py, _household): what will play, and one outcome's items.
        "person-tracks": f"/admin/scanner/person/{lea}/tracks/",
        "person-outcome": f"/admin/scanner/person/{lea}/tracks/series/fallback/",
        # The plan of the series' default tracks (seed.py, _default_tracks).
        "default-tracks": "/admin/scanner/defaulttrackchange/",
        # The dub badges' plan (seed.py, _badges).
        "badges": "/admin/scanner/badgechange/",
        # The seed's tested Jellyseerr (seed.py, _seerr): its users and what to paste.
        "seerr-list": "/admin/scanner/seerrconnection/",
        "seerr": f"/admin/scanner/seerrconnection/{SeerrConnection.objects.get().pk}/change/",
        # Notifiers: the household's and the child's own (seed.py, _seerr).
        "notifiers": "/admin/scanner/notifier/",
        "notifier": f"/admin/scanner/notifier/{Notifier.objects.get(name='Léa').pk}/change/",
        # Every act's changes, and the guided setup (the seed's household and instance:
        # its later steps).
        "changes": "/admin/changes/",
        "setup": "/admin/setup/?step=3",
        "not-found": "/admin-no-such-page/",
    }


def _made_once(seeded: Seeded) -> list[tuple[str, str, str]]:
    """The pages that show a new webhook token once (issue 79: no read shows it), reached
    as a person does, by the change page's button: (name, change page, button id)."""
    instance = f"/admin/scanner/instance/{seeded.tv.pk}/change/"
    seerr = f"/admin/scanner/seerrconnection/{SeerrConnection.objects.get().pk}/change/"
    return [
        ("new-webhook-url", instance, "new-webhook-url"),
        ("new-webhook-token", seerr, "new-webhook-token"),
    ]


def unwritten_on(driver: webdriver.Chrome, language: str, data: list[str]) -> list[str]:
    """The page's English words and glossary-forbidden ones (tests/i18n/english_words.py:
    one rule for the pages, the feed and the notifiers); the language switcher's options
    are each named in their own language."""
    options = driver.find_elements(By.CSS_SELECTOR, "#taggarr-language-choice option")
    data = data + [str(option.get_attribute("text")) for option in options]
    text = driver.execute_script("return document.body.innerText;")
    return unwritten_words(text, language, data)


# A variety's pages differ from its base's by a few words: their width is checked where a
# longer word would overflow, on the phone; the base's pages are checked at both sizes.
VARIETY_SIZES = {"fr-ca": ("phone",), "es-419": ("phone",)}


def _look(driver: webdriver.Chrome, name: str, language: str, artifacts: Path) -> list[str]:
    problems = []
    sizes = VARIETY_SIZES.get(language, tuple(SIZES))
    for size, (width, height) in ((size, SIZES[size]) for size in sizes):
        layout.set_size(driver, width, height)
        driver.execute_script(layout.NO_TRANSITIONS)
        if wide := layout.overflow(driver):
            problems.append(f"{name} at {width} px: {wide}")
        layout.screenshot(driver, artifacts / f"i18n-{language}-{name}-{size}.png")
    return problems


# Spanish and Brazilian Portuguese too (issue 71): their words are longer than English,
# the two varieties (issue 96) with their own words;
# the phone's width is theirs to keep as well.
@pytest.mark.parametrize("language", ["de", "fr", "fr-ca", "es", "es-419", "pt-br"])
def test_every_page_speaks_the_browsers_language(
    language: str,
    german_or_french: webdriver.Chrome,
    live_server,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    driver = german_or_french
    seeded = seed(tmp_path / "logs")
    driver.get(f"{live_server.url}/admin/login/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    User.objects.create_superuser("i18n-admin", password=PASSWORD)
    data = [*_data_words(), "i18n-admin"]
    found: dict[str, list[str]] = {}
    problems = _look(driver, "login", language, artifacts)
    if words := unwritten_on(driver, language, data):
        found["login"] = words
    driver.find_element(By.ID, "id_username").send_keys("i18n-admin")
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
    WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))
    for name, path in _pages(seeded).items():
        driver.get(f"{live_server.url}{path}")
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.TAG_NAME, "main")))
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, name
        if words := unwritten_on(driver, language, data):
            found[name] = words
        problems += _look(driver, name, language, artifacts)
    for name, path, button in _made_once(seeded):
        driver.get(f"{live_server.url}{path}")
        WebDriverWait(driver, 120).until(EC.element_to_be_clickable((By.ID, button))).click()
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "shown-once")))
        if words := unwritten_on(driver, language, data):
            found[name] = words
        problems += _look(driver, name, language, artifacts)
    problems += _guide_at_its_longest_step(driver, live_server.url, language, artifacts)
    assert found == {}
    assert problems == []


def _guide_at_its_longest_step(
    driver: webdriver.Chrome, base: str, language: str, artifacts: Path
) -> list[str]:
    """The home guide's button at the step whose words are the longest ("Ouvrir l'instance
    pour lancer une simulation"): on a phone it wraps, nothing is cut off (issue 61)."""
    ScanRun.objects.filter(dry_run=True).delete()  # the dry run is the step to do now
    driver.get(f"{base}/admin/")
    layout.set_size(driver, *SIZES["phone"])
    button = driver.find_element(By.CSS_SELECTOR, "#first-run .taggarr-primary")
    layout.screenshot(driver, artifacts / f"i18n-{language}-guide-phone.png")
    words = button.text
    return [f"guide at 390 px ({words}): cut off: {box}" for box in layout.clipped(driver)]
