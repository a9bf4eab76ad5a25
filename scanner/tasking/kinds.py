"""Every kind of task, declared once: what the registry calls its step, the lease its work
is held with, its hold limit, how it is retried and how it gives up.

As NetBox's JobRunner and Sonarr's CommandExecutor declare a job's kind beside its code,
each task names its ``TaskKind`` (``@kind.task`` in scanner/<feature>/tasks.py) and the
base classes (scanner.tasking.base) act on it: a task runs inside the registry of
running steps (scanner.runtime.running) under its kind and hold limit, a run's own step
gives up by the pipeline's policy, and any other task ends an expected error in one log
line saying what becomes of its work (``then``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from scanner import leases
from scanner.leases import Lease
from scanner.runtime.running import Kind, hold_limit


class Retried(StrEnum):
    """How a kind's work is tried again after an error that may pass."""

    # Celery's own ``self.retry`` (a RETRY in Flower) within the deadlines of
    # scanner.pipeline.retries, the first try's time travelling with each retry.
    STEP_BUDGETS = "within the pipeline's retry budgets"
    # Its calls to a media server retried in the task within the media servers' budget
    # (scanner.media_servers.writes.retries); the task itself is not retried.
    SERVER_BUDGET = "its server calls within the media servers' budget"
    # Its calls to the *arr retried in the task within the *arr's budget
    # (TAGGARR_ARR_RETRY_SECONDS, scanner.pipeline.retries); the task itself is not retried.
    ARR_BUDGET = "its *arr calls within the *arr's budget"
    # Not retried: run again (a worker died), it does nothing twice; its work is taken
    # up again by what ``then`` says.
    NOT = "not retried"


class GiveUp(StrEnum):
    """What an error the task does not retry makes of it."""

    # The run's step given up (scanner.pipeline.runtime.steps.give_up): its run, or its
    # item, fails with the reason; an item's failure is recorded already (ItemFailed).
    STEP = "the run's step fails"
    # An expected error (a TaggarrError) in one log line with its reason and ``then``;
    # anything else is a bug, logged with its traceback by Celery.
    LOG = "one log line"


@dataclass(frozen=True)
class TaskKind:
    """One kind of task: its registry step, its lease, hold limit, retries and give-up."""

    step: Kind
    lease: Lease | None = None
    retried: Retried = Retried.NOT
    give_up: GiveUp = GiveUp.LOG
    then: str = ""  # what becomes of its work when it stops (GiveUp.LOG's log line)
    hold: Callable[[], float] = hold_limit  # seconds it may go without progress


NEXT_SCAN_ARTWORK = "the next scan fetches its artwork"

# A run's own steps: the pipeline registers them (scanner.pipeline.runtime).
PLAN = TaskKind(Kind.PLAN, retried=Retried.STEP_BUDGETS, give_up=GiveUp.STEP)
ITEM = TaskKind(Kind.ITEM, leases.ITEMS, Retried.STEP_BUDGETS, GiveUp.STEP)
APPLY = TaskKind(Kind.APPLY, leases.APPLY, Retried.STEP_BUDGETS, GiveUp.STEP)
# Beside a run's steps.
SCHEDULE = TaskKind(Kind.SCHEDULE, then="beat's next tick starts the scans due")
RUN_ARTWORK = TaskKind(Kind.RUN_ARTWORK, then=NEXT_SCAN_ARTWORK)
ARTWORK = TaskKind(Kind.ARTWORK, leases.ARTWORK, then=NEXT_SCAN_ARTWORK)
RUN_PERSON_TRACKS = TaskKind(Kind.PERSON_TRACKS)
PERSON_TRACKS = TaskKind(Kind.PERSON_TRACKS, leases.PERSON_TRACKS, Retried.SERVER_BUDGET)
RUN_PERSON_COUNTS = TaskKind(Kind.PERSON_COUNTS)
PERSON_COUNTS = TaskKind(Kind.PERSON_COUNTS)
SEERR = TaskKind(Kind.SEERR, leases.SEERR_TELLING)
SEARCH = TaskKind(Kind.SEARCH)
LOST_DUBS = TaskKind(Kind.LOST_DUBS)
NOTIFY = TaskKind(Kind.NOTIFY)
NEXT_SCAN_PLANS = "the next scan plans the item's default tracks again"
RUN_DEFAULT_TRACKS = TaskKind(Kind.RUN_DEFAULT_TRACKS, then=NEXT_SCAN_PLANS)
DEFAULT_TRACKS = TaskKind(Kind.DEFAULT_TRACKS, leases.DEFAULT_TRACKS, then=NEXT_SCAN_PLANS)
# An item's quality profile (scanner.wish_profiles): its *arr requests retried in the task
# within TAGGARR_ARR_RETRY_SECONDS (scanner.wish_profiles.arr_calls); the task itself is
# not retried, the next run plans the item again.
NEXT_SCAN_PROFILES = "the next scan plans the item's quality profile again"
RUN_WISH_PROFILES = TaskKind(Kind.RUN_WISH_PROFILES, then=NEXT_SCAN_PROFILES)
WISH_PROFILES = TaskKind(
    Kind.WISH_PROFILES, leases.WISH_PROFILES, Retried.ARR_BUDGET, then=NEXT_SCAN_PROFILES
)

# An item's badges (scanner.badges): a poster read, drawn and replaced, within the hold
# limit; not retried, the next run plans the item again.
NEXT_SCAN_BADGES = "the next scan plans the item's badges again"
RUN_BADGES = TaskKind(Kind.RUN_BADGES, then=NEXT_SCAN_BADGES)
BADGES = TaskKind(Kind.BADGES, leases.BADGES, then=NEXT_SCAN_BADGES)

KINDS = (
    PLAN,
    ITEM,
    APPLY,
    SCHEDULE,
    RUN_ARTWORK,
    ARTWORK,
    RUN_PERSON_TRACKS,
    PERSON_TRACKS,
    RUN_PERSON_COUNTS,
    PERSON_COUNTS,
    SEERR,
    SEARCH,
    LOST_DUBS,
    NOTIFY,
    RUN_DEFAULT_TRACKS,
    DEFAULT_TRACKS,
    RUN_WISH_PROFILES,
    WISH_PROFILES,
    RUN_BADGES,
    BADGES,
)
