"""What a series page's header shows besides its own verdict: the items before and after
it (in the media list's order, title then id, within its instance), and the tags the
item carries in the *arr, Taggarr's told apart from the person's own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.urls import reverse

from scanner.models import Media, ScanRun


def neighbours(media: Media) -> dict[str, dict[str, Any] | None]:
    """The previous and next item of its instance, as the media list orders them."""
    siblings = Media.objects.filter(instance_id=media.instance_id).exclude(pk=media.pk)
    before = Q(title__lt=media.title) | Q(title=media.title, pk__lt=media.pk)
    after = Q(title__gt=media.title) | Q(title=media.title, pk__gt=media.pk)
    previous = siblings.filter(before).order_by("-title", "-pk").values("pk", "title").first()
    following = siblings.filter(after).order_by("title", "pk").values("pk", "title").first()
    return {"previous": _link(previous), "next": _link(following)}


def _link(found: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if found is None:
        return None
    url = reverse("admin:scanner_media_change", args=[found["pk"]])
    return {"url": url, "title": found["title"]}


def arr_tags(media: Media) -> dict[str, list[str]]:
    """The item's *arr tags by label, as the last plan found the *arr's tags (a tag
    made since, not yet listed by a plan, is left out): the ones Taggarr writes (its
    summary and per-language labels) and the person's own."""
    instance = media.instance
    if not instance.is_arr or not media.arr_tag_ids:
        return {"managed": [], "own": []}
    known = (
        ScanRun.objects.filter(instance_id=instance.pk)
        .exclude(arr_tag_ids={})
        .order_by("-pk")
        .values_list("arr_tag_ids", flat=True)
        .first()
    )
    labels = {tag_id: label for label, tag_id in (known or {}).items()}
    managed = (
        instance.label_set().every_label(instance.target_languages or ())
        | set(media.applied_labels or ())
        | set(media.planned_labels or ())
    )
    found = sorted({labels[tag_id] for tag_id in media.arr_tag_ids if tag_id in labels})
    return {
        "managed": [label for label in found if label in managed],
        "own": [label for label in found if label not in managed],
    }
