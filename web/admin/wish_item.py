"""An item's quality profile on its page (issue 82): its wish, the profile its instance's
mapping gives that wish, the profile the *arr has now, the user's hand (a profile changed
in the *arr after Taggarr set it: left alone) with "Follow its wish again", and its
latest changes with a link to all of them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from scanner.models import Event, ItemProfile, Media, ProfileChange, WishProfile
from scanner.wish_profiles.hand import release_hand
from scanner.wish_profiles.profile_names import fill_names, known_names
from scanner.wish_profiles.wishes import wish_of_media
from scanner.wish_profiles.words import profile_label, wish_label
from web.admin.wish_words import Row

CHANGES_SHOWN = 5


def item_section(media: Media) -> dict[str, Any] | None:
    """The section's values; None when the feature never touched the item and its
    instance maps no wish (nothing to say)."""
    instance = media.instance
    if not instance.is_arr:
        return None
    state = ItemProfile.objects.filter(media=media).first()
    mapped = WishProfile.objects.filter(instance=instance).exists()
    if state is None and not mapped:
        return None
    wish = wish_of_media(media, instance)
    row = WishProfile.objects.filter(instance=instance, wish=wish).first() if wish else None
    changes = list(
        ProfileChange.objects.filter(media=media).order_by("-created_at", "-pk")[:CHANGES_SHOWN]
    )
    names = known_names(instance.pk)
    fill_names(changes)
    url = reverse("admin:scanner_profilechange_changelist")
    return {
        "wish": wish_label(wish) if wish else "",
        "mapped": profile_label(row.profile_id, row.profile_name) if row is not None else "",
        "now": _profile_now(media, names),
        "hand": state is not None and state.hand,
        "hand_at": state.hand_at if state is not None else None,
        "earlier": _earlier(state, names),
        "changes": [Row.of(change) for change in changes],
        "all_url": f"{url}?media={media.pk}",
        "release_url": reverse("admin:wish_profiles_release", args=[media.pk]),
        "mapping_url": reverse("admin:wish_profiles_mapping", args=[instance.pk]),
    }


def _profile_now(media: Media, names: dict[int, str]) -> str:
    """The *arr's profile of the item as the last listing said, by the name Taggarr
    knows it by, else by its number."""
    found = media.quality_profile_id
    if found is None:
        return ""
    return profile_label(found, names.get(found, ""))


def _earlier(state: ItemProfile | None, names: dict[int, str]) -> str:
    if state is None or state.earlier_profile_id is None:
        return ""
    named = state.earlier_profile_name or names.get(state.earlier_profile_id, "")
    return profile_label(state.earlier_profile_id, named)


@require_POST
def release_view(request: HttpRequest, media_id: int) -> HttpResponse:
    """ "Follow its wish again": the hand released, the item planned again (and on "set"
    written by a worker)."""
    if not request.user.has_perm("scanner.change_instance"):
        raise PermissionDenied
    media = get_object_or_404(Media, pk=media_id)
    released = release_hand(media, request.user.get_username(), via=Event.Via.ADMIN)
    if released:
        messages.success(
            request,
            gettext("%(title)s follows its wish again: its quality profile is planned at once.")
            % {"title": media.title},
        )
    else:
        messages.info(
            request,
            gettext("%(title)s was not held by hand: nothing to release.") % {"title": media.title},
        )
    url = reverse("admin:scanner_media_change", args=[media.pk])
    return HttpResponseRedirect(f"{url}#quality-profile")
