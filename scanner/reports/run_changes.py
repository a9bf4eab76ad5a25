"""What a run changed or planned, item by item, and what it was asked to scan, in words:
"dub: Akira, Dark", "labels only: Cowboy Bebop (+semi-sub-en)", "Scope: Akira, Dark".
Read from the run's tag events (one query), so a count never stands without its items
and a label-only change is never counted as a new summary tag."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from scanner.engine.verdict import Tag
from scanner.models import Event, Media, ScanRun
from scanner.reports.tag_change_text import labels_change, same_tag

SHOWN = 5  # titles named per line; the rest are counted
EVENTS_READ = 2000


@dataclass(frozen=True, slots=True)
class ItemChange:
    title: str
    tag_from: str
    tag_to: str
    gained: tuple[str, ...]
    lost: tuple[str, ...]

    @property
    def tag_changed(self) -> bool:
        return not same_tag(self.tag_from, self.tag_to)

    def labels_text(self) -> str:
        """``+sub-fr, dub-de → semi-dub-de``."""
        return labels_change(self.lost, self.gained)


def item_changes(run: ScanRun) -> list[ItemChange]:
    """The run's tag changes (written, or planned by a dry run), by title."""
    kind = Event.Kind.TAG_PLANNED if run.dry_run else Event.Kind.TAG_CHANGED
    rows = (
        Event.objects.filter(run=run, kind=kind)
        .order_by("id")
        .values_list("media__title", "message", "data")[:EVENTS_READ]
    )
    changes = []
    for title, message, data in rows:
        data = data or {}
        before, after = set(data.get("labels_from") or []), set(data.get("labels_to") or [])
        changes.append(
            ItemChange(
                title=title or message.split(":", 1)[0],
                tag_from=data.get("from") or "none",
                tag_to=data.get("to") or "none",
                gained=tuple(sorted(after - before)),
                lost=tuple(sorted(before - after)),
            )
        )
    return changes


def change_lines(run: ScanRun) -> list[tuple[str, str]]:
    """Per new tag, the items that got it; then the items whose labels alone changed."""
    changes = item_changes(run)
    by_tag: dict[str, list[str]] = {}
    labels_only = []
    for change in changes:
        if change.tag_changed:
            by_tag.setdefault(change.tag_to, []).append(change.title)
        elif change.gained or change.lost:
            labels_only.append(f"{change.title} ({change.labels_text()})")
    said = gettext("Tag %(tag)s to set") if run.dry_run else gettext("Tag %(tag)s set")
    cleared = gettext("Tag to remove") if run.dry_run else gettext("Tag removed")
    lines = [
        (cleared if tag == Tag.NONE else said % {"tag": tag}, titles_text(titles))
        for tag, titles in sorted(by_tag.items())
    ]
    if labels_only:
        label = gettext("Labels only, planned") if run.dry_run else gettext("Labels only")
        lines.append((label, titles_text(labels_only)))
    return lines


def titles_text(titles: list[str]) -> str:
    """``Akira, Dark and 3 more``."""
    shown = ", ".join(titles[:SHOWN])
    rest = len(titles) - SHOWN
    return (
        ngettext("%(shown)s and %(rest)d more", "%(shown)s and %(rest)d more", rest)
        % {"shown": shown, "rest": rest}
        if rest > 0
        else shown
    )


def scope_text(run: ScanRun) -> str:
    """What the run was asked to scan: "everything", or the items' titles."""
    if not run.scope:
        return gettext("the whole library")
    titles = list(
        Media.objects.filter(instance_id=run.instance_id)
        .filter(run.instance.scope_filter(run.scope))
        .order_by("title")
        .values_list("title", flat=True)[:SHOWN]
    )
    count = len(run.scope)
    if not titles:
        return ngettext(
            "%(count)d item, no longer in the library",
            "%(count)d items, no longer in the library",
            count,
        ) % {"count": count}
    rest = count - len(titles)
    if rest > 0:
        more = ngettext("%(shown)s and %(rest)d more", "%(shown)s and %(rest)d more", rest)
        return more % {"shown": ", ".join(titles), "rest": rest}
    return ", ".join(titles)
