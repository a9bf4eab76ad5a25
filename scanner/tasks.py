"""Every Celery task of the scanner, gathered: Celery's autodiscovery (taggarr/celery.py)
imports this module, and so registers each task under its name, ``scanner.tasks.<name>``
(the names beat's schedule, the routes and the messages in flight know).

Only wiring lives here. The tasks are declared by their kinds (scanner.tasking.kinds:
each kind's registry step, lease, hold limit, retries and give-up, once) on the base
classes that act on them (scanner.tasking.base), next to what they run: a run's own
steps and the one place that sends work (scanner.tasking.steps), beat's tick
(scanner.tasking.schedule), and each feature's tasks in its package (scanner.seerr,
scanner.household, scanner.searches, scanner.artwork, scanner.notify: ``tasks.py``).
What follows a run's end is declared once in scanner.run_end.
"""

from __future__ import annotations

from scanner.artwork.tasks import queue_artwork, refresh_artwork_chunk, refresh_run_artwork
from scanner.badges.tasks import apply_badges, plan_badges, plan_run_badges, undo_badges
from scanner.default_tracks.tasks import (
    apply_default_tracks,
    plan_default_tracks,
    plan_default_tracks_again,
    plan_run_default_tracks,
    undo_default_tracks,
)
from scanner.household.tasks import (
    count_person_tracks,
    queue_person_count,
    recount_run_people,
    set_person_tracks,
    set_run_person_tracks,
)
from scanner.notify.tasks import notify_run_ended, send_notifier_test, send_test_notification
from scanner.searches.tasks import (
    ask_missing_searches,
    search_missing_dubs,
    search_scheduled_dubs,
    send_missing_search,
    win_back_lost_dubs,
)
from scanner.seerr.tasks import answer_seerr_asks, follow_seerr_run, send_seerr_answers
from scanner.tasking.base import SideTask
from scanner.tasking.schedule import queued_messages, start_due_scans
from scanner.tasking.steps import (
    ItemFailed,
    StepTask,
    apply_scan,
    enqueue,
    plan_scan,
    scan_item,
    send,
)
from scanner.wish_profiles.tasks import (
    apply_wish_profiles,
    follow_wish_profile,
    plan_run_wish_profiles,
    undo_wish_profiles,
)

# A run's end (its notification, artwork, people's tracks and counts, quality profiles,
# lost dubs, Seerr asks, default tracks, badges) is declared once, in its order, in
# scanner.run_end: the workers' end of a run and ``scan --inline`` both read it.

__all__ = [
    "ItemFailed",
    "SideTask",
    "StepTask",
    "answer_seerr_asks",
    "apply_badges",
    "apply_default_tracks",
    "apply_scan",
    "apply_wish_profiles",
    "ask_missing_searches",
    "count_person_tracks",
    "enqueue",
    "follow_seerr_run",
    "follow_wish_profile",
    "notify_run_ended",
    "plan_badges",
    "plan_default_tracks",
    "plan_default_tracks_again",
    "plan_run_badges",
    "plan_run_default_tracks",
    "plan_run_wish_profiles",
    "plan_scan",
    "queue_artwork",
    "queue_person_count",
    "queued_messages",
    "recount_run_people",
    "refresh_artwork_chunk",
    "refresh_run_artwork",
    "scan_item",
    "search_missing_dubs",
    "search_scheduled_dubs",
    "send",
    "send_missing_search",
    "send_notifier_test",
    "send_seerr_answers",
    "send_test_notification",
    "set_person_tracks",
    "set_run_person_tracks",
    "start_due_scans",
    "undo_badges",
    "undo_default_tracks",
    "undo_wish_profiles",
    "win_back_lost_dubs",
]
