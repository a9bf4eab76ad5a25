"""The admin's side of "a decision takes effect at once" (scanner.actions.write_now): the
run that writes a decided item's tags, started after the decision is saved, and one
sentence that says what was started, with a link to the run."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from scanner.actions.write_now import (
    Writing,
    no_worker_sentence,
    write_decision,
    write_decisions,
)
from scanner.errors import ConfigError
from scanner.models import Media, ScanRun
from scanner.reports.progress import run_name
from web.admin.review import run_link


def write_now(request: HttpRequest, media: Media) -> Writing | None:
    """Write the item's decided tags now, and say so on the next page."""
    try:
        writing = write_decision(media, trigger=ScanRun.Trigger.MANUAL)
    except ConfigError as exc:
        text = gettext("The tags of “{title}” are not written: {error}.")
        messages.error(request, format_html(text, title=media.title, error=str(exc)))
        return None
    messages.success(request, writing_sentence(writing, media.title))
    if not writing.worker_running:
        messages.warning(request, no_worker_sentence())
    return writing


def write_many_now(request: HttpRequest, items: list[Media]) -> None:
    """The same for a list's bulk action: one run per instance."""
    by_instance: dict[int, list[Media]] = defaultdict(list)
    for media in items:
        by_instance[media.instance_id].append(media)
    no_worker = False
    for group in by_instance.values():
        instance = group[0].instance
        try:
            writing = write_decisions(instance, group, trigger=ScanRun.Trigger.MANUAL)
        except ConfigError as exc:
            text = gettext("%(instance)s: not started, %(error)s.")
            messages.error(request, text % {"instance": instance.name, "error": exc})
            continue
        no_worker = no_worker or not writing.worker_running
        if len(group) == 1:
            messages.success(request, writing_sentence(writing, group[0].title))
            continue
        count, run = len(group), writing.run or writing.active
        link = run_link(run, run_name(run)) if run else ""
        if writing.run is None:
            text = ngettext(
                "The tags of {count} item are written when {run} ends.",
                "The tags of {count} items are written when {run} ends.",
                count,
            )
        elif writing.run.dry_run:
            text = ngettext(
                "The tags of {count} item are being planned, not written (dry run): {run}.",
                "The tags of {count} items are being planned, not written (dry run): {run}.",
                count,
            )
        else:
            text = ngettext(
                "The tags of {count} item are being written: {run}.",
                "The tags of {count} items are being written: {run}.",
                count,
            )
        messages.success(request, format_html(text, count=count, run=link))
    if no_worker:
        messages.warning(request, no_worker_sentence())


def writing_sentence(writing: Writing, title: str) -> SafeString:
    """The sentence, escaped but for the run's link (the admin's)."""
    if writing.run is None:
        active = writing.active
        link = run_link(active, run_name(active)) if active else gettext("another scan")
        text = gettext("The tags of “{title}” are written when {run} ends.")
        return format_html(text, title=title, run=link)
    link = run_link(writing.run, run_name(writing.run))
    if writing.run.dry_run:
        text = gettext("The tags of “{title}” are being planned, not written (dry run): {run}.")
    else:
        text = gettext("The tags of “{title}” are being written: {run}.")
    return format_html(text, title=title, run=link)
