"""The history: what happened to an instance, an item or a run."""

from __future__ import annotations

from django.db import models

from scanner.models import choices
from scanner.models.instances import Instance
from scanner.models.media import Media
from scanner.models.runs import ScanRun


class Event(models.Model):
    Kind = choices.EventKind

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    instance = models.ForeignKey(
        Instance, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    media = models.ForeignKey(
        Media, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    run = models.ForeignKey(
        ScanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["instance", "-created_at"]),
            models.Index(fields=["kind", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.message
