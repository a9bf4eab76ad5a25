"""A run's items on its page, each in the state Taggarr's own rows give it
(scanner.reports.item_states): how many are in each state, and the items that are not
scanned (failed with the reason, waiting for a retry and until when, held by a worker,
not yet claimed), failed first. The API has them all (``/api/scans/{id}/items/``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext

from scanner.models import ScanItem, ScanRun
from scanner.reports.item_states import (
    STATE_LABELS,
    ItemState,
    ItemView,
    counts,
    item_views,
    run_items,
)
from web.labelled import label_value

SHOWN = 100  # items listed on the page; the API pages through every one


@dataclass(frozen=True, slots=True)
class ItemRow:
    title: str
    media_url: str
    state: str
    detail: str  # the reason, or until when


@dataclass(frozen=True, slots=True)
class RunItems:
    counts: list[tuple[str, int]]  # (the state in words, how many), only states that have any
    rows: list[ItemRow]
    more: int  # not listed here
    api_url: str


def run_items_of(run: ScanRun) -> RunItems:
    tally = counts(run)
    unscanned = run_items(run).exclude(status=ScanItem.Status.DONE)
    shown = item_views(run, unscanned[:SHOWN])
    left = sum(n for state, n in tally.items() if state != ItemState.SCANNED)
    return RunItems(
        counts=[(str(STATE_LABELS[state]), n) for state, n in tally.items() if n],
        rows=[_row(view) for view in shown],
        more=max(0, left - len(shown)),
        api_url=reverse("scan-items", args=[run.pk]),
    )


def _row(view: ItemView) -> ItemRow:
    return ItemRow(
        title=view.title,
        media_url=reverse("admin:scanner_media_change", args=[view.media_id]),
        state=str(STATE_LABELS[view.state]),
        detail=_detail(view),
    )


def _detail(view: ItemView) -> str:
    if view.state == ItemState.WAITING_FOR_RETRY and view.retry_at is not None:
        until = gettext("until %(time)s") % {"time": _time(view.retry_at)}
        return label_value(until, view.error) if view.error else until
    if view.state == ItemState.HELD and view.leased_until is not None:
        return gettext("its lease runs until %(time)s (renewed while the worker lives)") % {
            "time": _time(view.leased_until)
        }
    return view.error


def _time(moment: datetime) -> str:
    return date_format(localtime(moment), "DATETIME_FORMAT")
