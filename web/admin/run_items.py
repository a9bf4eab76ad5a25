"""A run's items on its page, each in the state Taggarr's own rows give it
(scanner.reports.item_states): how many are in each state, and the items that are not
scanned (failed with the reason, waiting for a retry and until when, held by a worker,
not yet claimed), failed first. One read of the rows gives the page its counts, its
rows, its percentage while items are left (issue 93: never "100 %" above items not
taken) and what is left in words, with a link to the admin's list of those items (never
an API path). The page's script fetches the section again with its panel, so the two
never tell different stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from scanner.models import ScanItem, ScanRun
from scanner.reports.item_states import (
    STATE_LABELS,
    ItemState,
    ItemView,
    counts,
    item_views,
    run_items,
)
from scanner.reports.progress import percent_text
from web.labelled import label_value

SHOWN = 100  # items listed on the page; the admin's list of the run's items has them all

FINISHED = (ItemState.SCANNED, ItemState.FAILED)


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
    more_text: SafeString | str  # the items not listed, a sentence with its link; ""
    left_text: SafeString | str  # an ended run's items left, a sentence with its link; ""
    # While items are left (not scanned, not failed): the page's percentage and bar, as
    # the rows count them; "" and 0 leave the panel's own.
    percent: str
    bar_max: int
    bar_value: int

    def panel(self, view: dict[str, object]) -> dict[str, object]:
        """The live panel's figures with this section's percentage and bar, when it
        has them: one count of the items on the page."""
        if not self.percent:
            return view
        return {
            **view,
            "percent": self.percent,
            "bar_max": self.bar_max,
            "bar_value": self.bar_value,
        }


def run_items_of(run: ScanRun) -> RunItems:
    tally = counts(run)
    unscanned = run_items(run).exclude(status=ScanItem.Status.DONE)
    shown = item_views(run, unscanned[:SHOWN])
    finished = sum(tally[state] for state in FINISHED)
    left = sum(n for state, n in tally.items() if state not in FINISHED)
    more = max(0, tally[ItemState.FAILED] + left - len(shown))
    # Applying, the panel's percentage is the writing step's own (its m of n).
    figures = bool(left) and run.status != ScanRun.Status.APPLYING
    return RunItems(
        counts=[(str(STATE_LABELS[state]), n) for state, n in tally.items() if n],
        rows=[_row(view) for view in shown],
        more=more,
        more_text=_more_text(run, more),
        left_text=_left_text(run, tally[ItemState.NOT_SCANNED]),
        # Rounded down: 299 of 300 is 99 %, never 100 % with an item left.
        percent=percent_text(100 * finished // (finished + left)) if figures else "",
        bar_max=finished + left if figures else 0,
        bar_value=finished if figures else 0,
    )


def items_list_url(run: ScanRun, *statuses: str) -> str:
    """The admin's list of the run's items in ``statuses``."""
    status = {"status__exact": statuses[0]} if len(statuses) == 1 else {
        "status__in": ",".join(statuses)
    }  # fmt: skip
    query = urlencode({"run__id__exact": run.pk, **status})
    return f"{reverse('admin:scanner_scanitem_changelist')}?{query}"


def _more_text(run: ScanRun, more: int) -> SafeString | str:
    if not more:
        return ""
    url = items_list_url(run, ScanItem.Status.FAILED, ScanItem.Status.PENDING)
    text = ngettext(
        '%(count)d more item is not listed here: <a href="%(url)s">see every item of '
        "this run that is not scanned</a>.",
        '%(count)d more items are not listed here: <a href="%(url)s">see every item of '
        "this run that is not scanned</a>.",
        more,
    )
    return _with_link(text, more, url)


def _left_text(run: ScanRun, left: int) -> SafeString | str:
    """An ended run's items that were never scanned, in words: the run ended before
    them (an interrupted run's are scanned by Resume)."""
    if not left or run.is_active:
        return ""
    url = items_list_url(run, ScanItem.Status.PENDING)
    if run.status == ScanRun.Status.INTERRUPTED:
        text = ngettext(
            "The run was interrupted before %(count)d item was scanned; <strong>Resume"
            '</strong> scans it: <a href="%(url)s">see the item not scanned yet</a>.',
            "The run was interrupted before %(count)d items were scanned; <strong>Resume"
            '</strong> scans them: <a href="%(url)s">see the items not scanned yet</a>.',
            left,
        )
    else:
        text = ngettext(
            'The run ended before %(count)d item was scanned: <a href="%(url)s">see the '
            "item this run did not scan</a>.",
            'The run ended before %(count)d items were scanned: <a href="%(url)s">see the '
            "items this run did not scan</a>.",
            left,
        )
    return _with_link(text, left, url)


def _with_link(text: str, count: int, url: str) -> SafeString:
    # The catalog's sentence is the page's HTML, as a template's blocktranslate is; the
    # values put into it are escaped.
    return mark_safe(text % {"count": count, "url": escape(url)})  # noqa: S308


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
