"""Dub badges written on posters (issue 95; the feature: scanner.badges).

``PosterOriginal`` keeps each poster Taggarr drew on, before its first change, by the
SHA-256 of its bytes: in PostgreSQL, not a data dir, since the worker that draws and the
one that undoes may be on different hosts. ``BadgeChange`` is one poster's planned
change and IS the journal of its write: saved "writing", with what the poster was and
the digest of the original kept, BEFORE the poster changes; "written" once the bytes
read back are the ones drawn. Undo writes the original back only over the poster
Taggarr wrote (its digest): a poster the user or a server put there since is left alone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scanner.models.changes import ChangeRecord
from scanner.models.instances import Instance
from scanner.models.media import Media
from scanner.models.runs import ScanRun


class BadgeLease(models.Model):
    """Who plans or writes an item's badges now: a fencing token and its end
    (scanner.leases.BADGES), and whether another task asked for the item meanwhile."""

    media = models.OneToOneField(
        Media,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="badge_lease",
        verbose_name=_("item"),
    )
    token = models.BigIntegerField(null=True, blank=True, verbose_name=_("lease token"))
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("leased until"))
    asked_again = models.BooleanField(default=False, verbose_name=_("asked again"))
    # The process that took it (scanner.runtime.item_hold.this_process).
    holder = models.CharField(max_length=200, blank=True, verbose_name=_("held by"))

    class Meta:
        verbose_name = _("badge lease")
        verbose_name_plural = _("badge leases")

    def __str__(self) -> str:
        return str(self.media_id)


class PosterOriginal(models.Model):
    """A poster as it was before Taggarr drew on it, once per content."""

    digest = models.CharField(max_length=64, unique=True, verbose_name=_("fingerprint"))
    data = models.BinaryField(verbose_name=_("image"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    kept_at = models.DateTimeField(auto_now_add=True, verbose_name=_("kept"))

    class Meta:
        verbose_name = _("original poster")
        verbose_name_plural = _("original posters")

    def __str__(self) -> str:
        return self.digest[:12]


class BadgeChange(ChangeRecord):
    """One poster's badges as planned by one run, and what became of them."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        REFUSED = "refused", _("refused")
        WRITING = "writing", _("being written")
        WRITTEN = "written", _("written")
        FAILED = "failed", _("failed")
        UNDONE = "undone", _("undone")
        STALE = "stale", _("planned again since")

    class Where(models.TextChoices):
        FOLDER = "folder", _("poster file beside the item")
        SERVER = "server", _("media server's poster")

    instance = models.ForeignKey(
        Instance,
        on_delete=models.CASCADE,
        related_name="badge_changes",
        verbose_name=_("instance"),
    )
    media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_changes",
        verbose_name=_("item"),
    )
    run = models.ForeignKey(
        ScanRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_changes",
        verbose_name=_("run"),
    )
    where = models.CharField(
        max_length=10, choices=Where.choices, default=Where.FOLDER, verbose_name=_("where")
    )
    # Where == server: the server and its item (Jellyfin's, Emby's item Id).
    server = models.ForeignKey(
        "scanner.MediaServer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_changes",
        verbose_name=_("media server"),
    )
    server_item = models.CharField(max_length=100, blank=True, verbose_name=_("server's item id"))
    # A season's poster (a series' season number); None: the item's own poster.
    season = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("season"))
    # The poster file as the worker opens it (after the path mappings); a server's
    # poster: the server's name.
    path = models.TextField(verbose_name=_("path"))
    state = models.CharField(max_length=10, choices=State.choices, verbose_name=_("state"))
    # What the badges say (scanner.badges.says.digest) and their words, in order.
    badges = models.JSONField(default=list, blank=True, verbose_name=_("badges"))
    badges_digest = models.CharField(max_length=64, verbose_name=_("badges' fingerprint"))
    # The poster when it was planned: the write refuses one that is no longer so.
    size = models.BigIntegerField(null=True, blank=True, verbose_name=_("size"))
    mtime_ns = models.BigIntegerField(null=True, blank=True, verbose_name=_("modified (ns)"))
    seen_digest = models.CharField(max_length=64, blank=True, verbose_name=_("fingerprint"))
    # The poster drawn on (the original kept), and the one written.
    original_digest = models.CharField(
        max_length=64, blank=True, verbose_name=_("original's fingerprint")
    )
    written_digest = models.CharField(
        max_length=64, blank=True, verbose_name=_("fingerprint written")
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    planned_at = models.DateTimeField(auto_now_add=True, verbose_name=_("planned"))
    applied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("written at"))
    applied_by = models.CharField(max_length=150, blank=True, verbose_name=_("written by"))

    # A row whose bytes may be in the poster: undo restores the original.
    UNDOABLE = Q(state__in=[State.WRITING, State.WRITTEN])

    class Meta:
        verbose_name = _("badge change")
        verbose_name_plural = _("badge changes")
        ordering = ["-planned_at", "-id"]
        indexes = [
            models.Index(fields=["media", "state"]),
            models.Index(fields=["instance", "state"]),
            models.Index(fields=["run", "state"]),
            models.Index(fields=["-planned_at", "-id"], name="badge_change_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.path} #{self.pk}"  # data only: the admin says it in any language
