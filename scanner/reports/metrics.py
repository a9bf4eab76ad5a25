"""What ``/metrics`` reports about instances, media and scans, read from the database on
every scrape: workers may run on other machines, so no process counts anything itself.

A fixed number of aggregate queries (SCRAPE_QUERIES), whatever the size of the library
or the history. Counts of stored rows are gauges, not counters: history older than
TAGGARR_HISTORY_DAYS is deleted, so they may go down. For the same reason the durations of
recent scans are gauges over a sliding window, not a histogram: a Prometheus histogram's
buckets are counters that only reset, never slide.

The *arr instance is the label ``arr_instance``, never ``instance``: Prometheus gives
every scraped series the target's ``instance`` (and ``job``) and, with the default
``honor_labels: false``, renames a clashing exposed label to ``exported_instance``
(prometheus/prometheus scrape/scrape.go, mutateSampleLabels).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from scanner.models import Instance, Media, MediaFile, ScanRun

SCRAPE_QUERIES = 6  # one per collector below
RECENT = timedelta(hours=24)
INSTANCE = "arr_instance"  # the Sonarr/Radarr instance's name (see above)
# The last finished scan's figures: metric name (after taggarr_last_scan_), ScanRun field,
# help. Gauges, so no name ends in _total (that suffix is for counters).
LAST_SCAN_FIGURES = (
    ("items", "items_total", "Items in the scope of the instance's last finished scan."),
    ("items_failed", "items_failed", "Items the last finished scan could not judge."),
    ("files_probed", "files_probed", "Files the last finished scan read (MediaInfo)."),
    ("file_errors", "file_errors", "Files the last finished scan could not read."),
    ("tags_changed", "tags_changed", "Tags the last finished scan wrote."),
)


def collect() -> Iterator[Metric]:
    yield from _instances()
    yield from _scan_runs()
    yield from _media()
    yield from _files()
    yield from _last_scans()
    yield from _recent_scans()


def _gauge(name: str, doc: str, *labels: str) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"taggarr_{name}", doc, labels=list(labels))


def _instances() -> Iterator[Metric]:
    enabled = _gauge(
        "instance_enabled", "1 for an enabled instance, 0 for a disabled one.", INSTANCE, "kind"
    )
    for name, kind, on in Instance.objects.values_list("name", "kind", "enabled"):
        enabled.add_metric([name, kind], 1 if on else 0)
    yield enabled


def _scan_runs() -> Iterator[Metric]:
    runs = _gauge(
        "scan_runs",
        "Scan runs in the history (TAGGARR_HISTORY_DAYS), by status; queued, running and "
        "applying ones are active now.",
        INSTANCE,
        "status",
    )
    rows = ScanRun.objects.values_list("instance__name", "status").annotate(n=Count("id"))
    for name, status, count in rows.order_by():
        runs.add_metric([name, status], count)
    yield runs


def _media() -> Iterator[Metric]:
    items = _gauge("media_items", "Shows and movies by the tag applied to them.", INSTANCE, "tag")
    pending = _gauge(
        "media_pending_changes", "Items whose planned tag is not applied yet.", INSTANCE
    )
    errors = _gauge("media_with_errors", "Items with an error or an unreadable file.", INSTANCE)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = Media.objects.values_list("instance__name", "applied_tag").annotate(
        n=Count("id"),
        pending=Count("id", filter=Media.PENDING_CHANGE),
        errors=Count("id", filter=Media.HAS_ERRORS),
    )
    for name, tag, count, pending_count, error_count in rows.order_by():
        items.add_metric([name, tag], count)
        sums[name][0] += pending_count
        sums[name][1] += error_count
    for name, (pending_count, error_count) in sorted(sums.items()):
        pending.add_metric([name], pending_count)
        errors.add_metric([name], error_count)
    yield from (items, pending, errors)


def _files() -> Iterator[Metric]:
    files = _gauge(
        "media_files",
        "Video files by their judgement (all, some, none, wrong, error; unjudged: never read).",
        INSTANCE,
        "result",
    )
    rows = MediaFile.objects.values_list("media__instance__name", "result").annotate(n=Count("id"))
    for name, result, count in rows.order_by():
        files.add_metric([name, result or "unjudged"], count)
    yield files


def _last_scans() -> Iterator[Metric]:
    """Each instance's latest finished run, in one query (a correlated subquery)."""
    latest = ScanRun.objects.filter(instance=OuterRef("instance"), finished_at__isnull=False)
    runs = ScanRun.objects.filter(
        pk=Subquery(latest.order_by("-finished_at", "-id").values("pk")[:1])
    ).select_related("instance")
    success = _gauge(
        "last_scan_success",
        "1 when the last finished scan succeeded, else 0.",
        INSTANCE,
        "status",
    )
    finished = _gauge(
        "last_scan_finished_timestamp_seconds",
        "When the last finished scan ended (Unix time).",
        INSTANCE,
    )
    duration = _gauge(
        "last_scan_duration_seconds", "How long the last finished scan took.", INSTANCE
    )
    figures = {
        field: _gauge(f"last_scan_{name}", doc, INSTANCE) for name, field, doc in LAST_SCAN_FIGURES
    }
    for run in runs.order_by("instance__name"):
        name = run.instance.name
        success.add_metric([name, run.status], 1 if run.status == ScanRun.Status.SUCCEEDED else 0)
        if run.finished_at is not None:  # always (filtered above); for the type checker
            finished.add_metric([name], run.finished_at.timestamp())
        duration.add_metric([name], run.duration() or 0.0)
        for field, gauge in figures.items():
            gauge.add_metric([name], getattr(run, field))
    yield from (success, finished, duration, *figures.values())


def _recent_scans(now: datetime | None = None) -> Iterator[Metric]:
    """How many scans finished in the last 24 hours, and how long they took (median and
    longest): gauges, since old scans leave the window."""
    since = (now or timezone.now()) - RECENT
    rows = ScanRun.objects.filter(finished_at__gte=since).values_list(
        "instance__name", "created_at", "started_at", "finished_at"
    )
    durations: dict[str, list[float]] = defaultdict(list)
    for name, created, started, finished in rows.order_by():
        if finished is not None:  # always, by the filter
            durations[name].append((finished - (started or created)).total_seconds())
    scans = _gauge("recent_scans", "Scans that finished in the last 24 hours.", INSTANCE)
    typical = _gauge(
        "recent_scan_duration_median_seconds",
        "Median duration of the scans that finished in the last 24 hours.",
        INSTANCE,
    )
    longest = _gauge(
        "recent_scan_duration_max_seconds",
        "Longest duration of the scans that finished in the last 24 hours.",
        INSTANCE,
    )
    for name, values in sorted(durations.items()):
        scans.add_metric([name], len(values))
        typical.add_metric([name], median(values))
        longest.add_metric([name], max(values))
    yield from (scans, typical, longest)
