"""What an act's endpoint takes to queue its writes or undos (``POST apply/``, ``POST
undo/``: api.default_tracks, api.badges), and what it answers: one of the changes' ids,
their items' or one run's, bounded; the count queued and a sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

if TYPE_CHECKING:  # django-stubs' name for a lazy translation (no such class at run time)
    from django.utils.functional import _StrPromise

MAX_IDS = 1000  # ids or items in one request
BIG_ID = 2**63 - 1  # row ids are 64-bit: a larger one would overflow in the driver


def id_list(help_text: str | _StrPromise) -> serializers.ListField:
    """A list of row ids, 1 to MAX_IDS of them."""
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIG_ID),
        min_length=1,
        max_length=MAX_IDS,
        required=False,
        help_text=help_text,
    )


class ActQueueSerializer(serializers.Serializer[Any]):
    """Which changes: their ids, or every change of these items, or of one run (one of
    the three). A subclass names its ``journal`` and says ``ids`` and ``media`` in its
    words."""

    journal: ClassVar[type[Model]]
    run = serializers.IntegerField(
        min_value=1,
        max_value=BIG_ID,
        required=False,
        help_text=_("A scan's id: every change it planned."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("ids", "media", "run") if attrs.get(name) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(_("give one of ids, media or run"))
        return attrs

    def chosen(self) -> QuerySet[Any]:
        data = self.validated_data
        rows = self.journal._default_manager.all()
        if data.get("ids") is not None:
            return rows.filter(pk__in=data["ids"])
        if data.get("media") is not None:
            return rows.filter(media_id__in=data["media"])
        return rows.filter(run_id=data["run"])


class ActQueuedSerializer(serializers.Serializer[Any]):
    """What was queued: a subclass says ``queued`` in its words (files, posters)."""

    ids = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("The changes queued.")
    )
    left_out = serializers.IntegerField(
        help_text=_(
            "Changes asked for that were not queued: not planned (apply), or not written (undo)."
        )
    )
    detail = serializers.CharField(help_text=_("What was queued, as a sentence."))
