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


class ActPlanning(models.Model):
    """One act's planning after one run (scanner.changes.planning): how many items it
    found due (None: not counted yet, its task is on its way) and how many of their tasks
    have ended; what the guided setup's last step waits on before it lists the plans."""

    run = models.ForeignKey(
        "scanner.ScanRun",
        on_delete=models.CASCADE,
        related_name="act_plannings",
        verbose_name=_("scan"),
    )
    act = models.CharField(max_length=40, verbose_name=_("kind of change"))
    due = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("items due"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("items planned"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("planning of a kind of change")
        verbose_name_plural = _("plannings of the kinds of change")
        constraints = [
            models.UniqueConstraint(fields=["run", "act"], name="act_planning_once_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.act} after run {self.run_id}: {self.done} of {self.due}"
