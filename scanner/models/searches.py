"""Searches for missing dubs: what an *arr was asked to search, when and why. The daily
bound and each item's interval are counted from these rows, in the database, so that
the admin, the API, the command line and the schedule share them on every machine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scanner.models import choices
from scanner.models.instances import Instance
from scanner.models.media import Media


class MissingSearch(models.Model):
    Trigger = choices.SearchTrigger

    instance = models.ForeignKey(
        Instance,
        on_delete=models.CASCADE,
        related_name="missing_searches",
        verbose_name=_("instance"),
    )
    media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="missing_searches",
        verbose_name=_("item"),
    )
    title = models.CharField(max_length=500, verbose_name=_("title"))
    season = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("season"))
    episodes = models.JSONField(
        default=list,
        blank=True,
        help_text=_("[season, episode] pairs asked for (series)."),
        verbose_name=_("episodes"),
    )
    arr_ids = models.JSONField(
        verbose_name=_("*arr ids"),
        default=list,
        blank=True,
        help_text=_("The episode ids (Sonarr) or movie id (Radarr) the command named."),
    )
    searched = models.PositiveIntegerField(
        help_text=_("Episodes or movies asked for: what the daily bound counts."),
        verbose_name=_("searched"),
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices, verbose_name=_("trigger"))
    user = models.CharField(max_length=150, blank=True, verbose_name=_("user"))
    command_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("The *arr's id of the queued command."),
        verbose_name=_("command id"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("missing-dub search")
        verbose_name_plural = _("missing-dub searches")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["instance", "-created_at"]),
            models.Index(fields=["media", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.searched})"
