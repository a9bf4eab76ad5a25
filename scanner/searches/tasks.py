"""The searches' tasks: the missing dubs the admin, the API or the schedule asked for
searched by the *arr within the daily bound, and a run's lost dubs acted on
(scanner.searches). Ids only: a task carries no secret."""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from scanner.searches import due as search_schedule
from scanner.searches import lost_dubs
from scanner.searches.send import ask_reserved, free_reserved, search_missing
from scanner.tasking import kinds
from scanner.tasking.base import task

logger = logging.getLogger(__name__)


def send_missing_search(reserved: list[int]) -> None:
    """The admin's and the API's search for missing dubs, reserved in the request: a
    worker asks the *arr, once the request commits. Ids only: the task carries no secret.
    A broker that is down frees the reservations (nothing will ask for them)."""

    def publish() -> None:
        try:
            ask_missing_searches.delay(sorted(set(reserved)))
        except OperationalError as exc:
            logger.warning("the broker is unreachable (%s): the search was not queued", exc)
            free_reserved(reserved)

    transaction.on_commit(publish)


def after_run(run_id: int) -> None:
    """A run ended: its lost dubs acted on, when it lost any (one query; most runs lose
    no dub)."""
    if lost_dubs.due(run_id):
        win_back_lost_dubs.delay(run_id)


@task(kinds.SEARCH)
def ask_missing_searches(reserved: list[int]) -> int:
    """Ask the *arr for the searches the admin or the API reserved; the items asked for.
    Run again (a worker died), it asks for nothing twice."""
    return len(ask_reserved(reserved).asked)


@task(kinds.SEARCH)
def search_missing_dubs(
    media_ids: list[int], season: int | None, trigger: str, user: str = ""
) -> int:
    """What an earlier release queued (its messages may still wait on the broker): plan,
    reserve and ask here; the items asked for."""
    return len(search_missing(media_ids, season=season, trigger=trigger, user=user).asked)


@task(kinds.LOST_DUBS)
def win_back_lost_dubs(run_id: int) -> int:
    """The run's lost dubs, acted on as each instance chose (scanner.searches.lost_dubs);
    the actions recorded. Not retried: each action is recorded before the *arr is asked
    (it is never done twice), and one the *arr did not take says so in its event. Run
    again (a worker died), it acts on no file twice."""
    return lost_dubs.win_back(run_id)


@task(kinds.SEARCH)
def search_scheduled_dubs() -> int:
    """The schedule's searches for missing dubs, where due; the items asked for."""
    return sum(len(report.asked) for report in search_schedule.search_due())
