"""Pages that follow what changes, without a reload: the instance list's last scan and
health, the dashboard while a scan runs (taggarr/live.js), and a log's live tail."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from scanner.models import ScanRun
from tests.browser.sign_in import log_in
from tests.factories import InstanceFactory, ScanRunFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "live-test-password-42"


def _log_in(driver: webdriver.Chrome, base: str) -> None:
    log_in(driver, base, "live-admin", PASSWORD)


def test_the_instance_list_and_the_dashboard_follow_a_scan(
    browser: webdriver.Chrome, live_server
) -> None:
    instance = InstanceFactory(name="tv")
    run = ScanRunFactory(instance=instance, status=ScanRun.Status.RUNNING)
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}/admin/scanner/instance/")
    cell = f'[data-live-key="last-scan-{instance.pk}"]'
    assert "running" in browser.find_element(By.CSS_SELECTOR, cell).text
    ScanRun.objects.filter(pk=run.pk).update(
        status=ScanRun.Status.SUCCEEDED, finished_at=timezone.now()
    )
    WebDriverWait(browser, 120).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, cell), "succeeded")
    )
    second = ScanRunFactory(instance=instance, status=ScanRun.Status.RUNNING)
    browser.get(f"{live_server.url}/admin/dashboard/")
    assert browser.find_elements(By.ID, "scanning-now")
    ScanRun.objects.filter(pk=second.pk).update(
        status=ScanRun.Status.FAILED, finished_at=timezone.now()
    )
    WebDriverWait(browser, 120).until(EC.invisibility_of_element_located((By.ID, "scanning-now")))
    assert "failed" in browser.find_element(By.ID, "health").text


def test_a_log_is_followed_live(
    browser: webdriver.Chrome, live_server, settings, tmp_path: Path
) -> None:
    settings.LOG_DIR = tmp_path
    log = tmp_path / "taggarr-worker.log"
    log.write_text("2026-11-25 07:00:00 INFO    worker: first\n")
    _log_in(browser, live_server.url)
    browser.get(f"{live_server.url}/admin/logs/view/taggarr-worker.log")
    browser.find_element(By.ID, "log-follow").click()
    with log.open("a") as handle:
        handle.write("2026-11-25 07:00:05 ERROR   worker: second\n")
    WebDriverWait(browser, 120).until(
        EC.text_to_be_present_in_element((By.ID, "log-lines-shown"), "worker: second")
    )
    shown = browser.find_element(By.CSS_SELECTOR, "#log-lines-shown .lvl-ERROR")
    assert shown.text.endswith("worker: second")
