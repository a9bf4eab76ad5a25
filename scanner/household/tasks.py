"""The household's tasks: after a run, each person's tracks set in Plex (a task per
person account, held per account: scanner.leases.PERSON_TRACKS) and what will play for
each person counted (a task per person). Ids only: workers may be on other machines, and
an account's token is asked of plex.tv on the worker, never a task argument."""

from __future__ import annotations

import logging

from kombu.exceptions import ChannelError, OperationalError

from scanner.household import counts as person_counts
from scanner.household import plex_listing
from scanner.household import plex_tracks as person_tracks
from scanner.runtime.running import progressed
from scanner.tasking import kinds
from scanner.tasking.base import SideTask, bound_task, task

logger = logging.getLogger(__name__)


def after_run(run_id: int) -> None:
    """A run ended: its people's tracks set, then counted again."""
    set_run_person_tracks.delay(run_id)
    recount_run_people.delay(run_id)


def queue_person_count(person_id: int) -> bool:
    """A person's count to the workers, now; False when the broker is unreachable (the
    person's page asks again when it finds the count still not made,
    scanner.household.count_requests.ASK_AGAIN)."""
    try:
        count_person_tracks.delay(person_id)
    except (OperationalError, ChannelError) as exc:
        logger.warning("the broker is unreachable (%s): person #%s's count waits", exc, person_id)
        return False
    return True


@task(kinds.RUN_PERSON_TRACKS)
def set_run_person_tracks(run_id: int) -> int:
    """After a run, each person's track on the Plex servers its instance feeds
    (scanner.household.plex_tracks): one ``set_person_tracks`` per person
    account, which workers run side by side; the accounts sent. Each Plex server is
    first listed once for all of them and their tokens asked of plex.tv once
    (scanner.household.plex_listing: kept in the cache every worker reads; the
    messages carry ids only)."""
    accounts = person_tracks.accounts_to_set(run_id=run_id)
    if accounts:
        try:
            plex_listing.prepare(run_id, accounts, progressed)
        except Exception:  # a saving only: each account's task lists for itself then
            logger.exception("run #%s: the Plex servers not listed once for all", run_id)
    for account_id in accounts:
        set_person_tracks.delay(account_id, run_id)
    return len(accounts)


@task(kinds.RUN_PERSON_COUNTS)
def recount_run_people(run_id: int) -> int:
    """After a run that changed a file or a verdict, a count of what will play for each
    person its instance concerns (scanner.household.counts); the people counted."""
    people = person_counts.people_of_run(run_id)
    for person_id in people:
        if person_counts.ask(person_id):
            count_person_tracks.delay(person_id)
    return len(people)


@task(kinds.PERSON_COUNTS)
def count_person_tracks(person_id: int) -> bool:
    """One person's counts of what will play, per kind, and the library's facts their
    Jellyfin or Emby advice reads, in one pass, stored for their page (the person's id
    only: workers may be on other machines); whether they were stored."""
    return person_counts.count_person(person_id)


@bound_task(kinds.PERSON_TRACKS)
def set_person_tracks(self: SideTask, account_id: int, run_id: int | None = None) -> int:
    """One person account's tracks on its Plex server, a dry run while the server's
    ``set_person_tracks`` is off; ids only (the account's token is asked of plex.tv
    here, never a task argument). Retries what is transient within the media servers'
    budget (writes.retries); the parts sent or, in a dry run, that would be. Held per
    account (writes.track_lease) with the task's own token, so that a message delivered
    again (a worker died) takes back its step; a task that finds the step held by
    another ends at once (0), the holder running once more for it."""
    token = self.own_token()
    result = person_tracks.set_account_tracks(
        account_id, run_id, token=token, progressed=progressed
    )
    return result.counts[person_tracks.SENT] if result is not None else 0
