"""An item's wanted languages in the admin (scanner.actions.wanted_languages): the form on
its page, the list's two bulk actions and the note beside its tag in the list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scanner.actions.wanted_languages import clean_wanted, set_wanted
from scanner.engine.target_aliases import typed_target
from scanner.engine.targets import ORIGINAL_ONLY, OWN_LIST
from scanner.language_names import language_list, readers_locale
from scanner.models import Event, Media
from web.admin.write_now import write_many_now, write_now

PERMISSION = "scanner.change_media"
# The form's choices, as scanner.actions.wanted_languages.clean_wanted takes them.
INSTANCE, ORIGINAL, OWN = "instance", "original", "own"


def wanted_note(media: Media) -> str:
    """What the list shows beside the item's tag: "original only", "own: French (Canada)";
    nothing when it follows its instance."""
    if media.wanted == ORIGINAL_ONLY:
        return gettext("original only")
    if media.wanted == OWN_LIST:
        own = list(media.targets_own or [])
        return ngettext("own target: %(languages)s", "own targets: %(languages)s", len(own)) % {
            "languages": language_list(own) or "-"
        }
    return ""


def with_wanted(cell: SafeString | str, media: Media) -> SafeString | str:
    """A tag cell of the list with the item's note, when it has one (small, below it)."""
    note = wanted_note(media)
    if not note:
        return cell
    return format_html('{}<br><small class="taggarr-wanted-note">{}</small>', cell, note)


def page_wanted(media: Media) -> dict[str, Any]:
    """The page's form: the choice now, its own targets as typed, who chose it."""
    choice = {ORIGINAL_ONLY: ORIGINAL, OWN_LIST: OWN}.get(media.wanted, INSTANCE)
    return {
        "choice": choice,
        "own": ", ".join(media.targets_own),
        "note": wanted_note(media),
        "by": media.wanted_by,
        "at": media.wanted_at,
        "instance_targets": language_list(list(media.instance.target_languages or [])),
    }


def typed_list(typed: str) -> list[str]:
    """Languages typed as a list: split at commas (``Spanish (Latino), de``: a name may
    hold spaces); a part that names no target is split at its spaces (``de fr``)."""
    given: list[str] = []
    for part in typed.replace(";", ",").split(","):
        words = part.split()
        if len(words) > 1 and typed_target(part, readers_locale()) is None:
            given.extend(words)
        elif words:
            given.append(" ".join(words))
    return given


def wanted_view(
    model_admin: admin.ModelAdmin[Media], request: HttpRequest, object_id: int
) -> HttpResponse:
    """The page's form: ``choice`` instance / original / own, with ``languages`` for own."""
    # The permission first: one without it gets the same 403 for an item that is not there.
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    media = get_object_or_404(Media.objects.select_related("instance"), pk=object_id)
    back = reverse("admin:scanner_media_change", args=[media.pk])
    choice = request.POST.get("choice", "")
    given: object = {INSTANCE: None, ORIGINAL: ORIGINAL_ONLY}.get(choice, choice)
    if choice == OWN:
        typed = request.POST.get("languages", "")[:500]
        given = typed_list(typed)
        if not given:
            model_admin.message_user(request, gettext("give at least one language"), messages.ERROR)
            return HttpResponseRedirect(back)
    try:
        wanted = clean_wanted(given)
    except ValidationError as exc:
        for message in exc.messages:  # each its own sentence, never joined (issue 71)
            model_admin.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(back)
    if set_wanted(media, wanted, user=request.user.get_username(), via=Event.Via.ADMIN):
        model_admin.message_user(
            request, gettext("Wanted languages saved; the tag was decided again.")
        )
        write_now(request, media)
    return HttpResponseRedirect(back)


def _set_all(
    model_admin: admin.ModelAdmin[Media],
    request: HttpRequest,
    queryset: QuerySet[Media],
    value: object,
) -> None:
    wanted = clean_wanted(value)
    user = request.user.get_username()
    changed = [
        media
        for media in queryset.select_related("instance")
        if set_wanted(media, wanted, user=user, via=Event.Via.ADMIN)
    ]
    text = ngettext(
        "Wanted languages set for %(count)d item and its tag decided again.",
        "Wanted languages set for %(count)d items and their tags decided again.",
        len(changed),
    )
    model_admin.message_user(request, text % {"count": len(changed)}, messages.SUCCESS)
    write_many_now(request, changed)


@admin.action(description=_("Wanted languages: original only"), permissions=["override"])
def wanted_original_only(
    model_admin: admin.ModelAdmin[Media], request: HttpRequest, queryset: QuerySet[Media]
) -> None:
    _set_all(model_admin, request, queryset, ORIGINAL_ONLY)


@admin.action(description=_("Wanted languages: as the instance"), permissions=["override"])
def wanted_as_instance(
    model_admin: admin.ModelAdmin[Media], request: HttpRequest, queryset: QuerySet[Media]
) -> None:
    _set_all(model_admin, request, queryset, None)
