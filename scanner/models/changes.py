"""What every act's journal row holds (scanner.changes: one row per change an act plans,
writes and undoes): its refusal's code and the values its sentence needs, who undid it and
when, and when it last changed. Each act's model adds its own (DefaultTrackChange: the
file, its patch; ProfileChange: the *arr's profiles), its states and its item links."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """The fields every act's change row has (abstract: each act keeps its own table)."""

    # A refusal's (or a failure's) code: the act's refusals module.
    refusal = models.CharField(max_length=30, blank=True, verbose_name=_("refusal"))
    # Values for its sentence: the mkvpropedit command a user could run, the number of hard
    # links, the *arr's error message, the profile found ...
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))
    undone_by = models.CharField(max_length=150, blank=True, verbose_name=_("undone by"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        abstract = True
