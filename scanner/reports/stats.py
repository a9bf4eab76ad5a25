"""The numbers behind ``/api/stats/`` and the admin dashboard: a fixed, small number
of aggregate queries, whatever the size of the library."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from scanner.engine.verdict import Tag
from scanner.language_names import language_name
from scanner.models import Event, Instance, Media, ScanRun
from scanner.reports.profile_guard_text import kept_test_lines
from scanner.reports.progress import changes_text

TAGS = tuple(tag.value for tag in Tag)  # dub, semi-dub, wrong-dub, none
UNDECIDED = "undecided"  # planned_tag "": never decided (no readable file yet)


class LastRun(TypedDict):
    """What ``with_last_run`` adds to each instance."""

    last_run_id: int | None
    last_run_status: str | None
    last_run_created: datetime | None
    last_run_finished: datetime | None
    last_run_error: str | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    InstanceWithLastRun = WithAnnotations[Instance, LastRun]


def library_counts() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``tag_distribution()`` and ``language_coverage()`` from one pass over the items
    (issue 83): the database groups them by instance, both tags, the whole stored
    verdict and the yes/no of each question (the model's named conditions, what the
    media list's filters ask, so a count and the list it links to agree), of which a
    library has a few hundred combinations at most; Python sums those rows. Two passes
    over 70,000 rows (one of them hashing each item's JSON verdicts) were 640 ms of the
    dashboard's 690 ms in SQL; the one pass reads each row once and joins nothing."""
    flags = {
        f"is_{name}": ExpressionWrapper(q, output_field=BooleanField())
        for name, q in QUESTIONS.items()
        if name != "with_errors"
    }  # "is_": an annotation may not share a field's name (Media.needs_review)
    # The names are made above: the checker cannot know them. COUNT(*), not of a column:
    # every column read is in Media's media_counts_idx, so PostgreSQL answers from that
    # index alone (an index-only scan of ~6 MB instead of 120 MB of scanned rows).
    grouped: Iterable[Mapping[str, Any]] = (
        Media.objects.order_by()
        .annotate(**flags)
        .values("instance_id", "applied_tag", "planned_tag", "language_verdicts", *flags)
        .annotate(items=Count("*"))
    )
    rows = list(grouped)
    # The items with errors per instance, from their partial index (media_errors_idx):
    # the error text is too long for the covering index.
    errors: Iterable[tuple[int, int]] = (
        Media.objects.filter(QUESTIONS["with_errors"])
        .order_by()
        .values("instance_id")
        .annotate(items=Count("*"))
        .values_list("instance_id", "items")
    )
    with_errors = dict(errors)
    instances: list[Mapping[str, Any]] = list(
        Instance.objects.order_by("name").values("id", "name", "kind")
    )
    return _distribution(rows, instances, with_errors), _coverage(rows, instances)


def tag_distribution() -> list[dict[str, Any]]:
    """Per instance: applied and planned tags, pending changes, items with errors; an
    instance without items has its row too (library_counts)."""
    return library_counts()[0]


def _distribution(
    rows: list[Mapping[str, Any]],
    instances: list[Mapping[str, Any]],
    with_errors: Mapping[int, int],
) -> list[dict[str, Any]]:
    blank: dict[str, Any] = {
        "media": 0,
        "applied": dict.fromkeys(TAGS, 0),
        "planned": dict.fromkeys((*TAGS, UNDECIDED), 0),
        **dict.fromkeys(QUESTIONS, 0),
    }
    by_instance: dict[int, dict[str, Any]] = {}
    for row in rows:
        counts = by_instance.setdefault(
            row["instance_id"],
            {**blank, "applied": dict(blank["applied"]), "planned": dict(blank["planned"])},
        )
        items = row["items"]
        counts["media"] += items
        if row["applied_tag"] in counts["applied"]:
            counts["applied"][row["applied_tag"]] += items
        planned = row["planned_tag"] or UNDECIDED
        if planned in counts["planned"]:
            counts["planned"][planned] += items
        for name in QUESTIONS:
            if name != "with_errors":
                counts[name] += items if row[f"is_{name}"] else 0
    return [
        {
            "instance": instance["id"],
            "name": instance["name"],
            "kind": instance["kind"],
            **by_instance.get(instance["id"], blank),
            "with_errors": with_errors.get(instance["id"], 0),
        }
        for instance in instances
    ]


QUESTIONS = {
    "pending_changes": Media.PENDING_CHANGE,
    "with_errors": Media.HAS_ERRORS,
    "doubtful_original": Media.DOUBTFUL_ORIGINAL,
    "needs_review": Media.NEEDS_REVIEW,
}


def scan_history(*, days: int, limit: int) -> list[dict[str, Any]]:
    """The latest ``limit`` finished runs of the last ``days`` days, oldest first."""
    since = timezone.now() - timedelta(days=days)
    runs = list(
        ScanRun.objects.filter(created_at__gte=since, finished_at__isnull=False)
        .select_related("instance")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        {
            "id": run.pk,
            "instance": run.instance_id,
            "instance_name": run.instance.name,
            "status": run.status,
            "trigger": run.trigger,
            "dry_run": run.dry_run,
            "created_at": run.created_at,
            "finished_at": run.finished_at,
            "duration_seconds": _duration(run),
            "items": run.items_total,
            "items_unchanged": run.items_skipped,
            "files_probed": run.files_probed,
            "tags_changed": run.tags_changed,
            "planned_changes": int(run.summary.get("planned_changes", 0) or 0),
            "changes": changes_text(run),
        }
        for run in reversed(runs)
    ]


def _duration(run: ScanRun) -> float | None:
    seconds = run.duration()
    return None if seconds is None else round(seconds, 1)


def with_last_run(instances: QuerySet[Instance]) -> QuerySet[InstanceWithLastRun]:
    """Each instance with its latest run's (any status) id, status, times and error as
    ``last_run_*``: subqueries in the same query."""
    latest = ScanRun.objects.filter(instance=OuterRef("pk")).order_by("-created_at", "-id")
    return instances.annotate(
        last_run_id=Subquery(latest.values("id")[:1]),
        last_run_status=Subquery(latest.values("status")[:1]),
        last_run_created=Subquery(latest.values("created_at")[:1]),
        last_run_finished=Subquery(latest.values("finished_at")[:1]),
        last_run_error=Subquery(latest.values("error")[:1]),
    )


def with_last_connection_test(instances: QuerySet[Instance]) -> QuerySet[Instance]:
    """Each instance with its last recorded connection test's verdict, first line and time
    as ``last_test_ok`` (None: never tested), ``last_test_line``, ``last_test_at``."""
    latest = Event.objects.filter(
        instance=OuterRef("pk"), kind=Event.Kind.CONFIG, data__has_key=CONNECTION_TEST
    ).order_by("-created_at", "-id")
    return instances.annotate(
        last_test_ok=Subquery(
            latest.values(f"data__{CONNECTION_TEST}__ok")[:1], output_field=JSONField()
        ),
        last_test_at=Subquery(latest.values("created_at")[:1]),
        last_test_line=Subquery(
            latest.values(f"data__{CONNECTION_TEST}__lines__0")[:1], output_field=JSONField()
        ),
    )


def instance_health() -> list[dict[str, Any]]:
    """Per instance: its latest run (any status) and its last connection test, from the
    database only (two queries): nothing here asks an *arr."""
    rows = list(with_last_run(Instance.objects.order_by("name")))
    tests = last_connection_tests([row.pk for row in rows])
    return [
        {
            "instance": row,
            "last_run_id": row.last_run_id,
            "last_run_status": row.last_run_status,
            "last_run_at": row.last_run_finished or row.last_run_created,
            "last_run_error": row.last_run_error or "",
            "connection": tests.get(row.pk),
        }
        for row in rows
    ]


CONNECTION_TEST = "connection_test"  # scanner.actions.check_instance records it


def last_connection_tests(instance_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per instance, its last recorded connection test: ok, version, lines and when."""
    latest = (
        Event.objects.filter(
            instance=OuterRef("pk"), kind=Event.Kind.CONFIG, data__has_key=CONNECTION_TEST
        )
        .order_by("-created_at", "-id")
        .values("id")[:1]
    )
    event_ids = (
        Instance.objects.filter(pk__in=instance_ids)
        .annotate(test_id=Subquery(latest))
        .exclude(test_id=None)
        .values_list("test_id", flat=True)
    )
    found: dict[int, dict[str, Any]] = {}
    events = Event.objects.filter(pk__in=list(event_ids)).only("instance", "created_at", "data")
    for event in events:
        if event.instance_id is None:  # never: these are the instances' own events
            continue
        test = event.data.get(CONNECTION_TEST) or {}
        found[event.instance_id] = {
            "ok": bool(test.get("ok")),
            "version": test.get("version"),
            "lines": kept_test_lines(test),
            "at": event.created_at,
        }
    return found


def totals(distribution: list[dict[str, Any]]) -> dict[str, Any]:
    """Applied and planned counts summed over every instance."""
    result: dict[str, Any] = {"applied": {}, "planned": {}}
    for row in distribution:
        for side in ("applied", "planned"):
            for tag, count in row[side].items():
                result[side][tag] = result[side].get(tag, 0) + count
    result["media"] = sum(row["media"] for row in distribution)
    result["pending_changes"] = sum(row["pending_changes"] for row in distribution)
    result["doubtful_original"] = sum(row["doubtful_original"] for row in distribution)
    result["needs_review"] = sum(row["needs_review"] for row in distribution)
    return result


def language_coverage() -> list[dict[str, Any]]:
    """Per instance and target language: how many items have it in every counted file,
    in some, in none (series and movies alike): their stored verdicts
    (Media.language_state), as the media list's language filters read them, summed from
    library_counts' few grouped rows, never 70,000 verdicts decoded in Python (issue 69)."""
    return library_counts()[1]


def _coverage(
    rows: list[Mapping[str, Any]], instances: list[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    counts: dict[tuple[int, str], dict[str, int]] = {}
    names = {instance["id"]: instance["name"] for instance in instances}
    for row in rows:
        for code, state in (row["language_verdicts"] or {}).items():
            if state not in COVERAGE_STATES:
                continue
            bucket = counts.setdefault(
                (row["instance_id"], code), {"full": 0, "partial": 0, "none": 0}
            )
            bucket[COVERAGE_STATES[state]] += row["items"]
    return [
        {
            "instance": instance_id,
            "name": names.get(instance_id, "?"),
            "language": code,
            "language_name": language_name(code),
            **bucket,
        }
        for (instance_id, code), bucket in sorted(
            counts.items(), key=lambda row: (names.get(row[0][0], ""), row[0][1])
        )
    ]


# A stored verdict (Media.LANGUAGE_STATES) as the coverage's buckets name it.
COVERAGE_STATES = {Tag.DUB.value: "full", Tag.SEMI_DUB.value: "partial", Tag.NONE.value: "none"}
