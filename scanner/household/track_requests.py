"""Setting each person's track in Plex on demand (issue 70): what the person page and
the admin call. The step itself runs on the workers
(scanner.tasks.set_person_tracks, one task per person account, ids only), after the
current transaction commits; without ``set_person_tracks`` on the server it is a dry
run that only counts."""

from __future__ import annotations

import functools

from django.db import transaction

from scanner.household import tasks
from scanner.household.plex_tracks import accounts_to_set
from scanner.models import MediaServer, Person

__all__ = ["start_person_tracks"]


def start_person_tracks(server: MediaServer, person: Person | None = None) -> int:
    """Queue the step for the server's person accounts (``person``'s only, when given);
    the accounts queued (0 for a server that is disabled or not Plex)."""
    accounts = accounts_to_set(server=server, person_id=person.pk if person else None)
    for account_id in accounts:
        transaction.on_commit(functools.partial(_send, account_id))
    return len(accounts)


def _send(account_id: int) -> None:
    tasks.set_person_tracks.delay(account_id)
