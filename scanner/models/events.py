"""The history: what happened to an instance, an item or a run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scanner.models import choices
from scanner.models.instances import Instance
from scanner.models.media import Media
from scanner.models.runs import ScanRun


class Event(models.Model):
    Kind = choices.EventKind
    Via = choices.Via

    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))
    instance = models.ForeignKey(
        Instance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("instance"),
    )
    media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("item"),
    )
    run = models.ForeignKey(
        ScanRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("run"),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    message = models.TextField(verbose_name=_("message"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["instance", "-created_at"]),
            models.Index(fields=["kind", "-created_at"]),
        ]

    def __str__(self) -> str:
        """The admin's name of the event (page titles, checkboxes): its kind in the
        reader's language and its number; never the English ``message`` (the log's)."""
        return f"{self.get_kind_display()} #{self.pk}"
