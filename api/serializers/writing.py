"""What a person's decision started (scanner.actions.write_now), as the API tells it
beside the decided item: the run that writes its tags now."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scanner.actions.write_now import Writing, no_worker_sentence, write_decision
from scanner.errors import ConfigError
from scanner.models import Media, ScanRun


class WritingSerializer(serializers.Serializer[dict[str, Any]]):
    run = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The run that writes the item's tags now (its id); null while "
            "after_run is active: a run for the item starts when it ends."
        ),
    )
    dry_run = serializers.BooleanField(
        help_text=_("The instance is in dry-run mode: the run plans the tags, writes nothing.")
    )
    reused = serializers.BooleanField(
        help_text=_("The run was queued already and writes the item too: none was added.")
    )
    after_run = serializers.IntegerField(
        allow_null=True, help_text=_("The instance's active run that the item waits for.")
    )
    worker_running = serializers.BooleanField(
        help_text=_("A worker is running to take the run; else the next scan writes the tags.")
    )
    note = serializers.CharField(
        allow_null=True,
        help_text=_("What the reader should know about how the tags are written, if anything."),
    )


def write_and_tell(media: Media) -> dict[str, Any] | None:
    """Start (or reuse) the run that writes the decided item's tags; its description.
    None when none can start (a disabled instance): the next scan writes them."""
    try:
        writing = write_decision(media, trigger=ScanRun.Trigger.API)
    except ConfigError:
        return None
    return writing_data(writing, media.instance.dry_run)


def writing_data(writing: Writing, dry_run: bool) -> dict[str, Any]:
    run = writing.run
    return {
        "run": run.pk if run else None,
        "dry_run": run.dry_run if run else dry_run,
        "reused": writing.reused,
        "after_run": writing.active.pk if writing.active else None,
        "worker_running": writing.worker_running,
        "note": None if writing.worker_running else no_worker_sentence(),
    }
