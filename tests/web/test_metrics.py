"""``/metrics``: off without a token, 401 with a wrong one, and with the right one the
numbers of the database and the broker, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from kombu import Connection
from prometheus_client.parser import text_string_to_metric_families

from scanner.reports.metrics import SCRAPE_QUERIES
from taggarr.celery import app as celery_app
from taggarr.embedded_broker import SCHEME as EMBEDDED_BROKER
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, ScanRunFactory
from tests.helpers import METRICS_TOKEN
from web.metrics import queue_length

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(settings) -> str:
    settings.METRICS_TOKEN = METRICS_TOKEN
    return METRICS_TOKEN


def _scrape(client: Client, token: str = METRICS_TOKEN) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    assert token.encode() not in response.content
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_off_without_a_token_is_404(client: Client, settings) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong-token-0123456789",
        f"Token {METRICS_TOKEN}",
        f"Basic {METRICS_TOKEN}",
        f"Bearer {METRICS_TOKEN}x",
        f"Bearer {METRICS_TOKEN[:-1]}",
        "Bearer ключ",
    ],
)
def test_a_missing_or_wrong_token_is_401(client: Client, token: str, header: str | None) -> None:
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="taggarr metrics"'
    assert b"taggarr_" not in response.content


def test_only_get(client: Client, token: str) -> None:
    response = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405


def test_the_numbers(client: Client, token: str) -> None:
    now = timezone.now()
    tv = InstanceFactory(name="tv")
    InstanceFactory(name="off", enabled=False)
    MediaFactory.create_batch(2, instance=tv, applied_tag="dub", planned_tag="dub")
    show = MediaFactory(instance=tv, applied_tag="none", planned_tag="wrong-dub", error="boom")
    MediaFileFactory.create_batch(3, media=show, result="all")
    MediaFileFactory(media=show, result="error")
    MediaFileFactory(media=show, result="")
    three_hours_ago = now - timedelta(hours=3)
    ScanRunFactory(
        instance=tv, status="failed", started_at=three_hours_ago - timedelta(seconds=100),
        finished_at=three_hours_ago,
    )  # fmt: skip
    last = ScanRunFactory(
        instance=tv, status="partial", started_at=now - timedelta(seconds=45),
        finished_at=now - timedelta(seconds=5), files_probed=7, file_errors=1,
        items_total=3, items_failed=1, tags_changed=2,
    )  # fmt: skip
    old = ScanRunFactory(instance=tv, status="succeeded")
    old.started_at = now - timedelta(days=3, seconds=20)
    old.finished_at = now - timedelta(days=3)
    old.save()
    ScanRunFactory(instance=tv, status="running")

    samples = _scrape(client)
    tv_ = ("instance", "tv")
    assert samples[("taggarr_instance_enabled", (tv_, ("kind", "sonarr")))] == 1
    assert samples[("taggarr_instance_enabled", (("instance", "off"), ("kind", "sonarr")))] == 0
    for status, count in (("failed", 1), ("partial", 1), ("succeeded", 1), ("running", 1)):
        assert samples[("taggarr_scan_runs", (tv_, ("status", status)))] == count
    assert samples[("taggarr_media_items", (tv_, ("tag", "dub")))] == 2
    assert samples[("taggarr_media_items", (tv_, ("tag", "none")))] == 1
    assert samples[("taggarr_media_pending_changes", (tv_,))] == 1
    assert samples[("taggarr_media_with_errors", (tv_,))] == 1
    assert samples[("taggarr_media_files", (("instance", "tv"), ("result", "all")))] == 3
    assert samples[("taggarr_media_files", (("instance", "tv"), ("result", "error")))] == 1
    assert samples[("taggarr_media_files", (("instance", "tv"), ("result", "unjudged")))] == 1
    assert samples[("taggarr_last_scan_success", (tv_, ("status", "partial")))] == 0
    assert samples[("taggarr_last_scan_duration_seconds", (tv_,))] == 40
    assert samples[("taggarr_last_scan_finished_timestamp_seconds", (tv_,))] == pytest.approx(
        last.finished_at.timestamp()
    )
    assert samples[("taggarr_last_scan_files_probed", (tv_,))] == 7
    assert samples[("taggarr_last_scan_file_errors", (tv_,))] == 1
    assert samples[("taggarr_last_scan_items_failed", (tv_,))] == 1
    assert samples[("taggarr_last_scan_tags_changed", (tv_,))] == 2
    # The last 24 hours: the partial run (40 s) and the failed one; the old one is not in.
    bucket = "taggarr_scan_duration_seconds_bucket"
    assert samples[(bucket, (tv_, ("le", "30.0")))] == 0
    assert samples[(bucket, (tv_, ("le", "60.0")))] == 1
    assert samples[(bucket, (tv_, ("le", "300.0")))] == 2
    assert samples[(bucket, (tv_, ("le", "+Inf")))] == 2
    assert samples[("taggarr_scan_duration_seconds_gcount", (tv_,))] == 2
    assert (
        "taggarr_last_scan_success",
        (("instance", "off"), ("status", "partial")),
    ) not in samples


def test_a_fixed_number_of_queries_whatever_the_size(
    client: Client, token: str, django_assert_num_queries
) -> None:
    with django_assert_num_queries(SCRAPE_QUERIES):
        _scrape(client)
    now = timezone.now()
    for n in range(4):
        instance = InstanceFactory()
        for media in MediaFactory.create_batch(3, instance=instance, applied_tag="dub"):
            MediaFileFactory.create_batch(2, media=media, result="all")
        for _ in range(3):
            ScanRunFactory(instance=instance, status="succeeded", started_at=now, finished_at=now)
        ScanRunFactory(instance=instance, status="queued" if n else "running")
    with django_assert_num_queries(SCRAPE_QUERIES):
        samples = _scrape(client)
    assert sum(v for (name, _), v in samples.items() if name == "taggarr_media_items") == 12


def test_the_queue_length_of_the_broker_in_use(client: Client, token: str) -> None:
    """Redis (LLEN) when REDIS_URL is set, as in CI; else the embedded broker's files."""
    queue = celery_app.conf.task_default_queue
    assert celery_app.conf.broker_url.startswith(
        "redis" if django_settings.REDIS_URL else EMBEDDED_BROKER
    )
    before = queue_length(queue)
    assert before is not None
    try:
        for _ in range(3):
            celery_app.send_task("scanner.tasks.start_due_scans")
        assert queue_length(queue) == before + 3
        samples = _scrape(client)
        assert samples[("taggarr_queue_messages", (("queue", queue),))] == before + 3
        assert samples[("taggarr_broker_up", ())] == 1
    finally:
        celery_app.control.purge()


def test_the_embedded_broker_queue_length_counts_its_message_files(
    settings, tmp_path: Path
) -> None:
    settings.REDIS_URL = None
    settings.BROKER_DIR = tmp_path
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(tmp_path / "control"),  # else ./control in the checkout
    }
    # The transport's own put and get (exchange routing aside: its bindings live in a
    # process-wide state that the Celery app of other tests shares).
    with Connection(f"{EMBEDDED_BROKER}://", transport_options=options) as connection:
        channel = connection.default_channel
        for n in range(4):
            channel._put("celery", {"body": n})
        channel._put("other", {"body": 0})
        assert queue_length("celery") == 4
        channel._get("celery")
        assert queue_length("celery") == 3


def test_an_unreachable_broker_is_reported_not_a_500(client: Client, token: str, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    samples = _scrape(client)
    assert samples[("taggarr_broker_up", ())] == 0
    assert not [key for key in samples if key[0] == "taggarr_queue_messages"]
    settings.REDIS_URL = None
    settings.BROKER_DIR = Path("/nonexistent/broker")
    samples = _scrape(client)
    assert samples[("taggarr_broker_up", ())] == 0
