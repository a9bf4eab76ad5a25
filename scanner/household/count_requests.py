"""Asking for a person's counts of what will play (issue 70): when their languages or
wants change, and when their page finds none or finds a count asked long ago and never
made (its message lost). The count runs on a worker (scanner.tasks.count_person_tracks,
the person's id only) once the current transaction commits."""

from __future__ import annotations

import functools
from datetime import timedelta

from django.db import transaction

from scanner.household import counts as person_counts
from scanner.household import tasks

ASK_AGAIN = timedelta(minutes=15)  # a count asked this long ago and not made is asked again

__all__ = ["ASK_AGAIN", "recount"]


def recount(person_id: int) -> bool:
    """A count of ``person_id`` queued after the transaction commits; False when the
    person is gone."""
    if not person_counts.ask(person_id):
        return False
    transaction.on_commit(functools.partial(_send, person_id))
    return True


def _send(person_id: int) -> None:
    tasks.queue_person_count(person_id)  # a broker that is down is logged, never raised
