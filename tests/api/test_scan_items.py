"""/api/scans/{id}/items/ and /item-counts/: each item of a run in the state Taggarr's
own rows give it (scanner.reports.item_states), in the reader's language too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from scanner.models import ScanItem, ScanRun
from scanner.pipeline.state import runs
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

Status = ScanItem.Status


def _run_with_one_item_in_each_state() -> tuple[ScanRun, dict[str, int]]:
    instance = InstanceFactory()
    run = ScanRunFactory(instance=instance, status=ScanRun.Status.RUNNING, items_done=1)
    now = timezone.now()
    rows = {
        "scanned": {"status": Status.DONE},
        "failed": {"status": Status.FAILED, "error": "folder not found: /tv/Gone"},
        "waiting_for_retry": {
            "retry_at": now + timedelta(seconds=30),
            "retries": 2,
            "error": "Sonarr answered 503",
        },
        "held": {"leased_until": now + timedelta(seconds=60), "lease_token": 7, "attempts": 1},
        "not_claimed": {},
        # A lease that ran out (its worker died): free again, its task sent anew.
        "lapsed": {"leased_until": now - timedelta(seconds=1), "lease_token": 8, "attempts": 1},
    }
    ids = {
        state: ScanItem.objects.create(
            run=run, media=MediaFactory(instance=instance, title=state), **values
        ).pk
        for state, values in rows.items()
    }
    return run, ids


def test_each_item_is_shown_in_its_state_failed_first(api: APIClient) -> None:
    run, ids = _run_with_one_item_in_each_state()
    body = api.get(f"/api/scans/{run.pk}/items/").json()
    shown = {row["title"]: row for row in body["results"]}
    assert {title: row["state"] for title, row in shown.items()} == {
        "scanned": "scanned",
        "failed": "failed",
        "waiting_for_retry": "waiting_for_retry",
        "held": "held",
        "not_claimed": "not_claimed",
        "lapsed": "not_claimed",
    }
    assert body["results"][0]["title"] == "failed"
    assert body["results"][-1]["title"] == "scanned"
    assert shown["failed"]["error"] == "folder not found: /tv/Gone"
    waiting = shown["waiting_for_retry"]
    assert (waiting["retries"], waiting["error"]) == (2, "Sonarr answered 503")
    assert waiting["retry_at"] is not None and waiting["leased_until"] is None
    assert shown["held"]["leased_until"] is not None
    assert shown["held"]["state_text"] == "held by a worker"
    assert shown["not_claimed"]["item"] == ids["not_claimed"]


@pytest.mark.parametrize(
    ("state", "titles"),
    [
        ("failed", ["failed"]),
        ("held", ["held"]),
        ("waiting_for_retry", ["waiting_for_retry"]),
        ("not_claimed", ["lapsed", "not_claimed"]),
        ("scanned", ["scanned"]),
    ],
)
def test_items_filtered_by_state(api: APIClient, state: str, titles: list[str]) -> None:
    run, _ = _run_with_one_item_in_each_state()
    body = api.get(f"/api/scans/{run.pk}/items/", {"state": state}).json()
    assert sorted(row["title"] for row in body["results"]) == titles


def test_an_unknown_state_is_a_400_naming_the_states(api: APIClient) -> None:
    run, _ = _run_with_one_item_in_each_state()
    response = api.get(f"/api/scans/{run.pk}/items/", {"state": "lost"})
    assert response.status_code == 400
    assert "waiting_for_retry" in response.json()["state"][0]


def test_counts_per_state(api: APIClient) -> None:
    run, _ = _run_with_one_item_in_each_state()
    assert api.get(f"/api/scans/{run.pk}/item-counts/").json() == {
        "scanned": 1,
        "failed": 1,
        "waiting_for_retry": 1,
        "held": 1,
        "not_claimed": 2,
        "not_scanned": 0,
    }


def test_an_ended_run_counts_its_scanned_items_and_shows_what_it_never_scanned(
    api: APIClient,
) -> None:
    """A scanned item's row is removed when its run's tags are written: the run's
    counter says how many; an item left pending by a cancelled run was never scanned."""
    run, _ = _run_with_one_item_in_each_state()
    ScanItem.objects.filter(run=run, status=Status.DONE).delete()
    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.CANCELLED, items_done=5)
    counts = api.get(f"/api/scans/{run.pk}/item-counts/").json()
    assert (counts["scanned"], counts["failed"], counts["not_scanned"]) == (5, 1, 4)
    body = api.get(f"/api/scans/{run.pk}/items/", {"state": "not_scanned"}).json()
    assert len(body["results"]) == 4


def test_the_state_is_told_in_the_readers_language(api: APIClient) -> None:
    run, _ = _run_with_one_item_in_each_state()
    body = api.get(
        f"/api/scans/{run.pk}/items/", {"state": "held"}, HTTP_ACCEPT_LANGUAGE="de"
    ).json()
    (row,) = body["results"]
    assert row["state"] == "held"
    assert row["state_text"] != "held by a worker"


def test_an_item_waiting_for_its_retry_says_why_from_the_runs_latest_retry(
    api: APIClient,
) -> None:
    """An item keeps no error while it waits; the run's heartbeat wrote why and until
    when it waits (runs.waiting_to_retry): that is the item whose retry is due then."""
    instance = InstanceFactory()
    run = ScanRunFactory(instance=instance, status=ScanRun.Status.RUNNING)
    due = timezone.now() + timedelta(seconds=30)
    for title, retry_at in (("latest", due), ("earlier", due - timedelta(seconds=5))):
        ScanItem.objects.create(
            run=run, media=MediaFactory(instance=instance, title=title), retry_at=retry_at
        )
    runs.waiting_to_retry(run.pk, "Sonarr answered 503 Service Unavailable", due)
    body = api.get(f"/api/scans/{run.pk}/items/", {"state": "waiting_for_retry"}).json()
    why = {row["title"]: row["error"] for row in body["results"]}
    assert why == {"latest": "Sonarr answered 503 Service Unavailable", "earlier": ""}
