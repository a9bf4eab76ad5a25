"""Notifications' tasks: a run's end told, a notifier's test sent. A message that did not
go out is logged and kept on the notifier (last error); it is not retried, so a broken
service never piles up tasks."""

from __future__ import annotations

from django.db import transaction

from scanner.notify import dispatch
from scanner.tasking import kinds
from scanner.tasking.base import task


def send_notifier_test(notifier_id: int) -> None:
    """The admin's and the API's "send test": on a worker, once the request commits."""
    transaction.on_commit(lambda: send_test_notification.delay(notifier_id))


def after_run(run_id: int) -> None:
    """A run ended: its notification."""
    notify_run_ended.delay(run_id)


@task(kinds.NOTIFY)
def notify_run_ended(run_id: int) -> int:
    """The run's end told to the notifiers whose rules take it; the messages sent."""
    return dispatch.notify_run_ended(run_id)


@task(kinds.NOTIFY)
def send_test_notification(notifier_id: int) -> bool | None:
    """A notifier's test message; whether it went out (None: no such notifier)."""
    return dispatch.send_test(notifier_id)
