"""Issue 61's "done when", the part the page tour (test_pages_in_german_and_french.py)
does not reach: a German and a French reader who tests an instance against an *arr that
answers 401, one that answers 404 and one that answers something that is not JSON reads
each result (the admin's message, the instance's page, the instance list), and the
events of a real library (a dry run, a scan with an item that failed, webhooks, the
connection tests) on the events list, with no English word of Taggarr's own and no
word the glossary forbids (tests/i18n/english_words.py: one rule for the pages, the
feed and the notifiers; the feed and the notifiers themselves:
tests/i18n/test_feed_and_notifier_words.py). And a user with two targets sees each
language's tag (dub-de, semi-dub-fr) in the table and on the posters without opening
an item.

The connection tests' sentences (scanner/connect/sentences.py) count as English until
their translations are in locale/: this test fails on them until then, by design."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from fakes.arr import FakeArr, FakeArrOptions
from fakes.hostile import HostileServer
from scanner.models import Event, Instance, Media, MediaFile, RunRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.i18n.english_words import unwritten_words
from tests.library import Library

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "walk-through-password-42"
USER = "walk-admin"
NOT_JSON = b"<html>a login page</html>"
STATUS = "/api/v3/system/status"
# The tags' own words: data in every language (dub-de is what Sonarr shows too).
TAG_WORDS = ["dub", "semi", "wrong", "none"]


def _log_in(driver: webdriver.Chrome, base: str) -> None:
    User.objects.create_superuser(USER, password=PASSWORD)
    driver.get(f"{base}/admin/login/")
    driver.find_element(By.ID, "id_username").send_keys(USER)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
    WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "user-tools")))


def _data() -> list[str]:
    """What the database holds as written (titles, names, addresses, paths): shown as it
    is in every language."""
    texts = [*Media.objects.values_list("title", flat=True)]
    texts += MediaFile.objects.values_list("path", flat=True)
    for instance in Instance.objects.all():
        texts += [instance.name, instance.url, *instance.root_folders]
    # The *arr's own words: the webhook's event type, the address asked, the answer's type.
    return [*texts, *TAG_WORDS, USER, "Download", STATUS, "text/html"]


def _read(driver: webdriver.Chrome, language: str) -> list[str]:
    options = driver.find_elements(By.CSS_SELECTOR, "#taggarr-language-choice option")
    data = _data() + [str(option.get_attribute("text")) for option in options]
    text = driver.execute_script("return document.body.innerText;")
    return unwritten_words(text, language, data)


@pytest.fixture
def failing_arrs(tmp_path: Path) -> Iterator[dict[str, Instance]]:
    """Three Sonarr instances whose connection test fails: a key the fake refuses (401),
    an address where it has no API (404), a server answering an HTML page."""
    with ExitStack() as stack:
        locked = stack.enter_context(FakeArr(FakeArrOptions(api_key="the-right-key-0000")))
        moved = stack.enter_context(FakeArr(FakeArrOptions(api_key=ARR_KEY)))
        answers: dict[str, str | bytes] = {STATUS: NOT_JSON, "/api/v3/rootfolder": NOT_JSON}
        garbage = stack.enter_context(HostileServer(answers=answers))
        urls = {"key": locked.url, "path": moved.url + "/elsewhere", "page": garbage.url}
        yield {name: _sonarr(f"sonarr-{name}", url, tmp_path) for name, url in urls.items()}


def _sonarr(name: str, url: str, folder: Path) -> Instance:
    return InstanceFactory(
        name=name, url=url, api_key=ARR_KEY, root_folders=[str(folder)],
        audio_source=Instance.AudioSource.FILES,
    )  # fmt: skip


def _real_events(instance: Instance, library: Library) -> None:
    """A scan whose one item failed (its folder went after the plan), a dry run, and the
    *arr's webhooks (its test, a download): each written by the code that writes it."""
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    work = plan_run(run.pk)
    shutil.rmtree(library.folder("Anime Half"))
    run_inline(work, sleep=lambda seconds: None)
    scan_inline(instance, dry_run=True)
    url = f"/api/webhooks/{instance.get_webhook_token()}/"
    for body in ({"eventType": "Test"}, {"eventType": "Download", "series": {"id": 1}}):
        answer = Client().post(url, json.dumps(body), content_type="application/json")
        assert answer.status_code in (200, 202)
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {Event.Kind.SCAN_FINISHED, Event.Kind.ITEM_FAILED, Event.Kind.WEBHOOK} <= kinds


@pytest.mark.parametrize("language", ["de", "fr"])
def test_failed_connection_tests_and_events_in_german_and_french(
    language: str,
    live_server,
    sonarr_instance: Instance,
    tv_library: Library,
    failing_arrs: dict[str, Instance],
    sent_work: list,
    artifacts: Path,
) -> None:
    _real_events(sonarr_instance, tv_library)
    found: dict[str, list[str]] = {}
    with chromium(language) as driver:
        base = live_server.url
        _log_in(driver, base)
        for name, instance in failing_arrs.items():
            driver.get(f"{base}/admin/scanner/instance/{instance.pk}/change/")
            driver.find_element(By.ID, "test-connection").click()
            message = WebDriverWait(driver, 120).until(
                EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .warning"))
            )
            assert message.text, name
            found[f"test {name}"] = _read(driver, language)
            layout.screenshot(driver, artifacts / f"walk-{language}-test-{name}.png")
        for page, path in {
            "instances": "/admin/scanner/instance/",
            "events": "/admin/scanner/event/",
        }.items():
            driver.get(f"{base}{path}")
            WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "result_list")))
            found[page] = _read(driver, language)
            layout.screenshot(driver, artifacts / f"walk-{language}-{page}.png")
        # Each failure told on the list: the instance's last test (the dashboard's column).
        driver.get(f"{base}/admin/dashboard/")
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.TAG_NAME, "main")))
        found["dashboard"] = _read(driver, language)
    assert {page: words for page, words in found.items() if words} == {}


def test_two_targets_show_each_languages_tag_in_the_list_and_on_the_posters(
    live_server, artifacts: Path
) -> None:
    """German and French targets, per-language tags on: the table's rows and the posters
    say dub-de and semi-dub-fr, no item opened."""
    instance = InstanceFactory(name="serien", target_languages=["deu", "fra"], language_tags=True)
    verdicts = {
        "Dark": {"deu": "dub", "fra": "none"},
        "Lupin": {"deu": "dub", "fra": "semi-dub"},
    }
    for title, states in verdicts.items():
        MediaFactory(instance=instance, title=title, language_verdicts=states)
    expected = {"Dark": ["dub-de", "—"], "Lupin": ["dub-de", "semi-dub-fr"]}
    with chromium("de") as driver:
        _log_in(driver, live_server.url)
        driver.get(f"{live_server.url}/admin/scanner/media/")
        rows = driver.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
        table = {_title_of(row): _chips(row) for row in rows}
        layout.screenshot(driver, artifacts / "walk-two-targets-table.png")
        driver.find_element(By.CSS_SELECTOR, "[data-media-view=grid]").click()
        cards = driver.find_elements(By.CSS_SELECTOR, ".taggarr-poster-grid .taggarr-poster-card")
        posters = {_title_of(card): _chips(card) for card in cards}
        layout.screenshot(driver, artifacts / "walk-two-targets-posters.png")
    assert {title: table.get(title) for title in expected} == expected
    assert posters == expected


def _chips(element: WebElement) -> list[str]:
    states = element.find_elements(By.CSS_SELECTOR, ".taggarr-chip .taggarr-chip-state")
    return [str(state.get_attribute("textContent")).strip() for state in states]


def _title_of(element: WebElement) -> str:
    """Which of the two items a row or a card is."""
    text = str(element.get_attribute("textContent"))
    return next(title for title in ("Dark", "Lupin") if title in text)
