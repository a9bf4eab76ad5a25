"""Each file's own default track, set in place (issue 81; the feature:
scanner.default_tracks).

``DefaultTrackChange`` is one file's planned change of its default flags, and IS the
journal of its write: it is saved "writing", with the file's identity and the patch (the
offset, the bytes the header held and the bytes written), BEFORE the file's bytes change;
"written" after they were read back and MediaInfo read the file the same but for its
flags. A crash mid-write leaves a "writing" row that says what the file may hold, and
undo restores it from there; a write MediaInfo read otherwise whose immediate undo was
refused (the file changed again) is "not-undone": it may hold the new bytes, undo acts
on it. ``DefaultTrackLease`` holds an item's planning and writing for one task
(scanner.leases.DEFAULT_TRACKS), and which process took it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scanner.models.changes import ChangeRecord
from scanner.models.instances import Instance
from scanner.models.media import Media, MediaFile
from scanner.models.runs import ScanRun


class DefaultTrackChange(ChangeRecord):
    """One file's default flags as planned by one run, and what became of them."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        REFUSED = "refused", _("refused")
        WRITING = "writing", _("being written")
        WRITTEN = "written", _("written")
        FAILED = "failed", _("failed")
        # Read otherwise after the write, and its undo refused: the new bytes may be there.
        NOT_UNDONE = "not-undone", _("failed, not undone")
        UNDONE = "undone", _("undone")
        STALE = "stale", _("planned again since")

    instance = models.ForeignKey(
        Instance,
        on_delete=models.CASCADE,
        related_name="default_track_changes",
        verbose_name=_("instance"),
    )
    media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_track_changes",
        verbose_name=_("item"),
    )
    media_file = models.ForeignKey(
        MediaFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_track_changes",
        verbose_name=_("file"),
    )
    run = models.ForeignKey(
        ScanRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_track_changes",
        verbose_name=_("run"),
    )
    # The file as the worker opened it (after the path mappings): the journal still says
    # which file once its MediaFile row is gone.
    path = models.TextField(verbose_name=_("path"))
    state = models.CharField(max_length=10, choices=State.choices, verbose_name=_("state"))
    # Its refusal (scanner.default_tracks.refusals) and detail (the choice's doubt, what
    # verify found different ...): ChangeRecord's.
    # The file when it was planned: the write refuses a file that is no longer so.
    size = models.BigIntegerField(null=True, blank=True, verbose_name=_("size"))
    mtime_ns = models.BigIntegerField(null=True, blank=True, verbose_name=_("modified (ns)"))
    # st_ino as a signed 64-bit number (scanner.default_tracks.plan.stored_inode).
    inode = models.BigIntegerField(null=True, blank=True, verbose_name=_("inode"))
    # The patch: at ``patch_offset`` the file held ``patch_old``; ``patch_new`` is written.
    patch_offset = models.BigIntegerField(null=True, blank=True, verbose_name=_("offset"))
    patch_old = models.BinaryField(null=True, blank=True, verbose_name=_("bytes before"))
    patch_new = models.BinaryField(null=True, blank=True, verbose_name=_("bytes after"))
    # Each flag changed: [kind, position, old value, new value] (header_edit.Edit.changed).
    flags = models.JSONField(default=list, blank=True, verbose_name=_("flags changed"))
    # The default audio track before and after (its 1-based position among the audio
    # tracks, and its language as the page shows it); the default subtitle likewise, None:
    # no subtitle is default (subtitles off).
    audio_before = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("default audio before")
    )
    audio_before_language = models.CharField(
        max_length=35, blank=True, verbose_name=_("its language before")
    )
    audio_after = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("default audio after")
    )
    audio_after_language = models.CharField(
        max_length=35, blank=True, verbose_name=_("its language after")
    )
    subtitle_before = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("default subtitle before")
    )
    subtitle_before_language = models.CharField(
        max_length=35, blank=True, verbose_name=_("its language before")
    )
    subtitle_after = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("default subtitle after")
    )
    subtitle_after_language = models.CharField(
        max_length=35, blank=True, verbose_name=_("its language after")
    )
    # The file as the write left it: undo refuses a file that is no longer so.
    written_size = models.BigIntegerField(null=True, blank=True, verbose_name=_("size written"))
    written_mtime_ns = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("modified when written (ns)")
    )
    written_inode = models.BigIntegerField(
        null=True, blank=True, verbose_name=_("inode when written")
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    planned_at = models.DateTimeField(auto_now_add=True, verbose_name=_("planned"))
    applied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("written at"))
    applied_by = models.CharField(max_length=150, blank=True, verbose_name=_("written by"))

    # A row whose bytes may be in the file: undo restores them.
    UNDOABLE = Q(state__in=[State.WRITING, State.WRITTEN, State.NOT_UNDONE])

    class Meta:
        verbose_name = _("default track change")
        verbose_name_plural = _("default track changes")
        ordering = ["-planned_at", "-id"]
        indexes = [
            models.Index(fields=["media_file", "state"]),
            models.Index(fields=["media", "state"]),
            models.Index(fields=["instance", "state"]),
            models.Index(fields=["run", "state"]),
            # The Changes page: every act's journal read newest first (scanner.changes.review).
            models.Index(fields=["-updated_at", "-id"], name="default_track_change_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.path} #{self.pk}"


class DefaultTrackLease(models.Model):
    """Who plans or writes an item's default tracks now: a fencing token and its end
    (scanner.leases.DEFAULT_TRACKS), and whether another task asked for the item while it
    was held (the holder then plans it once more); and what its last plan read."""

    media = models.OneToOneField(
        Media,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="default_track_lease",
        verbose_name=_("item"),
    )
    token = models.BigIntegerField(null=True, blank=True, verbose_name=_("lease token"))
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("leased until"))
    asked_again = models.BooleanField(default=False, verbose_name=_("asked again"))
    # What the item's last plan read (its files' names, sizes and times, and the settings
    # the choice depends on), hashed: a run reads the item's headers again only when it
    # changes (scanner.default_tracks.plan.plan_key).
    planned_key = models.CharField(max_length=64, blank=True, verbose_name=_("planned from"))
    # The process that took the lease (scanner.runtime.item_hold.this_process): its
    # host, boot, pid namespace, pid and start time; a lease whose holder provably ended
    # (this host, its pid gone) is taken over at once, not waited out.
    holder = models.CharField(max_length=200, blank=True, verbose_name=_("held by"))
    planned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last planned"))

    class Meta:
        verbose_name = _("default track lease")
        verbose_name_plural = _("default track leases")

    def __str__(self) -> str:
        return str(self.media_id)
