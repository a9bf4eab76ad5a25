"""Winning a lost dub back (issue 62): when a run told that an upgrade lost a target
language (its ``dub_lost`` events: the old file had it, the new one has not), an
instance that opted in acts once per new file (``Instance.lost_dub_action``):

- ``tell``: nothing more (the default; the news is the event and its notification);
- ``search``: the bounded search for missing dubs, for those episodes or the movie
  (scanner.searches.send; its daily bound and interval hold);
- ``mark_failed``: the new file's grab marked failed in the *arr's history, which
  blocklists that release and makes the *arr search for another
  (scanner.searches.lost_dub_grabs); it spends the same daily bound (a row of
  MissingSearch, trigger ``lost_dub``), as the *arr searches again. Destructive, so
  only on proof (issue 67): the new file's own tracks show the target absent
  (scanner.engine.lost_proof) and the *arr imported it after the old file was told
  (a real upgrade, not a file changed in place); anything less is told, never marked.
  ``scanner.searches.lost_dub_undo`` takes a marked release off the *arr's blocklist.

Each action is an event (kind ``lost_dub_action``) recorded before the *arr is asked,
under the instance's row lock: the files it names (path and size) are never acted on
again, by a task delivered twice or a later run. Its outcome is written into the same
event: a code and its values in ``data`` (the pages word it: scanner/searches/lost_dub_text.py),
the English record in ``message``. A worker does it after the run (scanner.tasks).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner import names
from scanner.arr.history import Grab, parse_date
from scanner.engine.listened import listened
from scanner.engine.lost_proof import doubt
from scanner.engine.tracks import AudioTrack
from scanner.models import Event, Instance, Media, MissingSearch, ScanRun
from scanner.models.choices import LostDubAction, stored_code
from scanner.models.choices import LostDubOutcome as Outcome
from scanner.searches.lost_dub_grabs import ALREADY_MARKED, GrabsMarked, mark_grabs_failed
from scanner.searches.plan import searched_today
from scanner.searches.send import ask_reserved, reserve_searches

logger = logging.getLogger(__name__)

TELL, SEARCH = LostDubAction.TELL, LostDubAction.SEARCH
KIND = Event.Kind.LOST_DUB_ACTION


def due(run_id: int) -> bool:
    """Whether the run told a lost dub on an instance that acts on one (one query)."""
    return (
        Event.objects.filter(run_id=run_id, kind=Event.Kind.DUB_LOST, media__isnull=False)
        .exclude(instance__lost_dub_action=TELL)
        .exists()
    )


def win_back(run_id: int, now: datetime | None = None) -> int:
    """Act on the lost dubs the run told; the actions recorded."""
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None or run.instance.lost_dub_action == TELL or not run.instance.is_arr:
        return 0
    now = now or timezone.now()
    acted = 0
    for media, lost in _losses(run).items():
        event = _record(run.instance, media, lost, now)
        if event is not None:
            _act(event, media, lost)
            acted += 1
    return acted


class Lost:
    """An item's losses told by one run: the new files, the episodes, the languages."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int | None, int | None]] = {}  # path -> (season, ep)
        self.episodes: set[tuple[int, int]] = set()
        self.languages: set[str] = set()
        self.since: datetime | None = None  # when the old files were last told


def _losses(run: ScanRun) -> dict[Media, Lost]:
    found: dict[int, Lost] = defaultdict(Lost)
    items: dict[int, Media] = {}
    events = Event.objects.filter(run=run, kind=Event.Kind.DUB_LOST, media__isnull=False)
    for event in events.select_related("media").order_by("pk"):
        data = event.data if isinstance(event.data, dict) else {}
        if event.media is None:
            continue
        lost = found[event.media.pk]
        items[event.media.pk] = event.media
        season = data.get("season")
        lost.languages.add(str(data.get("language") or ""))
        lost.since = parse_date(data.get("since"))
        for each in data.get("files") or []:
            episode = each.get("episode") if isinstance(each, dict) else None
            if isinstance(each, dict) and isinstance(each.get("new"), str):
                lost.files[each["new"]] = (season, episode)
            if isinstance(season, int) and isinstance(episode, int):
                lost.episodes.add((season, episode))
    return {items[media_id]: lost for media_id, lost in found.items()}


def _file_keys(media: Media, paths: list[str]) -> list[list[Any]]:
    """Each new file as [path, size]: what the memory of actions holds."""
    sizes = {names.display(path): size for path, size in media.files.values_list("path", "size")}
    return [[path, sizes.get(path)] for path in sorted(paths)]


def _done(media: Media) -> list[list[Any]]:
    done: list[list[Any]] = []
    for data in Event.objects.filter(media=media, kind=KIND).values_list("data", flat=True):
        done += (data or {}).get("files") or []
    return done


def _record(instance: Instance, media: Media, lost: Lost, now: datetime) -> Event | None:
    """The action's event, with its reservation under the daily bound; None when each of
    its files was acted on already."""
    with transaction.atomic():
        instance = Instance.objects.select_for_update().get(pk=instance.pk)
        done = _done(media)
        fresh = [key for key in _file_keys(media, list(lost.files)) if key not in done]
        if not fresh:
            return None
        lost.files = {path: lost.files[path] for path, _size in fresh}
        data: dict[str, Any] = {
            "action": instance.lost_dub_action,
            "outcome": Outcome.PENDING,
            "languages": sorted(lost.languages),
            "episodes": [list(pair) for pair in sorted(lost.episodes)],
            "files": fresh,
        }
        event = Event.objects.create(
            instance=instance, media=media, kind=KIND, message=_message(media, data), data=data
        )
        if instance.lost_dub_action == SEARCH:
            wanted = lost.episodes if media.kind == Media.Kind.SERIES else None
            plan, rows = reserve_searches(
                [media.pk], trigger=MissingSearch.Trigger.LOST_DUB, now=now, episodes=wanted
            )
            data["reserved"] = rows
            if not rows:
                reason = plan.skipped[0].reason if plan.skipped else ""
                _outcome(event, Outcome.NOT_SEARCHED, reason=str(reason))
        else:
            count = len(lost.episodes) or 1
            if instance.search_daily_limit - searched_today(instance, now) < count:
                _outcome(event, Outcome.BOUND, limit=instance.search_daily_limit)
            else:
                data["reserved"] = [_reserve(instance, media, lost, count).pk]
        if data["outcome"] == Outcome.PENDING:
            event.save(update_fields=["data"])
    return event


def _reserve(instance: Instance, media: Media, lost: Lost, count: int) -> MissingSearch:
    return MissingSearch.objects.create(
        instance=instance,
        media=media,
        title=media.title[:500],
        episodes=[list(pair) for pair in sorted(lost.episodes)],
        searched=count,
        trigger=MissingSearch.Trigger.LOST_DUB,
    )


def _act(event: Event, media: Media, lost: Lost) -> None:
    """Ask the *arr (outside any transaction); the outcome into the event."""
    data = event.data
    if data["outcome"] != Outcome.PENDING:
        return
    if data["action"] == SEARCH:
        report = ask_reserved(data["reserved"])
        if report.asked:
            _outcome(event, Outcome.SEARCHED, episodes=report.asked[0].episodes)
        elif report.skipped:
            _outcome(event, Outcome.NOT_SEARCHED, reason=str(report.skipped[0].reason))
        else:
            _outcome(event, Outcome.FAILED, error="; ".join(report.failed))
        return
    (row_id,) = data["reserved"]
    proven, unsure = _proven(media, lost)
    outcome = GrabsMarked()
    if proven:
        outcome = mark_grabs_failed(media, proven, lost.since, _claimer(event))
    row = MissingSearch.objects.filter(pk=row_id).first()
    if row is not None:
        if outcome.marked:
            row.arr_ids, row.searched = outcome.arr_ids, len(outcome.arr_ids) or 1
            row.save(update_fields=["arr_ids", "searched"])
        else:
            row.delete()  # nothing asked: the bound gets it back
    if outcome.marked:
        _outcome(event, Outcome.MARKED_FAILED, releases=outcome.marked, grabs=outcome.grabs)
    elif outcome.error:
        _outcome(event, Outcome.FAILED, error=outcome.error)
    elif outcome.doubt == ALREADY_MARKED:
        _outcome(event, Outcome.ALREADY_MARKED)
    elif outcome.doubt or unsure:
        _outcome(event, Outcome.NOT_CERTAIN, reason=outcome.doubt or unsure)
    else:
        _outcome(event, Outcome.NO_GRAB)


def _proven(media: Media, lost: Lost) -> tuple[dict[str, tuple[int | None, int | None]], str]:
    """The new files whose own tracks prove each lost target absent, and why another
    does not ("" when all do): a label, a word or a variety is no proof
    (scanner.engine.lost_proof). The tracks as the scan stored them, with what was heard
    as the instance counts it."""
    mode = media.instance.identify_audio_language
    stored = {
        names.display(path): tracks
        for path, tracks in media.files.filter(error="").values_list("path", "audio_tracks")
    }
    proven: dict[str, tuple[int | None, int | None]] = {}
    unsure = ""
    for path, place in lost.files.items():
        if path not in stored:
            unsure = unsure or "not_read"
            continue
        tracks = listened([AudioTrack.from_dict(track) for track in stored[path]], mode)
        why = next(filter(None, (doubt(tracks, code) for code in sorted(lost.languages))), "")
        if why:
            unsure = unsure or why
        else:
            proven[path] = place
    return proven, unsure


def _claimer(event: Event) -> Callable[[Grab], bool]:
    """A grab claimed for this action under the instance's row lock: refused when an
    action of the instance claimed its history or download id before (marked it, or is
    marking it now); kept in the event's ``grabs`` before the *arr is asked."""

    instance_id = int(event.instance_id or 0)

    def claim(grab: Grab) -> bool:
        with transaction.atomic():
            Instance.objects.select_for_update().filter(pk=instance_id).first()
            if {grab.id, grab.download_id} & _claimed(instance_id):
                return False
            row = Event.objects.select_for_update().get(pk=event.pk)
            row.data = {**row.data, "grabs": [*(row.data.get("grabs") or []), grab.to_data()]}
            row.save(update_fields=["data"])
        event.data = {**event.data, "grabs": row.data["grabs"]}
        return True

    return claim


def _claimed(instance_id: int) -> set[Any]:
    """The history and download ids of every grab the instance's actions claimed."""
    found: set[Any] = set()
    rows = Event.objects.filter(instance_id=instance_id, kind=KIND).values_list("data", flat=True)
    for data in rows:
        for grab in (data or {}).get("grabs") or []:
            if isinstance(grab, dict):
                found |= {grab.get("id"), grab.get("download_id")} - {None, ""}
    return found


def _outcome(event: Event, code: Outcome, **values: Any) -> None:
    event.data = {**event.data, "outcome": code, **values}
    event.message = _message(event.media, event.data)[:2000]
    event.save(update_fields=["data", "message"])
    logger.info("lost dub of %s: %s", event.media.title if event.media else "?", event.message)


def _message(media: Media | None, data: dict[str, Any]) -> str:
    """The history's English record (the pages word it in the reader's language)."""
    title = media.title if media else "?"
    lost = ", ".join(data.get("languages") or [])
    outcome = stored_code(Outcome, data.get("outcome"))
    said = {
        Outcome.PENDING: f"{data.get('action')} started",
        Outcome.SEARCHED: "searched again",
        Outcome.NOT_SEARCHED: f"not searched again ({data.get('reason', '')})",
        Outcome.MARKED_FAILED: f"grab marked failed ({', '.join(data.get('releases') or [])})",
        Outcome.NOT_CERTAIN: f"nothing marked failed: not proven ({data.get('reason', '')})",
        Outcome.ALREADY_MARKED: "its grab was marked failed already",
        Outcome.NO_GRAB: "no grab of the new file in the *arr's history",
        Outcome.BOUND: f"nothing done: the daily bound ({data.get('limit')}) is reached",
        Outcome.FAILED: f"the *arr could not be asked: {data.get('error', '')}",
    }
    return f"{title}: {lost} lost: {said[outcome] if outcome else data.get('outcome')}"
