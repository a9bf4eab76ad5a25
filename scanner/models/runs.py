"""Scan runs: what a run is asked to be, the run with its state and counters, its items
(the unit of work and of resume), and the items webhooks asked to scan."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.models import choices
from scanner.models.instances import Instance
from scanner.models.media import Media

# A run in one of these holds its instance: no second run may start.
ACTIVE_STATUSES = ("queued", "running", "applying")


@dataclass(frozen=True)
class RunRequest:
    """What a run is asked to be, and by whom (``ScanRun.Trigger``): the admin, the API,
    the command line, the schedule and the webhooks all ask with one (scanner.actions.scans
    start_scan and scan_inline, scanner.pipeline.state.runs.create_run). None takes the
    instance's own setting. (Not a ScanRequest: that is one item a webhook asked for.)"""

    trigger: str
    _: KW_ONLY
    dry_run: bool | None = None
    mode: str = choices.ScanMode.NORMAL
    # *arr ids (media ids for a library instance); empty: everything. Kept sorted and
    # once each, as the run stores it.
    scope: tuple[int, ...] = ()
    quick_mode: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scope", tuple(sorted(set(self.scope))))


class ScanRun(models.Model):
    Trigger = choices.ScanTrigger
    Status = choices.ScanStatus
    Mode = choices.ScanMode

    ACTIVE = ACTIVE_STATUSES
    # Started by a person: the first of these starts the instance's schedule.
    BY_A_PERSON = (Trigger.MANUAL, Trigger.API, Trigger.CLI)
    APPLIED = (Status.SUCCEEDED, Status.PARTIAL)  # it got to the end and wrote what it could

    instance = models.ForeignKey(
        Instance, on_delete=models.CASCADE, related_name="scan_runs", verbose_name=_("instance")
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices, verbose_name=_("trigger"))
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    mode = models.CharField(
        max_length=10, choices=Mode.choices, default=Mode.NORMAL, verbose_name=_("mode")
    )
    dry_run = models.BooleanField(default=False, verbose_name=_("dry run"))
    quick_mode = models.BooleanField(
        null=True,
        blank=True,
        help_text=_("Overrides the instance's quick mode for this run."),
        verbose_name=_("quick mode"),
    )
    scope = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "The items to scan: *arr ids (media ids for a library instance); empty: everything."
        ),
        verbose_name=_("scope"),
    )
    cancel_requested = models.BooleanField(default=False, verbose_name=_("cancel requested"))
    items_total = models.PositiveIntegerField(default=0, verbose_name=_("items total"))
    items_done = models.PositiveIntegerField(default=0, verbose_name=_("items done"))
    items_skipped = models.PositiveIntegerField(default=0, verbose_name=_("items skipped"))
    items_failed = models.PositiveIntegerField(default=0, verbose_name=_("items failed"))
    files_probed = models.PositiveIntegerField(default=0, verbose_name=_("files probed"))
    file_errors = models.PositiveIntegerField(default=0, verbose_name=_("file errors"))
    # The audio tracks the items scanned so far asked to be listened to: heard, or left
    # for the next scan (the run's limit, a model that could not run).
    tracks_to_hear = models.PositiveIntegerField(default=0, verbose_name=_("audio tracks to hear"))
    tracks_heard = models.PositiveIntegerField(
        default=0,
        verbose_name=_("audio tracks heard"),
        help_text=_("Audio tracks listened to (their language identified by speech)."),
    )
    # ... of them, those not heard because listening could not run (no model, no extra),
    # with why the first time (the item itself succeeds: decided from the labels).
    tracks_unheard = models.PositiveIntegerField(
        default=0,
        verbose_name=_("audio tracks not heard"),
        help_text=_("Audio tracks not listened to because listening could not run."),
    )
    unheard_reason = models.CharField(
        max_length=20,
        blank=True,
        choices=choices.Unheard.choices,
        verbose_name=_("why not heard"),
    )
    tags_changed = models.PositiveIntegerField(default=0, verbose_name=_("tags changed"))
    arr_requests = models.PositiveIntegerField(default=0, verbose_name=_("*arr requests"))
    resends = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Times its lost work was sent again since its last progress."),
        verbose_name=_("resends"),
    )
    # Times its plan or apply step was found running past the hold limit (its worker
    # restarted, the step sent again): the second time the run fails (scanner.pipeline.
    # runtime.overdue), so that a share that hangs never loops.
    steps_held = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Times its plan or apply step ran past the hold limit."),
        verbose_name=_("steps held past the limit"),
    )
    # When the first request of its items that the *arr left unanswered was sent; cleared
    # by any answer (scanner.pipeline.state.unreachable).
    arr_unanswered_since = models.DateTimeField(
        null=True, blank=True, verbose_name=_("*arr unanswered since")
    )
    # The run's figures as shown (scanner.reports.progress): nothing the steps read.
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))
    # What the webhooks that asked for the run said (scanner.pipeline.state.webhook_requests),
    # read by its plan.
    webhook_file_changes = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "The file changes webhooks reported, by *arr id: applied to the files last seen."
        ),
        verbose_name=_("webhook file changes"),
    )
    webhook_items = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "The *arr ids webhooks named, read whatever the *arr lists (a whole-instance run)."
        ),
        verbose_name=_("webhook items"),
    )
    # Why the run's step waits to retry, and until when, stamped with the heartbeat that
    # wrote it: a later beat means it is trying again (runs.waiting_to_retry).
    retry_why = models.CharField(max_length=300, blank=True, verbose_name=_("why it retries"))
    retry_next_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next try"))
    retry_noted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("retry noted at"))
    # What the plan leaves for the steps after it (typed, not free-form summary keys).
    audio_source = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("Where the audio languages come from, as the plan decided."),
        verbose_name=_("audio languages from"),
    )
    arr_tag_ids = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The *arr's tags as the plan found them: label -> tag id."),
        verbose_name=_("*arr tag ids"),
    )
    # The plan step is held by its task's token (runs.claim_plan): a queued run is
    # planned by the one task (or ``scan --inline``) that took it; its retries keep it.
    plan_token = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "The planning task's token (a fencing token): only the task that took the "
            "queued scan with it plans it; any other steps aside."
        ),
        verbose_name=_("planning token"),
    )
    # The apply step is held like an item (scanner.pipeline.state.apply_lease).
    apply_token = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "The applying task's token (a fencing token): only the task that took the "
            "writing step with it may write its results or end the scan."
        ),
        verbose_name=_("writing token"),
    )
    apply_leased_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The writing step is held until then; nobody else takes it."),
        verbose_name=_("writing held until"),
    )
    apply_progress = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("writing progress"),
        help_text=_(
            "The writing step under way, its counts and when it began: for its rate and time left."
        ),
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started"))
    planned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("planned"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))

    class Meta:
        verbose_name_plural = _("scans")
        verbose_name = _("scan")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database, not a Python check, guarantees one active scan per instance.
            models.UniqueConstraint(
                fields=["instance"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="scanrun_one_active_per_instance",
            ),
        ]
        indexes = [models.Index(fields=["instance", "-created_at"])]

    def __str__(self) -> str:
        # The admin's breadcrumbs and selects name a run so: in the reader's language.
        return gettext("scan #%(number)s of %(instance)s") % {
            "number": self.pk,
            "instance": self.instance.name,
        }

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def published_summary(self) -> dict[str, Any]:
        """The summary as the API has always shown it: with what the plan found and the
        latest retry (stored in fields of their own since) under their keys
        ``audio_source``, ``tag_ids`` and ``retry``. What the webhooks said is the plan's
        input, never shown."""
        published = dict(self.summary)
        if self.audio_source:
            published.update(audio_source=self.audio_source, tag_ids=self.arr_tag_ids)
        if self.retry_next_at is not None and self.retry_noted_at is not None:
            published["retry"] = {
                "why": self.retry_why,
                "next_try_at": self.retry_next_at.isoformat(),
                "at": self.retry_noted_at.isoformat(),
            }
        return published

    def duration(self, until: datetime | None = None) -> float | None:
        """Seconds from start (or creation, if it never started) to the end, or to ``until``
        for a run still going; None when there is no end yet."""
        end = self.finished_at or until
        start = self.started_at or self.created_at
        if end is None or start is None:
            return None
        return (end - start).total_seconds()


class ScanItem(models.Model):
    """One media item of a run: the unit of work, of progress and of resume."""

    Status = choices.ScanItemStatus

    run = models.ForeignKey(
        ScanRun, on_delete=models.CASCADE, related_name="items", verbose_name=_("run")
    )
    media = models.ForeignKey(
        Media, on_delete=models.CASCADE, related_name="scan_items", verbose_name=_("item")
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name=_("status")
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Starts so far; an item started too often is failed."),
        verbose_name=_("attempts"),
    )
    retries = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Retries so far after an error the retry policy handles."),
        verbose_name=_("retries"),
    )
    leased_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Held by a worker until then; nobody else takes it."),
        verbose_name=_("leased until"),
    )
    lease_token = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "The holder's token (a fencing token): only the holder that claimed the "
            "item with it may extend, release, retry or store it."
        ),
        verbose_name=_("lease token"),
    )
    retry_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Waiting for its retry until then: only its retry takes it before."),
        verbose_name=_("retry at"),
    )
    retrying_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the first try that met the error being retried started: the "
            "retry budget is a deadline from then."
        ),
        verbose_name=_("retrying since"),
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    arr_files = models.JSONField(
        null=True,
        blank=True,
        help_text=(
            _(
                'The *arr\'s files of the item as the plan found them; with "fetch", the item'
                " asks the *arr for them."
            )
        ),
        verbose_name=_("*arr files"),
    )

    class Meta:
        verbose_name = _("scan item")
        verbose_name_plural = _("scan items")
        constraints = [
            models.UniqueConstraint(fields=["run", "media"], name="scanitem_unique_media"),
        ]
        # The stalled-work recovery looks up a run's pending items (scanner.pipeline.state.leases).
        indexes = [models.Index(fields=["run", "status", "id"], name="scanitem_run_status_id")]

    def __str__(self) -> str:
        return f"{self.media_id} in run {self.run_id} ({self.status})"


class ScanRequest(models.Model):
    """An item a webhook asked to scan; picked up by the next run of its instance."""

    instance = models.ForeignKey(
        Instance, on_delete=models.CASCADE, related_name="scan_requests", verbose_name=_("instance")
    )
    arr_id = models.PositiveIntegerField(verbose_name=_("*arr id"))
    event_type = models.CharField(max_length=40, verbose_name=_("event type"))
    file_changes = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "The files the webhooks said changed, with their media info; null: ask "
            "the *arr for the item's files."
        ),
        verbose_name=_("file changes"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("scan request")
        verbose_name_plural = _("scan requests")
        constraints = [
            models.UniqueConstraint(fields=["instance", "arr_id"], name="scanrequest_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} for item {self.arr_id}"
