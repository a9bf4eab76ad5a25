"""``/metrics``: off without a token, 401 with a wrong one, and with the right one the
numbers of the database and the broker, in a fixed number of queries, as Prometheus wants
them (tests/web/prometheus_rules.py) and as the docs document them (docs/metrics.md)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from kombu import Connection
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from scanner.models import ScanRun
from scanner.reports.metrics import SCRAPE_QUERIES
from taggarr.celery import app as celery_app
from taggarr.embedded_broker import SCHEME as EMBEDDED_BROKER
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory, ScanRunFactory
from tests.helpers import CHECKOUT, METRICS_TOKEN
from tests.web import prometheus_rules
from web.metrics import queue_length

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(settings) -> str:
    settings.METRICS_TOKEN = METRICS_TOKEN
    return METRICS_TOKEN


def _families(client: Client, token: str = METRICS_TOKEN) -> list[Metric]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    assert token.encode() not in response.content
    return list(text_string_to_metric_families(response.content.decode()))


def _scrape(client: Client, token: str = METRICS_TOKEN) -> dict[tuple[str, tuple], float]:
    samples = {}
    for family in _families(client, token):
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


@pytest.fixture
def library() -> dict[str, ScanRun]:
    """Two instances with items, files and runs of every kind: every metric has a value."""
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
    ScanRunFactory(
        instance=tv, status="succeeded", started_at=now - timedelta(hours=5, seconds=10),
        finished_at=now - timedelta(hours=5),
    )  # fmt: skip
    old = ScanRunFactory(instance=tv, status="succeeded")
    old.started_at = now - timedelta(days=3, seconds=20)
    old.finished_at = now - timedelta(days=3)
    old.save()
    ScanRunFactory(instance=tv, status="running")
    return {"last": last}


def test_the_numbers(client: Client, token: str, library: dict[str, ScanRun]) -> None:
    last = library["last"]
    samples = _scrape(client)
    tv_ = ("arr_instance", "tv")
    assert samples[("taggarr_instance_enabled", (tv_, ("kind", "sonarr")))] == 1
    assert samples[("taggarr_instance_enabled", (("arr_instance", "off"), ("kind", "sonarr")))] == 0
    for status, count in (("failed", 1), ("partial", 1), ("succeeded", 2), ("running", 1)):
        assert samples[("taggarr_scan_runs", (tv_, ("status", status)))] == count
    assert samples[("taggarr_media_items", (tv_, ("tag", "dub")))] == 2
    assert samples[("taggarr_media_items", (tv_, ("tag", "none")))] == 1
    assert samples[("taggarr_media_pending_changes", (tv_,))] == 1
    assert samples[("taggarr_media_with_errors", (tv_,))] == 1
    assert samples[("taggarr_media_files", (tv_, ("result", "all")))] == 3
    assert samples[("taggarr_media_files", (tv_, ("result", "error")))] == 1
    assert samples[("taggarr_media_files", (tv_, ("result", "unjudged")))] == 1
    assert samples[("taggarr_last_scan_success", (tv_, ("status", "partial")))] == 0
    assert samples[("taggarr_last_scan_duration_seconds", (tv_,))] == 40
    assert samples[("taggarr_last_scan_finished_timestamp_seconds", (tv_,))] == pytest.approx(
        last.finished_at.timestamp()
    )
    assert samples[("taggarr_last_scan_files_probed", (tv_,))] == 7
    assert samples[("taggarr_last_scan_file_errors", (tv_,))] == 1
    assert samples[("taggarr_last_scan_items", (tv_,))] == 3
    assert samples[("taggarr_last_scan_items_failed", (tv_,))] == 1
    assert samples[("taggarr_last_scan_tags_changed", (tv_,))] == 2
    # The last 24 hours: the partial run (40 s), the failed one (100 s) and the succeeded
    # one (10 s); the one of three days ago is not in.
    assert samples[("taggarr_recent_scans", (tv_,))] == 3
    assert samples[("taggarr_recent_scan_duration_median_seconds", (tv_,))] == 40
    assert samples[("taggarr_recent_scan_duration_max_seconds", (tv_,))] == 100
    assert (
        "taggarr_last_scan_success",
        (("arr_instance", "off"), ("status", "partial")),
    ) not in samples


def test_prometheus_takes_every_metric_as_it_is(
    client: Client, token: str, library: dict[str, ScanRun]
) -> None:
    """promtool check metrics' rules (promlint), no label that the scrape overwrites with
    the target's, and histograms that Prometheus can read: the sources are cited in
    tests/web/prometheus_rules.py. Every family has samples here, so every label is seen."""
    families = _families(client)
    assert [f.name for f in families if not f.samples] == []
    assert {
        f.name: prometheus_rules.problems(f) for f in families if prometheus_rules.problems(f)
    } == {}


def _docs_metrics_section() -> str:
    """The docs' page on the metrics (once the README's section "Metrics (Prometheus)")."""
    return (CHECKOUT / "docs" / "metrics.md").read_text()


def test_the_docs_document_the_metrics_and_its_rules_use_them(
    client: Client, token: str, library: dict[str, ScanRun]
) -> None:
    """The docs' table names exactly the metrics /metrics gives, and its alerting rules
    query only those metrics, by labels they have or the target's (job, instance: added by
    Prometheus, prometheus/prometheus scrape/target.go PopulateLabels)."""
    families = _families(client)
    names = {family.name for family in families}
    labels = {label for f in families for sample in f.samples for label in sample.labels}
    labels |= prometheus_rules.TARGET_LABELS
    section = _docs_metrics_section()
    rows = [line for line in section.splitlines() if line.startswith("| `taggarr_")]
    assert set(re.findall(r"`(taggarr_\w+)`", "\n".join(rows))) == names
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    rules = [
        rule for block in blocks for group in block.get("groups", ()) for rule in group["rules"]
    ]
    assert len(rules) >= 3
    for rule in rules:
        text = " ".join([rule["expr"], *rule.get("annotations", {}).values()])
        assert set(re.findall(r"\btaggarr_\w+", text)) <= names, rule["alert"]
        used = re.findall(r"\$labels\.(\w+)", text)
        for grouping in re.findall(r"\b(?:on|by|without|ignoring)\s*\(([^)]*)\)", text):
            used += [label.strip() for label in grouping.split(",")]
        assert set(used) <= labels, rule["alert"]


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
        # Both lanes have their line: the items' too.
        assert ("taggarr_queue_messages", (("queue", "items"),)) in samples
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
