"""A person's word on an item's tracks of unknown variety in the admin
(scanner.actions.settled_varieties): the media page's buttons ("is Canadian French" /
"is not"), and the media list's actions for the items the filter *variety unknown
decided* lists ("Settle: French of unknown variety is Canadian French"), one per
regional target of the instances."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from scanner.actions.settled_varieties import (
    clean_settlements,
    regional_choices,
    settle_varieties,
    undecided,
)
from scanner.engine.targets import is_regional, settled_language
from scanner.engine.varieties import NOT
from scanner.language_names import language_name
from scanner.models import Event, Instance, Media
from web.admin.write_now import write_many_now, write_now

PERMISSION = "scanner.change_media"
ACTION_PREFIX = "settle_variety"

_Action = tuple[Callable[..., Any], str, str]


def settle_view(
    model_admin: admin.ModelAdmin[Media], request: HttpRequest, object_id: int
) -> HttpResponse:
    """The media page's buttons: one language's tracks of unknown variety are one of the
    instance's regional targets of it, none of them ("not"), or unsettled ("")."""
    if not request.user.has_perm(PERMISSION):  # first: the same 403 for an item not there
        raise PermissionDenied
    media = get_object_or_404(Media.objects.select_related("instance"), pk=object_id)
    back = reverse("admin:scanner_media_change", args=[media.pk])
    given = {request.POST.get("language", ""): request.POST.get("variety", "")}
    try:
        changes = clean_settlements(media.instance, given, media)
    except ValidationError as exc:
        for message in exc.messages:  # each its own sentence, never joined (issue 71)
            model_admin.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(back)
    if settle_varieties(media, changes, user=request.user.get_username(), via=Event.Via.ADMIN):
        model_admin.message_user(request, gettext("Variety saved; the tag was decided again."))
        write_now(request, media)
    return HttpResponseRedirect(back)


def settle_actions(request: HttpRequest) -> dict[str, _Action]:
    """The media list's settling actions, per regional target of the instances (and its
    "not"); none for a user who may not change media."""
    if not request.user.has_perm(PERMISSION):
        return {}
    targets: dict[str, list[str]] = {}
    for listed in Instance.objects.values_list("target_languages", flat=True):
        for target in listed if isinstance(listed, list) else []:
            if isinstance(target, str) and is_regional(target):
                among = targets.setdefault(settled_language(target), [])
                if target not in among:
                    among.append(target)
    actions: dict[str, _Action] = {}
    for language, varieties in sorted(targets.items()):
        name = language_name(language)
        for value in [*varieties, NOT]:
            key = f"{ACTION_PREFIX}:{language}:{value}"
            if value == NOT:
                text = ngettext(
                    "Settle: %(language)s of unknown variety is not %(varieties)s",
                    "Settle: %(language)s of unknown variety is none of these varieties: "
                    "%(varieties)s",
                    len(varieties),
                )
                shown = ", ".join(language_name(variety) for variety in varieties)
                description = text % {"language": name, "varieties": shown}
            else:
                text = gettext("Settle: %(language)s of unknown variety is %(variety)s")
                description = text % {"language": name, "variety": language_name(value)}
            actions[key] = (_action(language, value), key, description)
    return actions


def _action(language: str, value: str) -> Callable[..., None]:
    def settle(
        model_admin: admin.ModelAdmin[Media], request: HttpRequest, queryset: QuerySet[Media]
    ) -> None:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        user, settled = request.user.get_username(), []
        for media in queryset.filter(variety_unknown=True).select_related("instance"):
            choices = regional_choices(media.instance, media).get(language, [])
            allowed = language in undecided(media) and (value == NOT or value in choices)
            if allowed and settle_varieties(
                media, {language: value}, user=user, via=Event.Via.ADMIN
            ):
                settled.append(media)
        text = ngettext(
            "Variety settled for %(count)d item and its tag decided again.",
            "Variety settled for %(count)d items and their tags decided again.",
            len(settled),
        )
        model_admin.message_user(request, text % {"count": len(settled)}, messages.SUCCESS)
        write_many_now(request, settled)

    return settle
