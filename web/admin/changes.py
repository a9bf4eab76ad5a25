"""Changes (issue 93, item 3: one review in front of the user): what Taggarr plans to do
and did to the files and the *arrs, every act together on one page, newest first. Each
row says its act, its instance, its item, what it moves from and to, its state and why,
and when; a planned row leads to its act's Apply, a written one to its act's Undo, each
asked first on the act's own confirmation page (its list's action, the row selected).

The page names no act: the acts are the change flow's (scanner.changes.registry), their
rows merged by time a page at a time (scanner.changes.review.page_of), each said as its
act's page says it (web.admin.changes_review)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from scanner.changes.act import Act
from scanner.changes.review import (
    MAX_DEPTH,
    Filters,
    journal_of,
    page_of,
    readable,
    review_of,
)
from scanner.models import Instance, Media
from web.admin.changes_review import cells

PER_PAGE = 50
ITEM_LINES = 10  # the item's page: its newest changes, the rest on the Changes page
INSTANCES_LISTED = 100  # the instance filter's choices (a household has a few)
# Each act's list has these two actions, each asked first on its confirmation page.
APPLY_ACTION = "apply_planned"
UNDO_ACTION = "undo_written"
FILTERS = ("act", "instance", "media", "state")


def number(value: str | None) -> int | None:
    """An id or a page from the address: ASCII digits within a bigint; else None."""
    if value and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def visible_acts(request: HttpRequest) -> list[Act]:
    """The acts whose journal the person may read."""
    return readable(request.user.has_perm)


def list_url(act: Act) -> str:
    meta = journal_of(act)._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def may_operate(request: HttpRequest) -> bool:
    """Applying and undoing is operating the scanner, as on the acts' own lists."""
    return request.user.has_perm("scanner.change_instance")


def state_choices(acts: list[Act]) -> list[tuple[str, str]]:
    """Every state an act's rows may be in, once, named as the first act names it."""
    found: dict[str, str] = {}
    for act in acts:
        field = journal_of(act)._meta.get_field("state")
        for code, name in getattr(field, "choices", None) or []:
            found.setdefault(str(code), str(name))
    return list(found.items())


def changes_page(request: HttpRequest) -> HttpResponse:
    acts = visible_acts(request)
    if not acts:
        raise PermissionDenied
    asked = {name: request.GET.get(name, "")[:30] for name in FILTERS}
    known = {act.name for act in acts}
    # A value the page cannot take (a word where an id goes, an act not known): nothing
    # matches it, and the filter shows it as chosen.
    unknown = (
        (asked["act"] and asked["act"] not in known)
        or (asked["instance"] and number(asked["instance"]) is None)
        or (asked["media"] and number(asked["media"]) is None)
    )
    filters = Filters(
        act=asked["act"],
        instance=number(asked["instance"]),
        media=number(asked["media"]),
        state=asked["state"],
    )
    wanted = number(request.GET.get("p")) or 1
    page = page_of(filters, wanted, PER_PAGE, acts=acts) if not unknown else None
    entries = page.entries if page is not None else []
    operate = may_operate(request)
    rows = [_row(entry, said, operate) for entry, said in zip(entries, cells(entries), strict=True)]
    kept = {name: value for name, value in asked.items() if value}
    item = (
        Media.objects.filter(pk=filters.media).values_list("title", flat=True).first()
        if filters.media
        else None
    )
    context = {
        **admin.site.each_context(request),
        "title": gettext("Changes"),
        "rows": rows,
        "page": page,
        "acts": [(act.name, review_of(act).label()) for act in acts],
        "instances": list(
            Instance.objects.order_by("name").values_list("pk", "name")[:INSTANCES_LISTED]
        ),
        "states": state_choices(acts),
        "asked": asked,
        "item_title": item,
        "filtered": bool(kept),
        "previous_url": _page_url(kept, page.number - 1) if page and page.has_previous else "",
        "next_url": _page_url(kept, page.number + 1) if page and page.has_next else "",
        "deepest": page is not None
        and page.number >= page.last_number
        and wanted >= page.last_number,
        "max_depth": MAX_DEPTH,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/changes/change_list.html", context)


def item_section(request: HttpRequest, media: Media) -> dict[str, Any] | None:
    """The item's page (admin/changes/item_changes.html): its newest changes of every act
    the person may read, each row as on the Changes page, and the page filtered by it when
    it has more; None when the person may read no act's changes."""
    acts = visible_acts(request)
    if not acts:
        return None
    page = page_of(Filters(media=media.pk), 1, ITEM_LINES, acts=acts)
    operate = may_operate(request)
    rows = [
        _row(entry, said, operate)
        for entry, said in zip(page.entries, cells(page.entries), strict=True)
    ]
    more = reverse("taggarr-changes") + "?" + urlencode({"media": media.pk})
    return {
        "rows": rows,
        "all_url": more if page.has_next else "",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }


def _page_url(kept: dict[str, str], number: int) -> str:
    return "?" + urlencode({**kept, "p": number})


def _row(entry: Any, said: Any, operate: bool) -> dict[str, Any]:
    line = entry.line
    action = ""
    if operate and line.applicable:
        action = APPLY_ACTION
    elif operate and line.undoable:
        action = UNDO_ACTION
    return {
        "line": line,
        "cells": said,
        "item_url": reverse("admin:scanner_media_change", args=[line.media_id])
        if line.media_id is not None
        else "",
        "act_url": list_url(entry.act),
        "action": action,
    }
