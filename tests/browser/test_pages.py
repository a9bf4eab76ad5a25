"""Issue 51's pages in the browser, at 390 and 1400 px, light and dark: the series page
(seasons as panels, the first three open, chips, the artwork's reserved room), our own
404 page (DEBUG off, as the live server runs), the feed token's shown-once page on a
phone, words instead of icons and raw values. Screenshots go to the artifacts folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import layout
from tests.browser.seed import seed
from tests.browser.sign_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pages-test-password-42"
SIZES = {"phone": (390, 844), "laptop": (1400, 1000)}
# The artwork's reserved room (series.css), so that the poster that comes takes it.
POSTER = {"phone": (80, 120), "laptop": (120, 180)}


def _log_in(driver: webdriver.Chrome, base: str) -> None:
    log_in(driver, base, "pages-admin", PASSWORD)


def _fits(driver: webdriver.Chrome, where: str) -> list[str]:
    problems = []
    driver.execute_script(layout.NO_TRANSITIONS)
    if wide := layout.overflow(driver):
        problems.append(f"{where}: {wide}")
    problems += [f"{where}: axe: {v}" for v in layout.axe_violations(driver)]
    return problems


def _each_scheme(driver: webdriver.Chrome, name: str, size: str, artifacts: Path) -> list[str]:
    problems = []
    for dark in (False, True):
        scheme = "dark" if dark else "light"
        layout.set_dark(driver, dark)
        problems += _fits(driver, f"{name} ({size}, {scheme})")
        layout.screenshot(driver, artifacts / f"{name}-{size}-{scheme}.png")
    return problems


@pytest.mark.parametrize("size", list(SIZES))
def test_the_series_page_has_a_panel_per_season(
    browser: webdriver.Chrome, live_server, settings, tmp_path: Path, artifacts: Path, size: str
) -> None:
    seeded = seed(tmp_path / "logs")
    layout.set_size(browser, *SIZES[size])
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}/admin/scanner/media/{seeded.show.pk}/change/")
    panels = browser.find_elements(By.CSS_SELECTOR, "details.taggarr-season-panel")
    names = [panel.find_element(By.CSS_SELECTOR, ".taggarr-season-name").text for panel in panels]
    assert names == [f"Season {n}" for n in range(5, 0, -1)]  # the newest first, as in Sonarr
    assert [panel.get_attribute("open") is not None for panel in panels] == [True] + [False] * 4
    # A folded season opens on a tap and shows its episodes.
    first = panels[4]
    first.find_element(By.TAG_NAME, "summary").click()
    WebDriverWait(browser, 120).until(lambda _: first.get_attribute("open") is not None)
    episode = first.find_elements(By.CSS_SELECTOR, "li.taggarr-episode")[1]
    assert episode.find_element(By.CSS_SELECTOR, ".taggarr-episode-number").text == "2"
    assert episode.find_element(By.CSS_SELECTOR, ".taggarr-episode-title").text == "Episode 2"
    chips = [chip.text for chip in episode.find_elements(By.CSS_SELECTOR, ".taggarr-chip")]
    assert chips == ["Japanese", "English missing", "German"]
    origin = episode.find_element(By.CSS_SELECTOR, ".taggarr-episode-from").text
    assert origin.endswith("S01E02.de.srt beside it")
    assert origin.startswith("Audio read from the file\nSubtitles from ")  # a line each
    # The coverage bar of the season with counts, and the header's one sentence.
    bar = first.find_element(By.CSS_SELECTOR, ".taggarr-coverage progress")
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("2", "4")
    sentence = browser.find_element(By.ID, "tag-sentence").text
    # Five seasons of four files, half of them without English (seed.py).
    assert sentence.startswith("Not tagged yet, becomes semi-dub when written: 10 files lack")
    poster = browser.find_element(By.CSS_SELECTOR, ".taggarr-series-head .taggarr-art-poster").rect
    assert (round(poster["width"]), round(poster["height"])) == POSTER[size]
    # The actions in one row at a laptop's width, wrapping on a phone.
    actions = browser.find_elements(By.CSS_SELECTOR, "#series-actions .button")
    assert [a.text for a in actions][:4] == [
        "Read the files again",
        "Decide again from stored tracks",
        "Set original language",
        "Wanted languages",
    ]
    if size == "laptop":
        assert len({round(a.rect["y"]) for a in actions}) == 1
    text = browser.find_element(By.ID, "series-page").text
    for raw in ("*arr id", "Url:", "Show folder", "jpn", "Kind:", "✔", "✖"):
        assert raw not in text, raw
    problems = _each_scheme(browser, "series", size, artifacts)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", list(SIZES))
def test_a_missing_page_is_ours_in_the_theme(
    browser: webdriver.Chrome, live_server, artifacts: Path, size: str
) -> None:
    layout.set_size(browser, *SIZES[size])
    browser.get(f"{live_server.url}/no-such-page/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "This page does not exist"
    colours = []
    for dark in (False, True):
        layout.set_dark(browser, dark)
        colours.append(
            browser.execute_script("return getComputedStyle(document.body).backgroundColor;")
        )
    assert colours[0] != colours[1], "the same page colour in light and dark"
    problems = _each_scheme(browser, "not-found", size, artifacts)
    assert not problems, "\n".join(problems)
    browser.find_element(By.ID, "back-home").click()
    WebDriverWait(browser, 120).until(EC.presence_of_element_located((By.ID, "login-form")))


def test_the_feed_address_shown_once_fits_a_phone(
    browser: webdriver.Chrome, live_server, artifacts: Path
) -> None:
    layout.set_size(browser, *SIZES["phone"])
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}/admin/scanner/feedtoken/add/")
    browser.find_element(By.ID, "id_name").send_keys("Home Assistant on the kitchen tablet")
    browser.find_element(By.CSS_SELECTOR, "input[name=_save]").click()
    field = WebDriverWait(browser, 120).until(EC.presence_of_element_located((By.ID, "shown-once")))
    assert "/feeds/" in field.get_attribute("value")
    problems = _each_scheme(browser, "feed-token-shown-once", "phone", artifacts)
    assert not problems, "\n".join(problems)
    browser.get(f"{live_server.url}/admin/scanner/feedtoken/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Feed tokens"
    header = browser.find_element(By.CSS_SELECTOR, "#result_list thead").text
    assert "Created at" not in header and "1" not in header, header


def test_home_files_feed_tokens_with_the_users_access(
    browser: webdriver.Chrome, live_server
) -> None:
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}/admin/")
    captions = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#content-main caption")]
    assert "YOUR ACCESS" in [c.upper() for c in captions]
    access = browser.find_element(By.XPATH, "//caption[.//a[normalize-space()='Your access']]/..")
    assert "Feed tokens" in access.text and "API tokens" in access.text
    # The scanner's internal tables are in no list (a superuser opens them by address).
    assert not browser.find_elements(By.XPATH, "//caption[.//a[normalize-space()='Internals']]")


def test_the_instance_form_is_its_steps(browser: webdriver.Chrome, live_server) -> None:
    """Four steps on top, the settings most keep folded: a laptop sees a short form, not
    the 3,150 px of nine open sections."""
    layout.set_size(browser, *SIZES["laptop"])
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}/admin/scanner/instance/add/")
    steps = browser.find_elements(By.CSS_SELECTOR, "#setup-steps li")
    assert [step.find_element(By.TAG_NAME, "strong").text for step in steps] == [
        "Connect", "Test", "Choose", "First dry run",
    ]  # fmt: skip
    assert steps[0].get_attribute("aria-current") == "step"
    assert len({round(step.rect["y"]) for step in steps}) == 1  # in one row
    assert layout.height(browser) <= 2200, layout.height(browser)
    folded = browser.find_elements(By.CSS_SELECTOR, "fieldset details:not([open])")
    assert len(folded) == 5


def test_the_broken_word_check_sees_a_word_cut_in_two(browser: webdriver.Chrome) -> None:
    """The layout test's check of words cut across lines ("configurati/on") is not idle."""
    browser.get(
        "data:text/html,<div id='content'><p style='width:40px;overflow-wrap:anywhere'>"
        "a configuration</p><p>whole words here</p></div>"
    )
    assert layout.broken_words(browser) == ["configuration"]


def test_the_events_filters_are_a_drawer_above_them_on_a_phone(
    browser: webdriver.Chrome, live_server, tmp_path: Path, artifacts: Path
) -> None:
    """As on the media list (one drawer, filter-drawer.css): on a phone the filters come
    first, folded, not after fifty events; on a laptop Django's side panel shows them."""
    seed(tmp_path / "logs")
    layout.set_size(browser, *SIZES["phone"])
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}/admin/scanner/event/")
    drawer = browser.find_element(By.CSS_SELECTOR, ".taggarr-filter-drawer")
    first_event = browser.find_element(By.CSS_SELECTOR, "#result_list tbody tr")
    assert drawer.is_displayed() and drawer.location["y"] < first_event.location["y"]
    assert not browser.find_element(By.ID, "changelist-filter").is_displayed()
    drawer.find_element(By.TAG_NAME, "summary").click()
    kind = drawer.find_element(By.CSS_SELECTOR, "a[href*='kind__exact']")
    WebDriverWait(browser, 120).until(lambda _: kind.is_displayed())
    kind.click()
    WebDriverWait(browser, 120).until(lambda driver: "kind__exact" in driver.current_url)
    summary = browser.find_element(By.CSS_SELECTOR, ".taggarr-filter-drawer > summary")
    assert summary.text == "Filters (some in use)"
    problems = _each_scheme(browser, "events-filtered", "phone", artifacts)
    layout.set_size(browser, *SIZES["laptop"])
    browser.refresh()
    assert browser.find_element(By.ID, "changelist-filter").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, ".taggarr-filter-drawer").is_displayed()
    assert not problems, "\n".join(problems)
