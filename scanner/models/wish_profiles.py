"""Each item's quality profile follows what its household wants (issue 82; the feature:
scanner.wish_profiles).

``WishProfile`` is the mapping a person saved: a wish (scanner.engine.wishes: "original",
"fr-CA", "original+fr-CA") to one of the *arr's own quality profiles; no row: that wish is
not managed. ``ItemProfile`` is what the feature did to one item: the profile it last
set, the one the item had before its first change (to go back to), and the user's hand
(a profile changed in the *arr after Taggarr set it: left alone until released on the
item). ``ProfileChange`` is the journal: one item's change, planned to written or undone.
``ProfileLease`` holds an item's planning and writing for one task
(scanner.leases.WISH_PROFILES).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scanner.models.changes import ChangeRecord
from scanner.models.instances import Instance
from scanner.models.media import Media
from scanner.models.runs import ScanRun


class WishProfile(models.Model):
    """One wish of an instance mapped to one of its *arr's quality profiles."""

    instance = models.ForeignKey(
        Instance,
        on_delete=models.CASCADE,
        related_name="mapped_profiles",
        verbose_name=_("instance"),
    )
    wish = models.CharField(max_length=50, verbose_name=_("wish"))
    # The *arr's QualityProfileResource.id.
    profile_id = models.PositiveIntegerField(verbose_name=_("quality profile"))
    profile_name = models.CharField(
        max_length=100, blank=True, verbose_name=_("quality profile's name")
    )
    saved_by = models.CharField(max_length=150, blank=True, verbose_name=_("saved by"))
    saved_at = models.DateTimeField(auto_now=True, verbose_name=_("saved"))

    class Meta:
        verbose_name = _("quality profile of a wish")
        verbose_name_plural = _("quality profiles of the wishes")
        ordering = ["instance", "wish"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "wish"], name="wish_profile_once"),
        ]

    def __str__(self) -> str:
        return f"{self.wish} -> {self.profile_id}"


class ItemProfile(models.Model):
    """What the feature did to one item's quality profile, and the user's hand on it."""

    media = models.OneToOneField(
        Media,
        on_delete=models.CASCADE,
        related_name="item_profile",
        verbose_name=_("item"),
    )
    # The wish the profile was last set for.
    wish = models.CharField(max_length=50, blank=True, verbose_name=_("wish"))
    # What Taggarr last wrote.
    set_profile_id = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("quality profile set")
    )
    # The item's profile before Taggarr's first change (kept from that first change).
    earlier_profile_id = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("earlier quality profile")
    )
    earlier_profile_name = models.CharField(
        max_length=100, blank=True, verbose_name=_("earlier quality profile's name")
    )
    # The user's hand: left alone until released on the item.
    hand = models.BooleanField(default=False, verbose_name=_("changed by hand"))
    hand_profile_id = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("quality profile chosen by hand")
    )
    hand_at = models.DateTimeField(null=True, blank=True, verbose_name=_("changed by hand on"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("quality profile of an item")
        verbose_name_plural = _("quality profiles of the items")

    def __str__(self) -> str:
        return str(self.media_id)


class ProfileChange(ChangeRecord):
    """One item's quality profile change, from planned to written or undone."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        REFUSED = "refused", _("refused")
        WRITTEN = "written", _("written")
        FAILED = "failed", _("failed")
        UNDONE = "undone", _("undone")
        STALE = "stale", _("planned again since")

    class Reason(models.TextChoices):
        WISH = "wish", _("its wish maps to another quality profile")
        SEERR = "seerr", _("asked in Seerr")
        ARRIVED = "arrived", _("its dub arrived")

    instance = models.ForeignKey(
        Instance,
        on_delete=models.CASCADE,
        related_name="profile_changes",
        verbose_name=_("instance"),
    )
    media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profile_changes",
        verbose_name=_("item"),
    )
    run = models.ForeignKey(
        ScanRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profile_changes",
        verbose_name=_("run"),
    )
    arr_id = models.PositiveIntegerField(verbose_name=_("*arr id"))
    title = models.CharField(max_length=500, verbose_name=_("title"))
    wish = models.CharField(max_length=50, verbose_name=_("wish"))
    reason = models.CharField(max_length=10, choices=Reason.choices, verbose_name=_("reason"))
    state = models.CharField(max_length=10, choices=State.choices, verbose_name=_("state"))
    # Its refusal (scanner.wish_profiles.refusals) and detail: ChangeRecord's.
    profile_before = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("quality profile before")
    )
    profile_before_name = models.CharField(
        max_length=100, blank=True, verbose_name=_("its name before")
    )
    profile_after = models.PositiveIntegerField(verbose_name=_("quality profile after"))
    profile_after_name = models.CharField(
        max_length=100, blank=True, verbose_name=_("its name after")
    )
    asked_by = models.CharField(max_length=150, blank=True, verbose_name=_("asked by"))
    search_sent = models.BooleanField(default=False, verbose_name=_("search sent"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("planned"))
    written_at = models.DateTimeField(null=True, blank=True, verbose_name=_("written at"))

    class Meta:
        verbose_name = _("quality profile change")
        verbose_name_plural = _("quality profile changes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["media", "state"]),
            models.Index(fields=["instance", "state"]),
            models.Index(fields=["run", "state"]),
            # The Changes page: every act's journal read newest first (scanner.changes.review).
            models.Index(fields=["-updated_at", "-id"], name="profile_change_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"


class ProfileLease(models.Model):
    """Who plans or writes an item's quality profile now: a fencing token and its end
    (scanner.leases.WISH_PROFILES), and whether another task asked for the item while it
    was held (the holder then plans it once more)."""

    media = models.OneToOneField(
        Media,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile_lease",
        verbose_name=_("item"),
    )
    token = models.BigIntegerField(null=True, blank=True, verbose_name=_("lease token"))
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("leased until"))
    asked_again = models.BooleanField(default=False, verbose_name=_("asked again"))
    # An ask waiting for the item's next plan (a Seerr request: requests.follow): its
    # reason (ProfileChange.Reason) and who asked; the plan takes them.
    asked_reason = models.CharField(max_length=10, blank=True, verbose_name=_("asked for"))
    asked_by = models.CharField(max_length=150, blank=True, verbose_name=_("asked by"))

    class Meta:
        verbose_name = _("quality profile lease")
        verbose_name_plural = _("quality profile leases")

    def __str__(self) -> str:
        return str(self.media_id)
