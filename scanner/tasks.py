"""Thin Celery tasks around the pipeline steps, and the one place that sends work.

One task per media item (``scan_item``), whose state in Flower is its item's; the plan
and apply steps one task each. Every task that takes work runs as a step of
scanner.pipeline.running (the item, plan and apply steps register themselves),
so the worker's watchdog sees any of them held past its hold limit. They run the
pipeline's steps (the same code as the inline runner), retry with Celery's own
``self.retry`` within the budgets of scanner.pipeline.retries (a RETRY in Flower), and
send what a step returns once its transaction has committed. A task that raises
something unexpected gives up in ``on_failure``, so a run never hangs on a task that
died. The tasks beside a run's steps (artwork, a person's tracks and counts, Seerr,
searches, lost dubs, notifications, beat's tick) end an expected error in one log line
(``SideTask``), as the plan and the apply do.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import UTC, datetime
from typing import Any

from celery import Task, shared_task, signals
from celery.exceptions import Retry
from django.db import transaction
from kombu.exceptions import ChannelError, OperationalError

from scanner.artwork import leases as artwork_leases
from scanner.artwork.refresh import Chunk, chunks_of_run, refresh_chunk
from scanner.errors import ConfigError, TaggarrError, describe
from scanner.household import counts as person_counts
from scanner.household import plex_tracks as person_tracks
from scanner.notify import dispatch
from scanner.pipeline.running import Kind, progressed, step
from scanner.pipeline.runtime import item_step, steps
from scanner.pipeline.state import apply_lease, schedule, webhook_requests
from scanner.pipeline.state.apply_lease import Superseded
from scanner.pipeline.work import Apply, Next, Plan, RunEnded, ScanItems, StartRequested, Work
from scanner.reports import item_states
from scanner.searches import due as search_schedule
from scanner.searches import lost_dubs
from scanner.searches.send import ask_reserved, free_reserved, search_missing
from scanner.seerr import answering as seerr_follow
from scanner.seerr.client import SeerrError
from scanner.worker import alive as worker_alive
from scanner.worker import health as worker_health  # the watchdog, its health command

logger = logging.getLogger(__name__)


@signals.worker_ready.connect
def _start_watchdog(**kwargs: Any) -> None:
    """The worker's watchdog (scanner.worker.health), sending what follows a step it ends."""
    worker_health.Watchdog(send).start()


@signals.worker_shutting_down.connect
def _no_longer_alive(**kwargs: Any) -> None:
    """A worker that stops warm is no longer counted as running (scanner.worker.alive)."""
    worker_alive.unmark()


def send(work: Next) -> None:
    """Queue ``work`` for the workers when the current transaction commits."""
    for each in work:
        transaction.on_commit(functools.partial(enqueue, each))


def enqueue(work: Work) -> None:
    """Put one piece of work on the broker now (``send`` calls it after the commit).

    A broker that is down loses no scan: the work is in the database (a queued run, its
    pending items, its apply step), and beat's next tick after the stall window sends
    it again (runs.recover_stalled). So it is one log line here, not an error for the
    caller: a person pressing "Scan now" gets the queued run, a webhook its 202. (Only
    the notification of a run that ended meanwhile is lost.)
    """
    try:
        _publish(work)
    except OperationalError as exc:
        if isinstance(work, RunEnded):
            kept = f"the end of scan #{work.run_id} is not notified"
        elif isinstance(work, StartRequested):
            kept = "the webhook scans waiting start at beat's next tick"
        else:
            kept = (
                f"scan #{work.run_id} keeps its work in the database and beat sends it again "
                "when the broker is back"
            )
        logger.warning("the broker is unreachable (%s): %s", exc, kept)


def _publish(work: Work) -> None:
    if isinstance(work, Plan):
        plan_scan.delay(work.run_id)
    elif isinstance(work, ScanItems):
        # One message per item, whatever the batches they are scanned in.
        countdown = work.delay or None
        options: dict[str, Any] = {"retry": True} if work.retry else {}
        if work.since is not None:
            options["since"] = work.since
        if work.token is not None:
            options["token"] = work.token
        for item_id in work.item_ids:
            scan_item.apply_async((work.run_id, item_id), options, countdown=countdown)
    elif isinstance(work, Apply):
        apply_scan.delay(work.run_id)
    elif isinstance(work, StartRequested):
        # Cheap (a few rows): done here rather than through one more task.
        send(webhook_requests.start_requested_scan(work.instance_id))
    elif isinstance(work, RunEnded):
        notify_run_ended.delay(work.run_id)
        refresh_run_artwork.delay(work.run_id)
        set_run_person_tracks.delay(work.run_id)
        recount_run_people.delay(work.run_id)
        if lost_dubs.due(work.run_id):  # one query; most runs lose no dub
            win_back_lost_dubs.delay(work.run_id)
        if seerr_follow.due():  # one query; most households follow no Seerr ask
            follow_seerr_run.delay(work.run_id)


def send_notifier_test(notifier_id: int) -> None:
    """The admin's and the API's "send test": on a worker, once the request commits."""
    transaction.on_commit(lambda: send_test_notification.delay(notifier_id))


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


class ItemFailed(Exception):
    """The item failed; its failure is recorded. Raised so that the item's task is a
    FAILURE in Flower, with the reason."""


class SideTask(Task):
    """A task beside a run's own steps. An expected error (a TaggarrError: a share or a
    server that did not answer within its bound, a refused key, a setting) ends it in ONE
    log line with its reason (and ``then``: what becomes of its work, where a task says
    it), as a plan or an apply step ends: no traceback, and the task is no unexpected
    failure (it SUCCEEDs in Flower; its result, where one is kept, is None). Anything
    else is a bug: Celery logs it with its traceback, as before."""

    then = ""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except TaggarrError as exc:
            after = f"; {self.then}" if self.then else ""
            logger.warning("%s stopped: %s%s", self.name.rpartition(".")[2], describe(exc), after)
            return None


class StepTask(Task):
    """A step that raised something unexpected gives up as the policy says.

    Celery's own retry limit is off (``max_retries = None``): the retry budgets are
    deadlines (scanner.pipeline.retries), not a count. ``since`` (the first try's time,
    seconds since the epoch) travels with each retry's message, so a retry on another
    worker keeps the deadline.
    """

    max_retries = None

    def work_of(self, args: Any) -> Work:
        raise NotImplementedError

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        if isinstance(exc, ItemFailed):
            return  # recorded already
        send(steps.give_up(self.work_of(args), exc))

    def first_try(self) -> float:
        since = (self.request.kwargs or {}).get("since")
        return float(since) if since is not None else time.time()

    def retry_later(self, error: BaseException, wait: float, since: float, **kwargs: Any) -> Retry:
        return self.retry(exc=error, countdown=wait, kwargs={**kwargs, "since": since})

    def perform(self, work: Plan | Apply, **retry_kwargs: Any) -> str | None:
        """The step once; its retry carries ``retry_kwargs``. A superseded step's result
        names what happened (a state that is not FAILURE: nothing failed)."""
        since = self.first_try()
        outcome = steps.attempt(work, self.request.retries, since)
        if isinstance(outcome, steps.RetryLater):
            raise self.retry_later(outcome.error, outcome.delay, since, **retry_kwargs)
        if isinstance(outcome, Superseded):
            return outcome.why
        send(outcome)
        return None


class PlanTask(StepTask):
    def work_of(self, args: Any) -> Work:
        return Plan(args[0])


class ItemTask(StepTask):
    # Expected ends: logged in one line, without a traceback (the failure is told and
    # recorded already).
    throws = (ItemFailed,)

    def work_of(self, args: Any) -> Work:
        return ScanItems(args[0], (args[1],))


class ApplyTask(StepTask):
    def work_of(self, args: Any) -> Work:
        return Apply(args[0])


@shared_task(bind=True, base=PlanTask, acks_late=True)
def plan_scan(
    self: PlanTask, run_id: int, since: float | None = None, token: int | None = None
) -> None:
    """The run's plan, held with a fencing token drawn here (its retries keep it). A run
    another task or ``scan --inline`` took first is left to it: the step steps aside."""
    token = token or apply_lease.new_token()
    self.perform(Plan(run_id, token=token), token=token)


@shared_task(bind=True, base=ItemTask, acks_late=True)
def scan_item(
    self: ItemTask,
    run_id: int,
    item_id: int,
    retry: bool = False,
    since: float | None = None,
    token: int | None = None,
) -> str:
    """One media item of a scan; the task's state is the item's: SUCCESS when it was
    scanned, FAILURE with the reason when it failed, RETRY while it waits for its retry.
    A task that did not scan its item ends SUCCESS too, its result saying why and what
    became of the item: a late second delivery ("already scanned ..."), or a task whose
    lease ran out while another task took the item ("superseded: ...": nothing of it
    was written). The truth per item is the run's page (scanner.reports.item_states).
    ``token``: the fencing number of the earlier try's claim (a random number, no
    secret), so that the retry takes back a lease that try could not release."""
    first = datetime.fromtimestamp(since, tz=UTC) if since is not None else None
    outcome = item_step.scan_item(run_id, item_id, retry=retry, since=first, token=token)
    send(outcome.next)  # every outcome may hand on work (other items' too: ItemDesk.unsent)
    if isinstance(outcome, item_step.Scanned):
        return f"scanned: {outcome.title}"
    if isinstance(outcome, item_step.NotTaken):
        return outcome.why
    if isinstance(outcome, item_step.ItemFailed):
        raise ItemFailed(outcome.reason)
    if isinstance(outcome, item_step.Lost):
        return item_states.superseded(item_id)
    held = {"token": outcome.token} if outcome.token is not None else {}
    raise self.retry_later(
        outcome.error, outcome.wait, outcome.since.timestamp(), retry=True, **held
    )


@shared_task(bind=True, base=ApplyTask, acks_late=True)
def apply_scan(
    self: ApplyTask, run_id: int, since: float | None = None, token: int | None = None
) -> str | None:
    """The run's apply step, held with a fencing token drawn here (its retries keep it:
    a retry takes back its own lease). When another task holds the step, or took it
    while this one was paused past its lease, the result says so, e.g. "superseded:
    another apply took scan #12": nothing written by this task since."""
    token = token or apply_lease.new_token()
    return self.perform(Apply(run_id, token=token), token=token)


def queued_messages() -> int | None:
    """The messages waiting in the broker's queues, the control work's and the items'
    (None: it could not say): a run's step or its items may wait among them."""
    from celery import current_app

    try:
        with current_app.connection_for_read() as connection:
            channel = connection.default_channel
            return sum(_waiting(channel, queue.name) for queue in current_app.conf.task_queues)
    except Exception as exc:  # noqa: BLE001 - any broker trouble: unknown, recovery resends
        logger.debug("the broker's queue length is unknown: %s", exc)
        return None


def _waiting(channel: Any, queue: str) -> int:
    try:
        return int(channel.queue_declare(queue=queue, passive=True).message_count)
    except ChannelError:  # Redis has no key for an empty list: "no queue", nothing waits
        return 0


@shared_task(acks_late=True, base=SideTask, then="beat's next tick starts the scans due")
def start_due_scans() -> int:
    with step(Kind.SCHEDULE):
        work = schedule.start_due_scans(queued_messages())
    send(work)
    return sum(isinstance(each, Plan) for each in work)


def send_seerr_answers(ask_ids: tuple[int, ...]) -> None:
    """The Seerr webhook's asks, answered by a worker once the request commits (ids only:
    no secret in a task). A broker that is down leaves them for the next run's end."""

    def publish() -> None:
        try:
            answer_seerr_asks.delay(sorted(set(ask_ids)))
        except OperationalError as exc:
            logger.warning("the broker is unreachable (%s): Seerr is answered later", exc)

    if ask_ids:
        transaction.on_commit(publish)


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def follow_seerr_run(run_id: int) -> int:
    """After a run, the Seerr asks of its items answered (scanner.seerr.follow)."""
    with step(Kind.SEERR, run_id=run_id):
        asks = seerr_follow.follow_run(run_id)
    return answer_seerr_asks(asks)


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def answer_seerr_asks(ask_ids: list[int]) -> int:
    """Tell Seerr where each ask's item stands, and ask the *arr for the searches that
    reserved; the asks told. Not retried: a change Seerr did not take is told again at
    the next run's end (its ``said`` was given back); run again, it tells nothing twice."""
    told = 0
    news: list[dispatch.SeerrNews] = []
    with step(Kind.SEERR):
        for ask_id in ask_ids:
            try:
                answered = seerr_follow.answer(ask_id)
            except (SeerrError, ConfigError) as exc:
                logger.warning("Seerr ask %s not answered: %s", ask_id, exc)
                continue
            told += answered.outcome in ("commented", "resolved")
            if answered.news is not None:
                news.append(answered.news)
            if answered.reserved:
                ask_reserved(answered.reserved)
        if news:  # one message per notifier for the batch (its rate limit holds one)
            dispatch.notify_seerr(news)
    return told


# Notifications: a message that did not go out is logged and kept on the notifier
# (last error); it is not retried, so a broken service never piles up tasks.


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def notify_run_ended(run_id: int) -> int:
    with step(Kind.NOTIFY, run_id=run_id):
        return dispatch.notify_run_ended(run_id)


@shared_task(
    acks_late=True, ignore_result=True, base=SideTask, then="the next scan fetches its artwork"
)
def refresh_run_artwork(run_id: int) -> int:
    """The run's items' posters and fanart, what changed of them (scanner.artwork): after
    the run, so that artwork never holds up or fails an item. Reads which items have an
    image to fetch (a few queries) and sends a ``refresh_artwork_chunk`` per chunk of them,
    which workers run side by side as they run items; the chunks sent."""
    with step(Kind.RUN_ARTWORK, run_id=run_id):
        chunks = chunks_of_run(run_id)
    for chunk in chunks:
        refresh_artwork_chunk.delay(chunk.instance_id, list(chunk.media_ids))
    return len(chunks)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    base=SideTask,
    then="the next scan fetches its artwork",
)
def refresh_artwork_chunk(self: Task, instance_id: int, media_ids: list[int]) -> int:
    """The images of a chunk of items that changed, fetched and stored; the images
    fetched. Its leases carry the task's id, so a message delivered again (a worker
    died) takes back its own images."""
    token = artwork_leases.token_of(self.request.id or "")
    with step(Kind.ARTWORK):
        return refresh_chunk(Chunk(instance_id, tuple(media_ids)), token=token).fetched


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def set_run_person_tracks(run_id: int) -> int:
    """After a run, each person's track on the Plex servers its instance feeds
    (scanner.media_servers.writes.person_tracks): one ``set_person_tracks`` per person
    account, which workers run side by side; the accounts sent."""
    with step(Kind.PERSON_TRACKS, run_id=run_id):
        accounts = person_tracks.accounts_to_set(run_id=run_id)
    for account_id in accounts:
        set_person_tracks.delay(account_id, run_id)
    return len(accounts)


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def recount_run_people(run_id: int) -> int:
    """After a run that changed a file or a verdict, a count of what will play for each
    person its instance concerns (scanner.media_servers.person_counts); the people counted."""
    people = person_counts.people_of_run(run_id)
    for person_id in people:
        if person_counts.ask(person_id):
            count_person_tracks.delay(person_id)
    return len(people)


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def count_person_tracks(person_id: int) -> bool:
    """One person's counts of what will play, per kind, and the library's facts their
    Jellyfin or Emby advice reads, in one pass, stored for their page (the person's id
    only: workers may be on other machines); whether they were stored."""
    with step(Kind.PERSON_COUNTS):
        return person_counts.count_person(person_id)


@shared_task(bind=True, acks_late=True, ignore_result=True, base=SideTask)
def set_person_tracks(self: Task, account_id: int, run_id: int | None = None) -> int:
    """One person account's tracks on its Plex server, a dry run while the server's
    ``set_person_tracks`` is off; ids only (the account's token is asked of plex.tv
    here, never a task argument). Retries what is transient within the media servers'
    budget (writes.retries); the parts sent or, in a dry run, that would be. Held per
    account (writes.track_lease) with the task's own token, so that a message delivered
    again (a worker died) takes back its step; a task that finds the step held by
    another ends at once (0), the holder running once more for it."""
    token = artwork_leases.token_of(self.request.id or "")
    with step(Kind.PERSON_TRACKS, run_id=run_id):
        result = person_tracks.set_account_tracks(
            account_id, run_id, token=token, progressed=progressed
        )
    return result.counts[person_tracks.SENT] if result is not None else 0


def queue_artwork(run_id: int) -> bool:
    """``scan --inline``: the run's artwork to the workers, now (no transaction to wait
    for); False when the broker is unreachable (the next scan a worker ends fetches it)."""
    try:
        refresh_run_artwork.delay(run_id)
    except OperationalError as exc:
        logger.warning("the broker is unreachable (%s): scan #%s's artwork waits", exc, run_id)
        return False
    return True


def queue_person_count(person_id: int) -> bool:
    """A person's count to the workers, now; False when the broker is unreachable (the
    person's page asks again when it finds the count still not made,
    scanner.actions.person_counts.ASK_AGAIN)."""
    try:
        count_person_tracks.delay(person_id)
    except (OperationalError, ChannelError) as exc:
        logger.warning("the broker is unreachable (%s): person #%s's count waits", exc, person_id)
        return False
    return True


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def ask_missing_searches(reserved: list[int]) -> int:
    """Ask the *arr for the searches the admin or the API reserved; the items asked for.
    Run again (a worker died), it asks for nothing twice."""
    with step(Kind.SEARCH):
        return len(ask_reserved(reserved).asked)


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def search_missing_dubs(
    media_ids: list[int], season: int | None, trigger: str, user: str = ""
) -> int:
    """What an earlier release queued (its messages may still wait on the broker): plan,
    reserve and ask here; the items asked for."""
    with step(Kind.SEARCH):
        return len(search_missing(media_ids, season=season, trigger=trigger, user=user).asked)


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def win_back_lost_dubs(run_id: int) -> int:
    """The run's lost dubs, acted on as each instance chose (scanner.searches.lost_dubs);
    the actions recorded. Not retried: each action is recorded before the *arr is asked
    (it is never done twice), and one the *arr did not take says so in its event. Run
    again (a worker died), it acts on no file twice."""
    with step(Kind.LOST_DUBS, run_id=run_id):
        return lost_dubs.win_back(run_id)


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def search_scheduled_dubs() -> int:
    with step(Kind.SEARCH):
        return sum(len(report.asked) for report in search_schedule.search_due())


@shared_task(acks_late=True, ignore_result=True, base=SideTask)
def send_test_notification(notifier_id: int) -> bool | None:
    with step(Kind.NOTIFY):
        return dispatch.send_test(notifier_id)
