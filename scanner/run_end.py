"""What follows a run's end, declared once, in the order it is done: a worker's end of a
run sends each feature's tasks in this order (scanner.tasking.steps), ``scan --inline``
does each here in the same order (scanner.actions.scans). The quality profiles come
before the searches: a search grabs with the profile the item has.

A dry run is dry everywhere: its end does only what follows one without writing to a
file, an *arr, a server or Seerr (``dry``: the notification of a failure, the posters in
Taggarr's own store, what each person would hear; the profiles and the default tracks
plan nothing after a dry run, and no dub news is recorded by one, so no search follows).

The features are named by their module paths and imported when a run ends, not here:
``scan``'s start is a cron rescan's fixed cost (bench/RESULTS.md, issue 83), and the
Plex step (plexapi) and the Seerr answering load only when a run has something for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from scanner.models import ScanRun


@dataclass(frozen=True, slots=True)
class Follower:
    """One feature's part of a run's end: ``sent`` (``module:function``, the run's id)
    sends its tasks to the workers; ``here`` does it in this process (``scan --inline``;
    None: the command sends it to the workers itself, the posters); ``dry``: it follows
    a dry run's end too; ``told``: it tells people, once for all the runs one command ran
    for an instance (``here`` then takes the other runs' ids as ``also``)."""

    feature: str
    sent: str
    here: str | None
    dry: bool = True
    told: bool = False


RUN_END: Final = (
    Follower(
        "notify", "scanner.notify.tasks:after_run", "scanner.notify.dispatch:notify_run_ended",
        told=True,
    ),
    Follower("artwork", "scanner.artwork.tasks:after_run", None),
    Follower("household", "scanner.household.tasks:after_run", "scanner.household.run_end:here"),
    Follower(
        "wish_profiles", "scanner.wish_profiles.tasks:after_run",
        "scanner.wish_profiles.act:ACT.run_inline",
    ),
    Follower(
        "searches", "scanner.searches.tasks:after_run", "scanner.searches.lost_dubs:win_back",
        dry=False,
    ),
    Follower("seerr", "scanner.seerr.tasks:after_run", "scanner.seerr.run_end:here", dry=False),
    Follower(
        "default_tracks", "scanner.default_tracks.tasks:after_run",
        "scanner.default_tracks.act:ACT.run_inline",
    ),
    Follower("badges", "scanner.badges.tasks:after_run", "scanner.badges.act:ACT.run_inline"),
)  # fmt: skip


def function(path: str) -> Callable[..., object]:
    """The function a ``module:function`` path names (imported now); ``module:ACT.method``
    names an act's method (scanner.changes)."""
    module, _, name = path.partition(":")
    found: Any = importlib.import_module(module)
    for each in name.split("."):
        found = getattr(found, each)
    called: Callable[..., object] = found
    return called


def _followers(run_id: int) -> tuple[Follower, ...]:
    dry = ScanRun.objects.filter(pk=run_id, dry_run=True).exists()
    return tuple(each for each in RUN_END if each.dry or not dry)


def send_end(run_id: int) -> None:
    """A worker's end of run ``run_id``: each follower's tasks sent, in order."""
    for each in _followers(run_id):
        function(each.sent)(run_id)


def end_here(run_id: int, *, told_with: Sequence[int] = (), tell: bool = True) -> None:
    """``scan --inline``'s end of run ``run_id``: each follower done here, in order.
    ``tell``: False for a run whose telling comes with a later run's (the runs that
    waited for the instance, told with the command's own, ``told_with``)."""
    for each in _followers(run_id):
        if each.here is None or (each.told and not tell):
            continue
        if each.told:
            function(each.here)(run_id, also=tuple(told_with))
        else:
            function(each.here)(run_id)


def tell_here(run_id: int, *, told_with: Sequence[int] = ()) -> None:
    """Only the telling of run ``run_id``'s end, with ``told_with``'s: the runs that
    waited, when the command's own run did not start after them."""
    for each in _followers(run_id):
        if each.told and each.here is not None:
            function(each.here)(run_id, also=tuple(told_with))
