"""A person's first evening with Taggarr, in a real browser against a real server, a
real worker process and the fake Sonarr: log in, add the instance, test the
connection, dry run, review, apply, watch the live page, find the tags in the media
list and on the media page, look at the dashboard. Screenshots go to the artifacts
folder (tests/browser/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from fakes.arr import FakeArr
from scanner.models import ACTIVE_STATUSES, Media, ScanRun
from tests.browser import layout
from tests.browser.sign_in import leave_page
from tests.browser.test_layout import SIZES
from tests.helpers import ARR_KEY, arr_tags, arr_writes
from tests.library import REMOTE_TV, Library
from tests.worker import WorkerProcess

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PASSWORD = "browser-test-password-42"
SCAN_TIMEOUT = 90


def _wait(driver: webdriver.Chrome, timeout: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def _fill(driver: webdriver.Chrome, field_id: str, text: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def _submit(driver: webdriver.Chrome, by: str, value: str) -> None:
    """Click what leads to another page and wait until the old page is gone, so that
    nothing after reads the page being left (a stale element or an old message)."""
    leave_page(driver, driver.find_element(by, value).click)


def _console_problems(driver: webdriver.Chrome) -> list[str]:
    """CSP violations and script errors the page logged."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]


def _log_in(driver: webdriver.Chrome, base: str, username: str) -> None:
    driver.get(f"{base}/admin/login/")
    _fill(driver, "id_username", username)
    _fill(driver, "id_password", PASSWORD)
    _submit(driver, By.CSS_SELECTOR, "input[type=submit]")
    _wait(driver).until(EC.presence_of_element_located((By.ID, "user-tools")))


def _add_instance(driver: webdriver.Chrome, base: str, sonarr: FakeArr, library: Library) -> None:
    driver.get(f"{base}/admin/scanner/instance/add/")
    assert "Saving writes nothing" in driver.find_element(By.ID, "first-scan-notice").text
    _fill(driver, "id_name", "tv")
    Select(driver.find_element(By.ID, "id_kind")).select_by_value("sonarr")
    _fill(driver, "id_url", sonarr.url)
    _fill(driver, "id_api_key", ARR_KEY)
    # The *arr offers its root folders and languages: English is picked, not typed.
    driver.find_element(By.ID, "fetch-arr-choices").click()
    folders = _wait(driver).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#root-folder-choices button"))
    )
    assert folders.text == REMOTE_TV
    _fill(driver, "id_root_folders", str(library.root))
    _fill(driver, "id_path_mappings", f"{REMOTE_TV} => {library.root}")
    _fill(driver, "id_target_languages", "")
    # The languages in one list per field, not a button each (issue 51).
    assert "Connection test passed" in driver.find_element(By.ID, "arr-choices-status").text
    # Named with the code it writes, the code the field's hint shows ("e.g. en, de").
    Select(driver.find_element(By.ID, "language-choices")).select_by_visible_text("English (en)")
    assert driver.find_element(By.ID, "id_target_languages").get_attribute("value") == "en"
    assert not driver.find_elements(By.CSS_SELECTOR, "#language-choices button")
    _fits(driver, "instance form")
    _submit(driver, By.NAME, "_continue")
    _wait(driver).until(EC.presence_of_element_located((By.ID, "test-connection")))
    assert ARR_KEY not in driver.page_source
    said = driver.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert "The instance “tv” was added." in said  # web.admin.model_words
    notice = driver.find_element(By.ID, "first-scan-notice").text
    assert "nothing will be until you start the first scan" in notice


def _run_to_its_end(driver: webdriver.Chrome, worker: WorkerProcess) -> ScanRun:
    """On a run's page: wait (no reload) until the page shows the run ended and its review."""
    panel = _wait(driver).until(EC.presence_of_element_located((By.ID, "scan-progress")))
    try:
        _wait(driver, SCAN_TIMEOUT).until(lambda d: panel.get_attribute("data-active") == "false")
    except TimeoutException:  # say what the worker saw
        raise AssertionError("".join(worker.output[-60:])) from None
    run_id = int(driver.current_url.rstrip("/").split("/")[-2])
    return ScanRun.objects.get(pk=run_id)


def _live(driver: webdriver.Chrome, key: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'#scan-progress [data-live="{key}"]').text


def _media_tags(driver: webdriver.Chrome, base: str) -> dict[str, str]:
    driver.get(f"{base}/admin/scanner/media/")
    rows = driver.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    # No tag reads "no tag" on the page, never the word "none" (issue 61): the tag's name.
    return {
        row.find_element(By.CSS_SELECTOR, ".field-title").text: (
            row.find_element(By.CSS_SELECTOR, ".field-applied").text.replace("no tag", "none")
        )
        for row in rows
    }


def _fits(driver: webdriver.Chrome, where: str) -> None:
    """The page reads without sideways scrolling, and no table or chart is cut off."""
    assert not layout.overflow(driver), f"{where}: {layout.overflow(driver)}"
    assert not layout.clipped(driver), f"{where}: {layout.clipped(driver)}"


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_first_session_in_the_browser(
    browser: webdriver.Chrome,
    live_server,
    worker: WorkerProcess,
    sonarr: FakeArr,
    tv_library: Library,
    artifacts: Path,
    size: str,
) -> None:
    """Add → test connection → dry run → review → apply selected, then all → live
    progress → media page → dashboard; never a reload, nothing written unasked; on a
    laptop (1400 by 1000) and on a phone (390 by 844)."""
    layout.set_size(browser, *SIZES[size])
    artifacts = artifacts / f"flow-{size}"
    artifacts.mkdir(exist_ok=True)
    base = live_server.url
    tagged = {title: tag for title, tag in tv_library.expected.items() if tag != "none"}
    user = User.objects.create_superuser("browser-admin", password=PASSWORD)
    _log_in(browser, base, user.username)
    _add_instance(browser, base, sonarr, tv_library)
    instance_page = browser.current_url

    _submit(browser, By.ID, "test-connection")
    _wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist")))
    assert "Connection OK" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert not ScanRun.objects.exists() and arr_writes(sonarr) == 0

    # Dry run: the live page follows it to the end, then shows what it would write.
    _submit(browser, By.ID, "dry-run")
    # The "queued" toast; scan-progress.js takes it back once the run has ended, which a
    # quick worker can do before it is read: then the run must have ended already.
    toasts = browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    if "of tv queued" not in toasts:
        assert toasts == ""
        assert not ScanRun.objects.filter(status__in=ACTIVE_STATUSES).exists()
    dry = _run_to_its_end(browser, worker)
    assert dry.dry_run and _live(browser, "status") == "succeeded"
    assert (
        _live(browser, "items")
        == f"scanned up to item {len(tv_library.expected)} of {len(tv_library.expected)}"
    )
    assert _live(browser, "changes") == f"{len(tagged)} planned, nothing written (dry run)"
    assert _live(browser, "finished") != "-"
    bar = browser.find_element(By.ID, "scan-progress-bar")
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(len(tv_library.expected))
    assert browser.find_element(By.ID, "scan-summary").is_displayed()
    assert not browser.find_elements(By.ID, "cancel-scan")
    rows = browser.find_elements(By.CSS_SELECTOR, "#review-table tbody tr")
    assert len(rows) == len(tagged)
    assert arr_writes(sonarr) == 0  # reviewed, not written
    _fits(browser, "review")
    layout.screenshot(browser, artifacts / "review.png")

    # Apply one: a run that reads no file writes just that item's tag.
    anime = Media.objects.get(title="Anime Half")
    browser.find_element(By.ID, f"review-{anime.pk}").click()
    _submit(browser, By.ID, "apply-selected")
    applied = _run_to_its_end(browser, worker)
    assert (applied.mode, applied.files_probed) == ("apply", 0)
    assert _live(browser, "changes") == "1 tag change written."
    assert {t: g for t, g in arr_tags(sonarr).items() if g != "none"} == {"Anime Half": "semi-dub"}

    # Back to the review: the rest, applied all at once.
    browser.get(f"{base}/admin/scanner/scanrun/{dry.pk}/change/")
    rows = browser.find_elements(By.CSS_SELECTOR, "#review-table tbody tr")
    assert len(rows) == len(tagged) - 1
    _submit(browser, By.ID, "apply-all")
    _run_to_its_end(browser, worker)
    assert arr_tags(sonarr) == tv_library.expected
    layout.screenshot(browser, artifacts / "applied.png")

    # The instance's schedule started with the first scan; it no longer waits.
    browser.get(instance_page)
    assert not browser.find_elements(By.ID, "first-scan-notice")

    assert _media_tags(browser, base) == tv_library.expected
    _submit(browser, By.LINK_TEXT, "Anime Half")
    sentence = _wait(browser).until(EC.presence_of_element_located((By.ID, "tag-sentence")))
    assert "2 files lack at least one of the targets (English)" in sentence.text
    panels = browser.find_elements(By.CSS_SELECTOR, "details.taggarr-season-panel")
    season_two = panels[0]  # the newest first, open
    summary = season_two.find_element(By.TAG_NAME, "summary").text.split()
    assert summary[:4] == ["Season", "2", "no", "tag"], summary
    first = season_two.find_elements(By.CSS_SELECTOR, "li.taggarr-episode")[0]
    chips = [chip.text for chip in first.find_elements(By.CSS_SELECTOR, ".taggarr-chip")]
    assert chips[:2] == ["Japanese", "English missing"], chips
    _fits(browser, "media page")
    layout.screenshot(browser, artifacts / "media.png")

    browser.get(f"{base}/admin/dashboard/")
    # The connection test of the start, as stored: the dashboard asks no *arr.
    assert browser.find_element(By.CSS_SELECTOR, ".taggarr-connection").text.startswith("OK")
    _fits(browser, "dashboard")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.taggarr-chart rect")) > 3
    layout.screenshot(browser, artifacts / "dashboard.png")
    assert not _console_problems(browser)

    browser.get(f"{base}/api/docs/")
    _wait(browser, 30).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock"))
    )
    assert not _console_problems(browser)
