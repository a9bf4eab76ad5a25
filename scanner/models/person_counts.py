"""A person's page of what will play, counted in the background (issue 70): per
person and kind, how many episodes or files end in each outcome (the dry run,
scanner.household.dry_run) and the library's facts their Jellyfin or Emby advice
reads (scanner.household.playback_facts), as the last count found them.

``asked`` and ``counted`` are generations: a change that calls for a count raises
``asked``; a count stores its figures with the generation it started from, only over
older ones (compare-and-set), so a slow count never overwrites a newer one. While
``asked > counted`` a count is queued: the page says so and shows the last figures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scanner.models.household import Person


class PersonCount(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="track_counts", verbose_name=_("person")
    )
    kind = models.CharField(max_length=10, verbose_name=_("kind"))
    # [[outcome, language or null, count], ...] in the report's order
    outcomes = models.JSONField(default=list, verbose_name=_("outcomes"))
    wrong_default_files = models.PositiveIntegerField(
        default=0, verbose_name=_("files whose default track is of another language")
    )
    # [[code, [varieties], files], ...]
    shared_codes = models.JSONField(default=list, verbose_name=_("varieties sharing a code"))
    asked = models.PositiveIntegerField(default=0, verbose_name=_("counts asked"))
    asked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("asked"))
    counted = models.PositiveIntegerField(default=0, verbose_name=_("counts made"))
    counted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("counted"))

    class Meta:
        verbose_name = _("count of what will play")
        verbose_name_plural = _("counts of what will play")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="person_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}"
