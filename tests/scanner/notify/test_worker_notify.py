"""Notifications through a real Celery worker: the end of a run is sent by a task on
the worker (never by the web process or a step), and so is the admin's test message."""

from __future__ import annotations

import pytest

from scanner import tasks
from scanner.actions.scans import start_scan
from scanner.models import Notifier, RunRequest, ScanRun
from tests.capture import CapturingServer
from tests.factories import InstanceFactory, NotifierFactory
from tests.helpers import ARR_KEY
from tests.worker import celery_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_the_worker_sends_the_end_of_a_run_and_the_test_message(
    inbox: CapturingServer,
) -> None:
    instance = InstanceFactory(name="down", url="http://127.0.0.1:9", api_key=ARR_KEY)
    notifier = NotifierFactory(url=inbox.url, events=["unreachable"])
    with celery_worker() as worker:
        run = start_scan(instance, RunRequest(ScanRun.Trigger.API))
        (post,) = inbox.wait_for(1)
        assert post["title"] == "Taggarr: down is unreachable"
        worker.wait_for(r"scanner\.tasks\.notify_run_ended\[.*\] succeeded")
        tasks.send_notifier_test(notifier.pk)
        posts = inbox.wait_for(2)
    assert posts[1]["title"] == "Taggarr: test message"
    assert ScanRun.objects.get(pk=run.pk).status == ScanRun.Status.FAILED
    assert Notifier.objects.get().last_error == ""
