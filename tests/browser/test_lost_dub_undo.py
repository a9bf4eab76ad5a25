"""Issue 67 in a real browser: a German and a French admin find on the events list the
release a real upgrade had marked failed, tick it, choose *Undo the mark as failed* and
read the outcome, in their language (tests/i18n/english_words.py's rule), while the
fake Sonarr's blocklist (BlocklistController) loses the release."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from fakes.arr import FakeArr
from scanner.models import Event
from tests.browser import layout
from tests.browser.conftest import chromium
from tests.browser.test_walk_through_in_german_and_french import _log_in, _read
from tests.scanner.pipeline.test_lost_dub_actions import BLURAY, _upgrade_loses_german

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "fr"])
def test_undo_a_mark_as_failed_in_german_and_french(
    language: str, sonarr: FakeArr, live_server, artifacts: Path
) -> None:
    _upgrade_loses_german(sonarr, "mark_failed")
    marked = Event.objects.get(kind=Event.Kind.LOST_DUB_ACTION)
    with chromium(language) as driver:
        base = live_server.url
        _log_in(driver, base)
        driver.get(f"{base}/admin/scanner/event/?kind=lost_dub_action")
        WebDriverWait(driver, 120).until(EC.presence_of_element_located((By.ID, "result_list")))
        assert _read(driver, language) == []
        layout.screenshot(driver, artifacts / f"lost-dub-undo-{language}-list.png")
        box = f"#result_list input[name=_selected_action][value='{marked.pk}']"
        driver.find_element(By.CSS_SELECTOR, box).click()
        Select(driver.find_element(By.NAME, "action")).select_by_value("undo_mark_failed")
        driver.find_element(By.CSS_SELECTOR, "button[name=index], .actions button").click()
        message = WebDriverWait(driver, 120).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist li"))
        )
        assert "1" in message.text
        assert _read(driver, language) == []
        layout.screenshot(driver, artifacts / f"lost-dub-undo-{language}-undone.png")
    assert sonarr.state.history.blocked() == []
    marked.refresh_from_db()
    assert marked.data["undo"]["outcome"] == "undone"
    assert marked.data["undo"]["removed"] == 1
    assert [
        row["sourceTitle"] for row in sonarr.state.history.rows() if row["eventType"] == "grabbed"
    ].count(BLURAY) == 1
