"""What Taggarr set as a person's audio and subtitle stream of each Plex part, and what
each run of the step that sets them did (issue 70, item 2; the step:
scanner.household.plex_tracks).

``TrackSetting`` is the ``last`` of household.stream_choice.apply_choice: a person who
chose another stream in Plex since is kept (``chosen_by`` "person"). ``TrackRun`` holds
one run's counts for one account, what the person page reads
(scanner.household.track_results)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scanner.models.household import PersonAccount
from scanner.models.media import Media, MediaFile
from scanner.models.runs import ScanRun


class TrackSetting(models.Model):
    """One person account's streams of one Plex part, as Taggarr set them last (or as
    the person chose them since, when ``chosen_by`` is "person")."""

    class ChosenBy(models.TextChoices):
        TAGGARR = "taggarr", _("Taggarr")
        PERSON = "person", _("the person")

    account = models.ForeignKey(
        PersonAccount,
        on_delete=models.CASCADE,
        related_name="track_settings",
        verbose_name=_("account"),
    )
    part_id = models.PositiveBigIntegerField(verbose_name=_("Plex part"))
    media_file = models.ForeignKey(
        MediaFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="track_settings",
        verbose_name=_("file"),
    )
    audio_stream = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=_("audio stream")
    )
    # 0: no subtitles (Plex's subtitleStreamID=0); None: never set.
    subtitle_stream = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=_("subtitle stream")
    )
    chosen_by = models.CharField(
        max_length=10, choices=ChosenBy.choices, verbose_name=_("chosen by")
    )
    set_at = models.DateTimeField(verbose_name=_("when set"))

    class Meta:
        verbose_name = _("selected track")
        verbose_name_plural = _("selected tracks")
        constraints = [
            models.UniqueConstraint(fields=["account", "part_id"], name="track_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.part_id}"


class TrackRun(models.Model):
    """One run of the step for one person account: how many parts ended in each outcome
    (``counts``: sent, kept, unchanged, uncertain, none, failed; a dry run's "sent" is
    what it would send) and why the uncertain ones are (``doubts``: a reason code to its
    count); ``problem``: why the account's run stopped early, a code, else empty."""

    account = models.ForeignKey(
        PersonAccount,
        on_delete=models.CASCADE,
        related_name="track_runs",
        verbose_name=_("account"),
    )
    run = models.ForeignKey(
        ScanRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="track_runs",
        verbose_name=_("run"),
    )
    dry_run = models.BooleanField(default=True, verbose_name=_("dry run"))
    counts = models.JSONField(default=dict, blank=True, verbose_name=_("counts"))
    doubts = models.JSONField(default=dict, blank=True, verbose_name=_("uncertain, by reason"))
    problem = models.CharField(max_length=40, blank=True, verbose_name=_("problem"))
    # With problem "token": plex.tv's refusal (unknown-account, not-shared, pin-required).
    reason = models.CharField(max_length=40, blank=True, verbose_name=_("reason"))
    started_at = models.DateTimeField(verbose_name=_("started"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended"))

    class Meta:
        verbose_name = _("track selection")
        verbose_name_plural = _("track selections")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["account", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.account} #{self.pk}"


class TrackLease(models.Model):
    """Who runs the step for one person account now (scanner.media_servers.writes
    .track_lease): a fencing token and its end, and whether another task asked for the
    step while it was held (the holder then runs it once more)."""

    account = models.OneToOneField(
        PersonAccount,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="track_lease",
        verbose_name=_("account"),
    )
    # The holder's token: only it may write the step's rows (a fencing token).
    token = models.BigIntegerField(null=True, blank=True, verbose_name=_("lease token"))
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("leased until"))
    asked_again = models.BooleanField(default=False, verbose_name=_("asked again"))

    class Meta:
        verbose_name = _("track step lease")
        verbose_name_plural = _("track step leases")

    def __str__(self) -> str:
        return str(self.account)


class TrackCheck(models.Model):
    """One item read for one person account, and what it was read from (``key``: its
    files' rows and the person's languages and want for it, hashed): the step reads the
    item again only when that changes (scanner.household.track_checks)."""

    account = models.ForeignKey(
        PersonAccount,
        on_delete=models.CASCADE,
        related_name="track_checks",
        verbose_name=_("account"),
    )
    media = models.ForeignKey(
        Media, on_delete=models.CASCADE, related_name="+", verbose_name=_("item")
    )
    key = models.CharField(max_length=64, verbose_name=_("fingerprint"))
    checked_at = models.DateTimeField(verbose_name=_("checked"))

    class Meta:
        verbose_name = _("item checked for tracks")
        verbose_name_plural = _("items checked for tracks")
        constraints = [
            models.UniqueConstraint(fields=["account", "media"], name="track_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.media_id}"
