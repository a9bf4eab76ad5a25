"""The embedded broker shared by the processes of ``make run``: a real worker, and
beside it processes that publish tasks (as the web process and beat do) and ask the
worker's health (the compose healthcheck's broadcast), all at once on one broker folder.
Each broadcast binds its reply queue and reads the exchange tables the others write."""

from __future__ import annotations

import os
import socket

import pytest
from django.conf import settings

from tests.helpers import at_once
from tests.worker import celery_worker, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

PUBLISHERS = 4
ROUNDS = 8

PUBLISHER = """
import sys
import django
django.setup()
from scanner import tasks
from scanner.worker.health import ask
destination, rounds = sys.argv[1], int(sys.argv[2])
sys.stdin.readline()  # every publisher starts at once
answered = 0
for _ in range(rounds):
    tasks.start_due_scans.delay()  # beat's tick, published as beat does
    answered += ask(destination, timeout=60) is not None
print(answered)
"""


def test_publishers_and_health_checks_beside_a_worker_share_the_embedded_broker() -> None:
    if settings.REDIS_URL:
        pytest.skip("the embedded broker is the one used without REDIS_URL")
    destination = f"test-{os.getpid()}@{socket.gethostname()}"
    with celery_worker() as worker:
        outputs = at_once(PUBLISHER, [[destination, str(ROUNDS)]] * PUBLISHERS)
        worker.wait_for(task_done("start_due_scans"), count=PUBLISHERS * ROUNDS)
    assert [int(output) for output in outputs] == [ROUNDS] * PUBLISHERS  # every ask answered
    assert worker.count("JSONDecodeError") == 0
