"""/api/scans/: start (through start_scan), list with progress, cancel and resume."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from scanner.models import Event, Instance, ScanItem, ScanRun
from scanner.reports.apply_steps import rate_number
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

Status = ScanRun.Status


def test_start_a_scan(api: APIClient) -> None:
    instance = InstanceFactory(dry_run=False)
    response = api.post(
        "/api/scans/", {"instance": instance.pk, "dry_run": True, "mode": "rewrite"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    run = ScanRun.objects.get(pk=body["id"])
    assert (run.instance, run.trigger, run.dry_run, run.mode) == (instance, "api", True, "rewrite")
    assert body["status"] == "queued" and body["is_active"] is True
    assert body["progress"]["done"] == 0


def test_defaults_come_from_the_instance(api: APIClient) -> None:
    instance = InstanceFactory(dry_run=True)
    body = api.post("/api/scans/", {"instance": instance.pk}, format="json").json()
    assert (body["dry_run"], body["mode"], body["quick_mode"]) == (True, "normal", None)


def test_one_active_scan_per_instance(api: APIClient) -> None:
    instance = InstanceFactory()
    active = ScanRunFactory(instance=instance, status=Status.RUNNING)
    response = api.post("/api/scans/", {"instance": instance.pk}, format="json")
    assert response.status_code == 409
    assert f"scan #{active.pk}" in response.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "instance"), ({"instance": 999999}, "instance"), ({"mode": "fast"}, "mode")],
)
def test_start_validation(api: APIClient, payload: dict, field: str) -> None:
    payload = {"instance": InstanceFactory().pk, **payload} if field == "mode" else payload
    response = api.post("/api/scans/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_disabled_instance_cannot_scan(api: APIClient) -> None:
    instance = InstanceFactory(enabled=False)
    response = api.post("/api/scans/", {"instance": instance.pk}, format="json")
    assert response.status_code == 400
    assert "disabled" in response.json()["instance"][0]


def test_progress_fields(api: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    now = timezone.now()
    # The rates are figures over elapsed time: the clock stands still while the request
    # is answered, however long a loaded machine takes.
    monkeypatch.setattr(timezone, "now", lambda: now)
    run = ScanRunFactory(
        status=Status.RUNNING,
        started_at=now - timedelta(seconds=20),
        planned_at=now - timedelta(seconds=18),
        items_total=10,
        items_done=3,
        items_failed=1,
        files_probed=40,
    )
    body = api.get(f"/api/scans/{run.pk}/").json()
    progress = body["progress"]
    assert (progress["done"], progress["total"], progress["percent"]) == (4, 10, 40.0)
    # Over the reading phase (since planned): 40 files in 18 s, 6 items left at 4.5 s each.
    assert 2.1 < progress["files_per_second"] <= 2.3
    assert 26 < progress["eta_seconds"] <= 28
    assert progress["phase"] == "scanning"
    assert body["status"] == "running"
    view = body["view"]
    assert view["items"] == "scanned up to item 4 of 10, 1 failed"
    assert view["phase"] == "reading files"
    assert view["rate"] == f"{rate_number(progress['files_per_second'])} files/s"
    assert body["summary_lines"] == []


def test_a_finished_run_that_read_nothing_says_so(api: APIClient) -> None:
    now = timezone.now()
    run = ScanRunFactory(
        status=Status.SUCCEEDED,
        started_at=now - timedelta(seconds=3),
        planned_at=now - timedelta(seconds=2),
        finished_at=now,
        items_skipped=18,
        summary={"listed": 18, "planned_changes": 0, "duration_s": 3.0},
    )
    body = api.get(f"/api/scans/{run.pk}/").json()
    assert body["progress"]["files_per_second"] is None
    assert body["view"]["items"] == "18 unchanged, nothing to scan"
    assert body["view"]["rate"] == "no file read"
    assert body["view"]["changes"] == "none needed"
    assert ["Items", "18 listed: 18 unchanged, nothing to scan"] in body["summary_lines"]


def test_the_plans_findings_are_in_the_summary_as_before(api: APIClient) -> None:
    """The audio source and the *arr's tag ids live in fields of their own now; the API
    shows them where it always did, and the page's line reads the field."""
    run = ScanRunFactory(
        status=Status.SUCCEEDED,
        finished_at=timezone.now(),
        audio_source="hybrid",
        arr_tag_ids={"dub": 3},
        summary={"listed": 2, "planned_changes": 0, "duration_s": 1.0},
    )
    body = api.get(f"/api/scans/{run.pk}/").json()
    assert body["summary"] == {
        "listed": 2, "planned_changes": 0, "duration_s": 1.0,
        "audio_source": "hybrid", "tag_ids": {"dub": 3},
    }  # fmt: skip
    hybrid = str(Instance.AudioSource.HYBRID.label)  # the form's words, not the stored code
    assert ["Audio languages from", hybrid] in body["summary_lines"]


def test_list_filters_and_order(api: APIClient) -> None:
    tv = InstanceFactory()
    old = ScanRunFactory(instance=tv, status=Status.SUCCEEDED)
    new = ScanRunFactory(instance=tv, status=Status.FAILED)
    ScanRunFactory(status=Status.SUCCEEDED)
    ids = lambda query: [r["id"] for r in api.get(f"/api/scans/?{query}").json()["results"]]  # noqa: E731
    assert ids(f"instance={tv.pk}") == [new.pk, old.pk]
    assert ids(f"instance={tv.pk}&status=succeeded") == [old.pk]
    assert ids(f"instance={tv.pk}&ordering=id") == [old.pk, new.pk]


def test_cancel(api: APIClient) -> None:
    run = ScanRunFactory(status=Status.RUNNING)
    response = api.post(f"/api/scans/{run.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Event.objects.filter(run=run, message__contains="cancelled").exists()
    again = api.post(f"/api/scans/{run.pk}/cancel/")
    assert again.status_code == 409
    assert "cannot be cancelled" in again.json()["detail"]


def test_resume_an_interrupted_run(api: APIClient) -> None:
    media = MediaFactory()
    run = ScanRunFactory(
        instance=media.instance,
        status=Status.INTERRUPTED,
        planned_at=timezone.now(),
        items_total=1,
    )
    ScanItem.objects.create(run=run, media=media)
    response = api.post(f"/api/scans/{run.pk}/resume/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "running"


def test_resume_refused_unless_interrupted(api: APIClient) -> None:
    run = ScanRunFactory(status=Status.SUCCEEDED)
    response = api.post(f"/api/scans/{run.pk}/resume/")
    assert response.status_code == 409
    assert "only an interrupted or stalled scan resumes" in response.json()["detail"]


def test_resume_refused_while_another_run_is_active(api: APIClient) -> None:
    instance = InstanceFactory()
    interrupted = ScanRunFactory(instance=instance, status=Status.INTERRUPTED)
    ScanRunFactory(instance=instance, status=Status.QUEUED)
    response = api.post(f"/api/scans/{interrupted.pk}/resume/")
    assert response.status_code == 409
    assert "already active" in response.json()["detail"]


def test_runs_cannot_be_edited_or_deleted(api: APIClient) -> None:
    run = ScanRunFactory()
    assert api.patch(f"/api/scans/{run.pk}/", {"status": "succeeded"}).status_code == 405
    assert api.delete(f"/api/scans/{run.pk}/").status_code == 405


@pytest.mark.parametrize(
    "body",
    [
        '{"instance": 1e400}',
        '{"instance": 1.5}',
        '{"instance": true}',
        '{"instance": 99999999999999999999}',
    ],
)
def test_start_refuses_ids_that_are_not_whole_numbers(api: APIClient, body: str) -> None:
    InstanceFactory()  # pk 1 may exist: 1.5 must not find it
    response = api.post("/api/scans/", body, content_type="application/json")
    assert response.status_code == 400
    assert "instance" in response.json()
    assert not ScanRun.objects.exists()


# --- review, then apply: mode apply and chosen media ----------------------------------


def test_apply_the_planned_tags_of_chosen_media(api: APIClient) -> None:
    instance = InstanceFactory(dry_run=True)  # asking to apply writes, whatever its default
    planned = MediaFactory(instance=instance, applied_tag="none", planned_tag="dub")
    MediaFactory(instance=instance, applied_tag="dub", planned_tag="dub")
    response = api.post(
        "/api/scans/",
        {"instance": instance.pk, "mode": "apply", "media": [planned.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    run = ScanRun.objects.get(pk=response.json()["id"])
    assert (run.mode, run.dry_run, run.scope) == ("apply", False, [planned.arr_id])


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"mode": "apply", "dry_run": True}, "dry_run", "cannot be a dry run"),
        ({"mode": "apply"}, "mode", "no planned tag change"),
        ({"mode": "apply", "media": [424242]}, "media", "no planned tag change"),
        ({"mode": "rewrite", "media": [424242]}, "media", "belongs to instance"),
        ({"media": [0]}, "media", "greater than or equal to 1"),
        ({"media": "7"}, "media", "list"),
    ],
)
def test_bad_apply_or_media_is_a_400_naming_the_field(api, extra, field, message) -> None:
    instance = InstanceFactory()
    MediaFactory(instance=instance, applied_tag="dub", planned_tag="dub")  # nothing pending
    response = api.post("/api/scans/", {"instance": instance.pk, **extra}, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not ScanRun.objects.exists()


def test_rescan_chosen_media_of_another_instance_is_refused(api: APIClient) -> None:
    mine, other = InstanceFactory(), MediaFactory()
    response = api.post(
        "/api/scans/", {"instance": mine.pk, "mode": "rewrite", "media": [other.pk]}, format="json"
    )
    assert response.status_code == 400 and "media" in response.json()
