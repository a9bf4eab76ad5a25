"""/api/events/ (history with filters) and /api/stats/ (tags per instance, scan history)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from scanner.models import Event, Media, ScanRun
from tests.factories import EventFactory, InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


def test_event_filters(api: APIClient) -> None:
    tv, films = InstanceFactory(), InstanceFactory()
    media = MediaFactory(instance=tv, title="Akira")
    changed = EventFactory(instance=tv, media=media, message="Akira: changed")
    finished = EventFactory(instance=tv, kind=Event.Kind.SCAN_FINISHED, message="scan done")
    other = EventFactory(instance=films, kind=Event.Kind.WEBHOOK, message="webhook")
    Event.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=3))

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/events/?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids(f"instance={tv.pk}") == [finished.pk, changed.pk]
    assert ids(f"media={media.pk}") == [changed.pk]
    assert ids("kind=webhook&kind=scan_finished") == [finished.pk, other.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(f"since={since.replace('+', '%2B')}") == [finished.pk, changed.pk]
    assert ids(f"until={since.replace('+', '%2B')}") == [other.pk]
    assert ids("search=akira") == [changed.pk]
    row = api.get(f"/api/events/?media={media.pk}").json()["results"][0]
    assert (row["instance_name"], row["media_title"]) == (tv.name, "Akira")
    assert api.get("/api/events/?since=yesterday").status_code == 400


def test_stats(api: APIClient) -> None:
    tv, films = InstanceFactory(name="tv"), InstanceFactory(name="films", kind="radarr")
    for applied, planned in [("dub", "dub"), ("none", "semi-dub"), ("none", ""), ("dub", "dub")]:
        MediaFactory(instance=tv, applied_tag=applied, planned_tag=planned)
    MediaFactory(
        instance=films,
        kind=Media.Kind.MOVIE,
        applied_tag="wrong-dub",
        planned_tag="wrong-dub",
        error="broken",
    )
    now = timezone.now()
    ScanRunFactory(
        instance=tv,
        status=ScanRun.Status.SUCCEEDED,
        started_at=now - timedelta(seconds=90),
        finished_at=now - timedelta(seconds=30),
        items_total=4,
        tags_changed=2,
        summary={"planned_changes": 2},
    )
    ScanRunFactory(instance=tv, status=ScanRun.Status.RUNNING)  # not finished: not in history
    body = api.get("/api/stats/").json()
    by_name = {row["name"]: row for row in body["tags"]}
    assert by_name["tv"]["applied"] == {"dub": 2, "semi-dub": 0, "wrong-dub": 0, "none": 2}
    assert by_name["tv"]["planned"] == {
        "dub": 2,
        "semi-dub": 1,
        "wrong-dub": 0,
        "none": 0,
        "undecided": 1,
    }
    assert by_name["tv"]["pending_changes"] == 1
    assert by_name["films"]["with_errors"] == 1
    assert body["totals"]["applied"]["dub"] == 2 and body["totals"]["media"] == 5
    assert body["totals"]["pending_changes"] == 1
    [scan] = body["scans"]
    assert (scan["duration_seconds"], scan["items"], scan["tags_changed"]) == (60.0, 4, 2)
    assert scan["planned_changes"] == 2


@pytest.mark.parametrize("query", ["days=0", "days=abc", "limit=501"])
def test_stats_parameters_are_checked(api: APIClient, query: str) -> None:
    response = api.get(f"/api/stats/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_stats_queries_do_not_grow(api: APIClient, django_assert_num_queries) -> None:
    for _ in range(3):
        instance = InstanceFactory()
        MediaFactory.create_batch(3, instance=instance)
        ScanRunFactory(instance=instance, status="succeeded", finished_at=timezone.now())
    # session, user, the items grouped once (stats.library_counts), those with errors
    # (their partial index), the instances, scan history
    with django_assert_num_queries(6):
        api.get("/api/stats/")


@pytest.mark.parametrize(
    "query",
    [
        "since=9999-12-31T23:59:59-12:00",
        "until=0001-01-01T00:00:00%2B14:00",
        "instance=99999999999999999999",
        "media=0",
    ],
)
def test_out_of_range_filters_are_400(api: APIClient, query: str) -> None:
    response = api.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()
