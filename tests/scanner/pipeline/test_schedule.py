"""Beat's tick: due scans start once, disabled and busy instances are skipped, missed
slots do not pile up, stalled runs are interrupted, webhook requests wait their turn."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scanner.actions.scans import request_item_scan
from scanner.models import Instance, MissingSearch, RunRequest, ScanRequest, ScanRun
from scanner.pipeline.state import runs, schedule, webhook_requests
from scanner.pipeline.work import Plan, StartRequested
from tests.factories import InstanceFactory, ScanRunFactory

pytestmark = pytest.mark.django_db


def start_due_scans() -> list[ScanRun]:
    """Beat's tick; the runs it started (their plans are what it hands on)."""
    work = schedule.start_due_scans()
    return [ScanRun.objects.get(pk=each.run_id) for each in work if isinstance(each, Plan)]


def test_due_instance_starts_once_and_next_slot_counts_from_now() -> None:
    instance = InstanceFactory(scan_interval_minutes=60, next_scan_at=timezone.now())
    started = start_due_scans()
    assert [run.instance_id for run in started] == [instance.pk]
    assert started[0].trigger == ScanRun.Trigger.SCHEDULE
    instance.refresh_from_db()
    assert timedelta(minutes=59) < instance.next_scan_at - timezone.now() <= timedelta(minutes=60)
    assert start_due_scans() == []  # not due again


def test_missed_slots_do_not_pile_up() -> None:
    instance = InstanceFactory(
        scan_interval_minutes=30, next_scan_at=timezone.now() - timedelta(days=2)
    )
    assert len(start_due_scans()) == 1
    assert ScanRun.objects.filter(instance=instance).count() == 1
    instance.refresh_from_db()
    assert instance.next_scan_at > timezone.now()


@pytest.mark.parametrize(
    "overrides", [{"enabled": False}, {"scan_interval_minutes": 0}], ids=["disabled", "no-schedule"]
)
def test_instances_without_a_schedule_are_skipped(overrides) -> None:
    InstanceFactory(next_scan_at=timezone.now() - timedelta(minutes=1), **overrides)
    assert start_due_scans() == []
    assert ScanRun.objects.count() == 0


def test_a_running_scan_is_not_started_twice() -> None:
    run = ScanRunFactory(status=ScanRun.Status.RUNNING, heartbeat_at=timezone.now())
    Instance.objects.filter(pk=run.instance_id).update(next_scan_at=timezone.now())
    assert start_due_scans() == []
    assert ScanRun.objects.filter(instance=run.instance).count() == 1


def test_the_tick_sends_the_lost_work_of_a_silent_run(settings) -> None:
    settings.SCAN_STALL_SECONDS = 90
    old = timezone.now() - timedelta(minutes=16)
    stalled = ScanRunFactory(status=ScanRun.Status.QUEUED, heartbeat_at=old)
    Instance.objects.filter(pk=stalled.instance_id).update(next_scan_at=timezone.now())
    work = schedule.start_due_scans()
    assert work[0] == Plan(stalled.pk)  # its lost plan, first
    assert ScanRun.objects.get(pk=stalled.pk).status == ScanRun.Status.QUEUED  # still it
    assert len(work) == 1  # its instance is busy: no scheduled run beside it


def test_a_run_waiting_behind_a_busy_worker_is_not_stalled(settings) -> None:
    settings.SCAN_STALL_SECONDS = 90
    waiting = ScanRunFactory(
        status=ScanRun.Status.QUEUED, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    ScanRunFactory(status=ScanRun.Status.RUNNING, heartbeat_at=timezone.now())  # progressing
    start_due_scans()
    waiting.refresh_from_db()
    assert waiting.status == ScanRun.Status.QUEUED


def test_webhook_requests_wait_for_the_active_run_then_start() -> None:
    instance = InstanceFactory(scan_interval_minutes=0)
    busy = ScanRunFactory(
        instance=instance, status=ScanRun.Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert request_item_scan(instance, [7], "Download") is None
    assert request_item_scan(instance, [7, 9], "Download") is None  # deduplicated
    assert sorted(ScanRequest.objects.values_list("arr_id", flat=True)) == [7, 9]
    ScanRun.objects.filter(pk=busy.pk).update(status=ScanRun.Status.SUCCEEDED)
    work = schedule.start_due_scans()
    assert work == (StartRequested(instance.pk),)  # the tick hands the requests on
    assert not ScanRun.objects.filter(trigger=ScanRun.Trigger.WEBHOOK).exists()
    (plan,) = webhook_requests.start_requested_scan(instance.pk)
    run = ScanRun.objects.get(instance=instance, trigger=ScanRun.Trigger.WEBHOOK)
    assert plan == Plan(run.pk)
    assert run.scope == [7, 9]
    assert not ScanRequest.objects.exists()


def test_old_history_is_forgotten(settings) -> None:
    settings.HISTORY_DAYS = 30
    old = ScanRunFactory(status=ScanRun.Status.SUCCEEDED, instance__scan_interval_minutes=0)
    ScanRun.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    recent = ScanRunFactory(instance=old.instance, status=ScanRun.Status.SUCCEEDED)
    ScanRun.objects.filter(pk=recent.pk).update(finished_at=timezone.now())
    start_due_scans()
    assert list(ScanRun.objects.values_list("pk", flat=True)) == [recent.pk]


def test_searches_are_kept_as_long_as_an_interval_may_count_them(settings) -> None:
    settings.HISTORY_DAYS = 30
    instance = InstanceFactory(scan_interval_minutes=0)
    for days in (40, 400):
        row = MissingSearch.objects.create(instance=instance, title=f"{days}", searched=1)
        MissingSearch.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )
    start_due_scans()
    assert list(MissingSearch.objects.values_list("title", flat=True)) == ["40"]


# --- a safe first run: nothing runs on its own before a person starts a scan ----------


def test_a_new_instance_waits_for_a_person_then_its_schedule_starts() -> None:
    instance = InstanceFactory(first_scan_at=None, scan_interval_minutes=60)
    assert instance.waits_for_first_scan
    assert start_due_scans() == []  # beat's tick: not due, however long it waits
    assert request_item_scan(instance, [7], "Download") is None  # remembered, not started
    assert schedule.start_due_scans() == (StartRequested(instance.pk),)
    assert webhook_requests.start_requested_scan(instance.pk) == ()
    assert not ScanRun.objects.exists()

    before = timezone.now()
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.MANUAL, dry_run=True))
    instance.refresh_from_db()
    assert before <= instance.first_scan_at <= timezone.now()
    assert before + timedelta(minutes=60) <= instance.next_scan_at
    assert instance.next_scan_at <= timezone.now() + timedelta(minutes=60)

    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.SUCCEEDED)
    (plan,) = webhook_requests.start_requested_scan(instance.pk)  # the remembered webhook's turn
    assert ScanRun.objects.get(pk=plan.run_id).scope == [7]


@pytest.mark.parametrize("trigger", ScanRun.BY_A_PERSON)
def test_any_scan_a_person_starts_starts_the_schedule(trigger) -> None:
    instance = InstanceFactory(first_scan_at=None, scan_interval_minutes=0)
    runs.create_run(instance, RunRequest(trigger))
    instance.refresh_from_db()
    assert instance.first_scan_at is not None
    assert instance.next_scan_at is None  # interval 0: no schedule, but webhooks now run


@pytest.mark.parametrize("trigger", [ScanRun.Trigger.SCHEDULE, ScanRun.Trigger.WEBHOOK])
def test_runs_nobody_started_do_not_start_the_schedule(trigger) -> None:
    instance = InstanceFactory(first_scan_at=None)
    runs.create_run(instance, RunRequest(trigger))
    instance.refresh_from_db()
    assert instance.waits_for_first_scan
    assert instance.next_scan_at is None
