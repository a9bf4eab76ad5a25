"""The media list in the browser: posters fetched from a fake Sonarr (over HTTP, as the
real one serves them) shown in a grid with the tag on each and a placeholder where
there is none; the Table/Posters choice remembered; on a phone (390 px) the filters in
a drawer above the list, fifty items in at most 6,000 px, nothing wider than the
window, tap targets of 24 px. Screenshots of each, light and dark, in the artifacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from fakes.arr import FakeArr, FakeArrOptions, generate_library
from scanner.arr.payloads import parse_item
from scanner.artwork.refresh import refresh_artwork
from scanner.models import Instance
from tests.browser import layout
from tests.browser.sign_in import log_in
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import ARR_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "posters-test-password-42"
SIZES = {"phone": (390, 844), "laptop": (1400, 1000)}
COUNT = 50
WITHOUT_POSTER = (3, 17)  # *arr ids whose poster Sonarr has not got
TAGS = ("dub", "semi-dub", "none", "wrong-dub", "dub")
VERDICTS = (("dub", "none"), ("semi-dub", "dub"), ("none", "semi-dub"))
PHONE_MAX_HEIGHT = 6000

SMALL_TARGETS = """
const small = [];
for (const el of document.querySelectorAll(arguments[0])) {
  const box = el.getBoundingClientRect();
  if (el.offsetParent !== null && (box.height < 24 || box.width < 24)) {
    const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
    small.push(`${el.tagName.toLowerCase()}.${el.className} ${size}`);
  }
}
return small;
"""


# The layout shifts the browser counted since the page began (buffered), as Lighthouse
# adds them up; input-driven ones left out.
LAYOUT_SHIFT = """
const done = arguments[arguments.length - 1];
let total = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
}).observe({type: 'layout-shift', buffered: true});
requestAnimationFrame(() => requestAnimationFrame(() => done(total)));
"""
MAX_LAYOUT_SHIFT = 0.1  # Lighthouse's "good"


@pytest.fixture
def library() -> Iterator[Instance]:
    items = generate_library("sonarr", COUNT)
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=items) as fake:
        for arr_id in WITHOUT_POSTER:
            fake.state.covers.remove(arr_id, "poster")
        instance = InstanceFactory(
            kind=Instance.Kind.SONARR, url=fake.url, api_key=ARR_KEY,
            target_languages=["deu", "fra"], language_tags=True,
        )  # fmt: skip
        for item in items:
            MediaFactory(
                instance=instance,
                arr_id=item["id"],
                title=f"{item['title']}: a longer title, as some series have",
                applied_tag=TAGS[item["id"] % len(TAGS)],
                # Two targets' chips on each (web.language_chips), in the height budget.
                language_verdicts=dict(zip(("deu", "fra"), VERDICTS[item["id"] % 3], strict=True)),
                arr_covers=dict(parse_item(fake.state.served(item), kind="sonarr").covers),
            )
        counts = refresh_artwork(instance)
        assert counts.failed == [] and counts.fetched == 2 * COUNT - len(WITHOUT_POSTER)
        yield instance


def _log_in(driver: webdriver.Chrome, base: str) -> None:
    log_in(driver, base, "poster-admin", PASSWORD)


def _height(driver: webdriver.Chrome) -> int:
    return driver.execute_script("return document.documentElement.scrollHeight;")


def _look(driver: webdriver.Chrome, name: str, artifacts: Path) -> list[str]:
    """Both schemes: nothing wider than the window, no serious or critical axe finding;
    a screenshot each."""
    problems = []
    driver.execute_script(layout.NO_TRANSITIONS)
    for dark in (False, True):
        layout.set_dark(driver, dark)
        scheme = "dark" if dark else "light"
        if wide := layout.overflow(driver):
            problems.append(f"{name} {scheme}: {wide}")
        problems += [f"{name} {scheme}: cut off: {box}" for box in layout.clipped(driver)]
        problems += [f"{name} {scheme}: axe: {v}" for v in layout.axe_violations(driver)]
        driver.execute_script("window.scrollTo(0, 0);")
        layout.screenshot(driver, artifacts / f"{name}-{scheme}.png")
    layout.set_dark(driver, False)
    return problems


def _posters_loaded(driver: webdriver.Chrome) -> int:
    return driver.execute_script(
        "return [...document.querySelectorAll('.taggarr-poster-grid img')]"
        ".filter((img) => img.complete && img.naturalWidth > 0).length;"
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_the_media_list_as_a_table_and_as_posters(
    browser: webdriver.Chrome, live_server, library: Instance, artifacts: Path, size: str
) -> None:
    layout.set_size(browser, *SIZES[size])
    base = live_server.url
    _log_in(browser, base)
    browser.get(f"{base}/admin/scanner/media/")
    problems = _look(browser, f"media-table-{size}", artifacts)
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == COUNT
    if size == "phone":
        drawer = browser.find_element(By.CSS_SELECTOR, ".taggarr-filter-drawer")
        assert drawer.is_displayed() and drawer.location["y"] < rows[0].location["y"]
        assert not browser.find_element(By.ID, "changelist-filter").is_displayed()
        assert _height(browser) <= PHONE_MAX_HEIGHT, f"table: {_height(browser)} px"

    browser.find_element(By.CSS_SELECTOR, "[data-media-view=grid]").click()
    grid = browser.find_element(By.CSS_SELECTOR, ".taggarr-poster-grid")
    assert grid.is_displayed()
    assert not browser.find_element(By.ID, "result_list").is_displayed()
    # The first row of posters is in sight: the browser loads them from Taggarr.
    WebDriverWait(browser, 30).until(lambda driver: _posters_loaded(driver) >= 3)
    sources = [img.get_attribute("src") for img in grid.find_elements(By.TAG_NAME, "img")]
    assert len(sources) == COUNT - len(WITHOUT_POSTER)
    assert all(src.startswith(f"{base}/admin/artwork/") for src in sources)
    assert len(grid.find_elements(By.CSS_SELECTOR, ".taggarr-art-none")) == len(WITHOUT_POSTER)
    assert len(grid.find_elements(By.CSS_SELECTOR, ".taggarr-poster-badge .tag-badge")) == COUNT
    assert len(grid.find_elements(By.CSS_SELECTOR, ".taggarr-chip")) == 2 * COUNT  # de and fr
    # Every box is its final size before its image comes: 2:3, whatever was loaded.
    boxes = browser.execute_script(
        "return [...document.querySelectorAll('.taggarr-poster-grid .taggarr-art')]"
        ".map((b) => Math.round(b.getBoundingClientRect().height * 2 / 3 -"
        " b.getBoundingClientRect().width));"
    )
    assert all(abs(delta) <= 1 for delta in boxes), boxes
    if size == "phone":
        assert _height(browser) <= PHONE_MAX_HEIGHT, f"posters: {_height(browser)} px"
    small = browser.execute_script(
        SMALL_TARGETS,
        ".taggarr-view-toggle button, .taggarr-filter-drawer summary, .taggarr-poster-card a, "
        "#changelist-search input",
    )
    assert not small, small
    problems += _look(browser, f"media-posters-{size}", artifacts)

    browser.refresh()  # remembered: drawn as posters by the server, no switch after
    views = browser.find_element(By.CSS_SELECTOR, ".taggarr-media-views")
    assert views.get_attribute("data-view") == "grid"
    WebDriverWait(browser, 30).until(lambda driver: _posters_loaded(driver) >= 3)
    shift = browser.execute_async_script(LAYOUT_SHIFT)
    assert shift <= MAX_LAYOUT_SHIFT, f"posters: layout shift {shift:.3f}"
    pressed = browser.find_element(By.CSS_SELECTOR, "[data-media-view=grid]")
    assert pressed.get_attribute("aria-pressed") == "true"

    browser.find_element(By.CSS_SELECTOR, "[data-media-view=table]").click()
    browser.refresh()
    assert browser.find_element(By.ID, "result_list").is_displayed()
    shift = browser.execute_async_script(LAYOUT_SHIFT)
    assert shift <= MAX_LAYOUT_SHIFT, f"table: layout shift {shift:.3f}"
    console = [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]
    assert not console, console
    assert not problems, "\n".join(problems)
