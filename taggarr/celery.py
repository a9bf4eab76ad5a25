"""The Celery app, with every setting written out.

With ``REDIS_URL`` the broker is Redis. Without it, the embedded broker is
kombu's filesystem transport in the data dir, made safe for several processes
(taggarr.embedded_broker: each message written whole before it is seen and taken by
one reader only, the exchange tables replaced whole under a lock): no server, shared by
the processes on one machine (web, worker, beat and the health check of ``make run``),
and the tasks and code paths are the same. Scan progress is tracked in our own
``ScanRun`` and ``ScanItem`` rows, not in a result backend: there is none.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from celery import Celery, signals
from kombu.entity import Queue

from taggarr.embedded_broker import SCHEME as EMBEDDED_BROKER

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")
# Celery's Django fixup runs Django's system checks when a worker starts
# (celery/fixups/django.py, DjangoWorkerFixup.validate_models) unless this is set. The
# checks load the URLconf, and with it every admin and API module that a worker never
# uses (INSTALLED_APPS' SimpleAdminConfig leaves them to the URLs for that reason): two
# thirds of a worker's start and 30 MB of each worker process. The web process runs
# the same checks as it starts (manage.py bootstrap), and `make check` and CI run them.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")
logger = logging.getLogger(__name__)


# The lanes (README, "Workers"): control work (beat's tick, the stalled-work recovery,
# plans, apply steps, notifications, searches, rescans by path, webhook scans) and the
# items, one message per media item. Every worker consumes both (docker/entrypoint.sh:
# -Q control,items; without -Q a worker consumes every queue declared here). Both
# brokers take turns between a worker's queues, so a backlog of items never holds the
# control work back by more than one item: kombu's Redis channel sends one BRPOP over
# the queues and moves the queue it got a message from to the end of its list
# (kombu/transport/redis.py, Channel._brpop_start and _brpop_read ->
# round_robin_cycle.rotate); the filesystem transport (the embedded broker) asks its
# queues in turn (kombu/transport/virtual/base.py, Channel._poll -> FairCycle.get).
CONTROL_QUEUE = "control"
ITEMS_QUEUE = "items"
# The tasks of one media item, or of a chunk of them, which may come by the hundred: the
# rest is control. (A run's artwork dispatcher, refresh_run_artwork, is control: it only
# sends the chunks.)
ITEM_TASKS = ("scanner.tasks.scan_item", "scanner.tasks.refresh_artwork_chunk")


def broker_settings(redis_url: str | None, broker_dir: Path) -> dict[str, Any]:
    if redis_url:
        return {
            "broker_url": redis_url,
            # task_acks_late: a message is acknowledged when its task ends; one that is
            # still unacknowledged after this long (its worker was killed, or its task
            # takes longer) is delivered again. The threads pool has no time limit:
            # what bounds a task is its lease (an item's, TAGGARR_SCAN_STALL_SECONDS,
            # renewed while its worker is alive and let go after TAGGARR_HOLD_SECONDS,
            # when scanner.worker.health restarts the worker; the plan's heartbeat and the
            # apply step's lease), after which beat's tick sends the work again from the
            # database, long before this. A second delivery writes nothing: an item task
            # finds its item done or held by another token, an apply step the step held
            # by another token or its run ended. An hour is longer than any step that
            # works.
            "broker_transport_options": {"visibility_timeout": 3600},
        }
    folders = {name: broker_dir / name for name in ("queue", "control", "processed")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": f"{EMBEDDED_BROKER}://localhost//",
        "broker_transport_options": {
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "control_folder": str(folders["control"]),
            "processed_folder": str(folders["processed"]),
            "store_processed": False,
            "polling_interval": 0.2,
        },
    }


def queue_settings() -> dict[str, Any]:
    return {
        "task_queues": (
            Queue(CONTROL_QUEUE, routing_key=CONTROL_QUEUE),
            Queue(ITEMS_QUEUE, routing_key=ITEMS_QUEUE),
        ),
        "task_default_queue": CONTROL_QUEUE,
        "task_default_routing_key": CONTROL_QUEUE,
        "task_routes": {name: {"queue": ITEMS_QUEUE} for name in ITEM_TASKS},
    }


def celery_settings(django_settings: Any) -> dict[str, Any]:
    return {
        **broker_settings(django_settings.REDIS_URL, django_settings.BROKER_DIR),
        **queue_settings(),
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,  # keep trying while Redis restarts
        "accept_content": ["json"],
        "task_serializer": "json",
        "event_serializer": "json",
        "timezone": django_settings.TIME_ZONE,
        "enable_utc": True,
        # Progress lives in our own rows (ScanRun, ScanItem: the run's page and
        # /api/runs/{id}/items/); nobody waits on a result, so there is no result
        # backend (Flower shows a task's result from the worker's events).
        "task_ignore_result": True,
        # A task is acknowledged when it finishes, so the message of a worker killed
        # mid-task is delivered again (broker_transport_options above); every step is
        # fenced, so that second delivery writes nothing twice.
        "task_acks_late": True,
        "worker_prefetch_multiplier": 1,
        # Threads, not processes: the item tasks of one worker run side by side in one
        # process, so that their claims and stores go to the database together
        # (scanner.pipeline.runtime.item_desk), while each task stays one item's. MediaInfo and
        # the file reads release the GIL; more cores: more worker processes (README).
        # The threads pool has no time limits nor memory recycling (and nothing of
        # prefork's: no child to lose, no task to cancel on a lost connection): the
        # worker's own watchdog (scanner.worker.health) restarts a worker with a step
        # held past TAGGARR_HOLD_SECONDS or memory past TAGGARR_WORKER_MAX_MEMORY_MB.
        "worker_pool": "threads",
        "worker_concurrency": django_settings.WORKER_CONCURRENCY,
        # A warm shutdown (SIGTERM) waits for the tasks in hand; the soft shutdown gives
        # them this long after a cold one (a second SIGTERM, or SIGQUIT), and inside
        # the container's stop_grace_period (2 min) it leaves room for the rest.
        "worker_soft_shutdown_timeout": 60.0,
        # Celery's Django fixup closes the database connection around every task unless
        # this is set: a new PostgreSQL session per item. Keep connections; Django's own
        # rules (CONN_MAX_AGE, health checks) recycle them, see _recycle_connections.
        "CELERY_DB_REUSE_MAX": 10**9,
        # Events for Flower.
        "worker_send_task_events": True,
        "task_send_sent_event": True,
        "beat_schedule_filename": str(django_settings.DATA_DIR / "celerybeat-schedule"),
        "beat_schedule": {
            "start-due-scans": {
                "task": "scanner.tasks.start_due_scans",
                "schedule": float(django_settings.SCHEDULE_TICK_SECONDS),
                # A late tick is dropped, never piled up.
                "options": {"expires": django_settings.SCHEDULE_TICK_SECONDS - 5},
            },
            # Instances that search for missing dubs on a schedule (off by default).
            "search-missing-dubs": {
                "task": "scanner.tasks.search_scheduled_dubs",
                "schedule": 3600.0,
                "options": {"expires": 3000},
            },
        },
    }


def _settings_from_django() -> dict[str, Any]:
    from django.conf import settings

    return celery_settings(settings)


@signals.setup_logging.connect
def _use_django_logging(**kwargs: Any) -> None:
    """With a receiver here Celery leaves logging alone: worker, beat and web all log
    through settings.LOGGING, at TAGGARR_LOG_LEVEL (celery's --loglevel is not used)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@signals.task_prerun.connect
@signals.task_postrun.connect
def _recycle_connections(**kwargs: Any) -> None:
    """What Django does around each request: drop connections that are broken or older
    than CONN_MAX_AGE."""
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_init.connect
def _load_tables_before_forking(**kwargs: Any) -> None:
    """The language tables, loaded once in the worker's main process before it forks its
    children. Otherwise each child loads them for its first item, and a webhook handled
    by a fresh child tags its item later than the others (bench/README.md)."""
    from scanner.engine.languages import load_tables

    load_tables()


@signals.worker_init.connect
def _refuse_another_encryption_key(**kwargs: Any) -> None:
    """A worker whose TAGGARR_ENCRYPTION_KEY is not the one the stored secrets were saved
    with (a worker on another host without the key, which then generated its own) stops
    here, saying so, instead of failing every scan step it takes."""
    from django.db import DatabaseError, connections

    from scanner.models.secrets import unreadable_secret

    try:
        secret = unreadable_secret()
    except DatabaseError as exc:  # not reachable or not migrated yet: the steps will say
        logger.warning("encryption key not checked at start (%s)", type(exc).__name__)
        return
    finally:
        connections.close_all()  # never hand the main process's connection to the children
    if secret is not None:
        message = (
            f"worker not started: its TAGGARR_ENCRYPTION_KEY cannot decrypt {secret}, "
            "saved with another key. Give every host the same TAGGARR_ENCRYPTION_KEY "
            "(README, 'Workers on more hosts')."
        )
        logger.critical("%s", message)
        raise SystemExit(message)


app = Celery("taggarr")
# A promise: read when Celery first needs its configuration, after Django's
# settings are loaded (settings.py itself imports this package).
app.add_defaults(_settings_from_django)
app.autodiscover_tasks()
