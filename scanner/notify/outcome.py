"""A run's end as the rules see it, read from the run and the events it recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scanner.engine.verdict import Tag
from scanner.errors import CAUSE_UNREACHABLE
from scanner.models import Event, ScanRun
from scanner.notify.rules import DubNews, RunOutcome
from scanner.reports.dub_news_text import swaps_of
from scanner.reports.event_sentences import run_error_text

# What the outcome reads of an event and of its item (the title).
EVENT_FIELDS = ("kind", "message", "data", "media", "media__title")


def run_outcome(run_id: int) -> RunOutcome | None:
    """None for a run that is gone or still active (nothing to tell yet)."""
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None or run.is_active:
        return None
    finished = Event.objects.filter(run=run, kind=Event.Kind.SCAN_FINISHED).order_by("-id").first()
    cause = finished.data.get("cause", "") if finished and isinstance(finished.data, dict) else ""
    # Only the fields the outcome reads: a first scan of a large library records a
    # TAG_CHANGED event for each of thousands of items, whose whole rows (verdict
    # reasons, the *arr's files) would all be held at once (bench/RESULTS.md).
    changed = (
        Event.objects.filter(run=run, kind=Event.Kind.TAG_CHANGED, data__to=Tag.WRONG_DUB)
        .select_related("media")
        .only(*EVENT_FIELDS)
    )
    became = tuple(
        event.media.title if event.media else event.message.partition(":")[0]
        for event in changed.order_by("id")
        if event.data.get("from") != Tag.WRONG_DUB  # labels changed, the tag did not
    )
    news = tuple(
        _dub_news(event)
        for event in Event.objects.filter(
            run=run, kind__in=(Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST)
        )
        .select_related("media")
        .only(*EVENT_FIELDS)
        .order_by("id")
    )
    return RunOutcome(
        run_id=run.pk,
        instance_id=run.instance_id,
        instance_name=run.instance.name,
        status=ScanRun.Status(run.status),
        error=run.error[:500],
        unreachable=cause == CAUSE_UNREACHABLE,
        dry_run=run.dry_run,
        became_wrong_dub=became,
        dub_news=news,
    )


# The worse a run's status, the more its end is the message's: a failure told over a
# success of the same command (``together``).
_WORSE = (ScanRun.Status.FAILED, ScanRun.Status.PARTIAL)


def together(last: RunOutcome, earlier: Sequence[RunOutcome]) -> RunOutcome:
    """The runs one command ran for an instance (``scan --inline``: what waited, then its
    own, ``last``) as one end, so that one scan sends one message per kind: their news
    and wrong dubs in order (a dry run's none), the status, error and number of the
    worst (a failure before a success is still told), the last's on a tie."""
    runs = (*earlier, last)
    worst = last
    for status in _WORSE:
        found = [each for each in runs if each.status == status]
        if found:
            worst = last if last.status == status else found[-1]
            break
    told = [each for each in runs if not each.dry_run]
    became = tuple(dict.fromkeys(title for each in told for title in each.became_wrong_dub))
    return replace(
        worst,
        dry_run=not told,
        became_wrong_dub=became,
        dub_news=tuple(news for each in told for news in each.dub_news),
    )


def _dub_news(event: Event) -> DubNews:
    data = event.data if isinstance(event.data, dict) else {}
    season = data.get("season")
    return DubNews(
        event.kind,
        str(data.get("language", "")),
        event.message,
        event.media_id,
        # An item deleted since: its title as the event's message begins.
        title=event.media.title if event.media else event.message.partition(":")[0],
        season=season if isinstance(season, int) else None,
        episodes=tuple(n for n in data.get("episodes") or [] if isinstance(n, int)),
        season_complete=bool(data.get("season_complete")),
        swaps=swaps_of(data.get("files")),
    )


def told_error(run_id: int) -> str:
    """The run's error as its page tells it, in the active language (the notifier's):
    why it failed or what its end counted, not the stored English of the log."""
    run = ScanRun.objects.filter(pk=run_id).first()
    return run_error_text(run)[:500] if run is not None else ""
