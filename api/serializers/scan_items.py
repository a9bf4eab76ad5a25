"""Each item of a scan run in its state (scanner.reports.item_states): the truth per
item, where Flower shows only what its events said."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scanner.reports.item_states import STATE_LABELS, ItemState, ItemView

STATES = [state.value for state in ItemState]


class ScanItemStateSerializer(serializers.Serializer[Any]):
    item = serializers.IntegerField(source="item_id")
    media = serializers.IntegerField(source="media_id")
    title = serializers.CharField()
    state = serializers.ChoiceField(
        choices=STATES,
        help_text=_(
            "scanned; failed (error says why); waiting_for_retry (until retry_at; error: "
            "the last error); held (a worker holds it, its lease runs until "
            "leased_until and is renewed while the worker lives); not_claimed (its task "
            "waits in the broker); not_scanned (the run ended before it)."
        ),
    )
    state_text = serializers.CharField(help_text=_("The state in the reader's language."))
    error = serializers.CharField()
    retry_at = serializers.DateTimeField(allow_null=True)
    leased_until = serializers.DateTimeField(allow_null=True)
    attempts = serializers.IntegerField(help_text=_("Starts so far."))
    retries = serializers.IntegerField(help_text=_("Retries so far."))

    def to_representation(self, instance: ItemView) -> dict[str, Any]:
        return super().to_representation(
            {
                "item_id": instance.item_id,
                "media_id": instance.media_id,
                "title": instance.title,
                "state": instance.state.value,
                "state_text": str(STATE_LABELS[instance.state]),
                "error": instance.error,
                "retry_at": instance.retry_at,
                "leased_until": instance.leased_until,
                "attempts": instance.attempts,
                "retries": instance.retries,
            }
        )


class ScanItemCountsSerializer(serializers.Serializer[Any]):
    """How many of the run's items are in each state (scanned: counted by the run, as
    a scanned item's row is removed when the run's tags are written)."""

    scanned = serializers.IntegerField()
    failed = serializers.IntegerField()
    waiting_for_retry = serializers.IntegerField()
    held = serializers.IntegerField()
    not_claimed = serializers.IntegerField()
    not_scanned = serializers.IntegerField()
