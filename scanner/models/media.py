"""What an instance holds: its media (a series or a movie), their seasons and files."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q

from scanner import names
from scanner.engine.verdict import Tag
from scanner.fields import FileNameField
from scanner.models import choices
from scanner.models.instances import Instance


class Media(models.Model):
    Kind = choices.MediaKind
    # How long ``upgrading`` keeps a file for its import: Sonarr deletes the old file as
    # it moves the new one in (UpgradeMediaFileService), so seconds; a failed import
    # shows after this.
    UPGRADE_WAIT = timedelta(minutes=10)

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    arr_id = models.PositiveIntegerField(verbose_name="*arr id", null=True, blank=True)
    title = models.CharField(max_length=500)
    path = FileNameField(help_text="Local folder, after path mapping.")
    arr_path = models.TextField(
        verbose_name="folder in the *arr",
        blank=True,
        help_text="The folder as the *arr reports it.",
    )
    original_language = models.CharField(
        max_length=3, blank=True, help_text="As the *arr (or the instance) says; may be unknown."
    )
    original_override = models.CharField(
        max_length=3,
        blank=True,
        help_text="Set by a person: used instead of the *arr's original language, kept "
        "across scans.",
    )
    original_suggestion = models.CharField(
        max_length=3,
        blank=True,
        help_text="The *arr says English, but every counted file starts with this "
        "language: the *arr may not know the real original.",
    )
    unknown_language = models.CharField(
        verbose_name="language of its unknown tracks",
        max_length=3,
        blank=True,
        help_text="Set by a person: its audio tracks without a language are taken as this "
        "one, kept across scans.",
    )
    review_reasons = models.JSONField(
        default=list, blank=True, help_text="The guesses its verdict rests on, with why."
    )
    review_confirmed = models.JSONField(
        default=list,
        blank=True,
        help_text="The guesses a person confirmed (codes): out of the review list until "
        "another one appears.",
    )
    needs_review = models.BooleanField(
        verbose_name="needs review",
        default=False,
        help_text="Its verdict rests on a guess no person has confirmed.",
    )
    dub_announced = models.JSONField(
        null=True,
        blank=True,
        help_text="Per episode, its file and audio tracks as the last real scan told them "
        "(or as Taggarr first saw them): what dub arrivals and losses are told against.",
    )
    upgrading = models.JSONField(
        default=dict,
        blank=True,
        help_text="Files an *arr upgrade deleted moments ago, whose import has not come yet "
        "(relative path: when): a scan meanwhile keeps them, so no tag drops.",
    )
    dubs_due = models.BooleanField(
        default=False,
        help_text="Decided since its dub news was last told: the next real scan compares.",
    )
    genres = models.JSONField(default=list, blank=True)
    monitored = models.BooleanField(default=True)
    unmonitored_seasons = models.JSONField(default=list, blank=True)
    arr_tag_ids = models.JSONField(
        default=list, blank=True, help_text="Tag ids on the *arr item when it was last listed."
    )
    tvdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name="TVDB id")
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name="TMDb id")
    imdb_id = models.CharField(max_length=20, blank=True, verbose_name="IMDb id")
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The release year, as the *arr lists it."
    )
    title_slug = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="title slug",
        help_text="Sonarr's name of the series in its web UI's address (/series/<slug>).",
    )
    applied_tag = models.CharField(
        verbose_name="applied tag", max_length=10, choices=choices.TAG_CHOICES, default=Tag.NONE
    )
    planned_tag = models.CharField(
        verbose_name="planned tag", max_length=10, choices=choices.TAG_CHOICES, blank=True
    )
    language_verdicts = models.JSONField(
        default=dict, blank=True, help_text="Per target language: dub, semi-dub or none."
    )
    subtitle_verdicts = models.JSONField(
        default=dict, blank=True, help_text="Per target language: sub, semi-sub or none."
    )
    planned_labels = models.JSONField(
        default=list, blank=True, help_text="Per-language and subtitle labels it should carry."
    )
    applied_labels = models.JSONField(
        default=list, blank=True, help_text="Per-language and subtitle labels it carries."
    )
    nfo_due = models.BooleanField(
        verbose_name="NFO write due",
        default=False,
        help_text="Its NFO could not be written at the last scan, or a media server could "
        "not be asked to re-read it: the next scan does both again.",
    )
    coverage = models.JSONField(
        default=dict, blank=True, help_text="Per target: [counted files with it, counted files]."
    )
    lowest_coverage = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The lowest share (percent) of any target's coverage."
    )
    verdict_reasons = models.JSONField(default=dict, blank=True)
    settings_hash = models.CharField(max_length=64, blank=True)
    arr_files = models.JSONField(
        null=True,
        blank=True,
        help_text="The *arr's files of the item at the last scan (arr and hybrid sources): "
        "webhooks change them without a request.",
    )
    files_fingerprint = models.CharField(
        max_length=100,
        blank=True,
        help_text="The *arr's word on its files (count and size, or file id and size) at "
        "the last scan: unchanged, and the *arr's files need no new request.",
    )
    file_count = models.PositiveIntegerField(verbose_name="files", default=0)
    error_file_count = models.PositiveIntegerField(verbose_name="unreadable files", default=0)
    error = models.TextField(blank=True)
    last_scanned_at = models.DateTimeField(verbose_name="last scanned", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "media"
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "path"], name="media_unique_path"),
            models.UniqueConstraint(fields=["instance", "arr_id"], name="media_unique_arr_id"),
        ]
        indexes = [
            models.Index(fields=["instance", "applied_tag"]),
            models.Index(fields=["instance", "planned_tag"]),
            models.Index(fields=["title", "id"]),
        ]

    # The questions users filter by, defined once for the admin and the API.
    PENDING_CHANGE = (~Q(planned_tag="") & ~Q(planned_tag=models.F("applied_tag"))) | ~Q(
        planned_labels=models.F("applied_labels")
    )
    HAS_ERRORS = ~Q(error="") | Q(error_file_count__gt=0)
    DOUBTFUL_ORIGINAL = ~Q(original_suggestion="") & Q(original_override="")
    NEEDS_REVIEW = ~Q(needs_review=False)

    def __str__(self) -> str:
        return self.title

    @property
    def scope_key(self) -> int:
        """What names it in a run's scope (Instance.scope_filter)."""
        return self.arr_id if self.arr_id is not None else self.pk

    @property
    def has_pending_change(self) -> bool:
        summary = bool(self.planned_tag) and self.planned_tag != self.applied_tag
        return summary or self.planned_labels != self.applied_labels

    @property
    def effective_original(self) -> str:
        """The original language the verdict uses: a person's override wins."""
        return self.original_override or self.original_language

    @property
    def original_doubtful(self) -> bool:
        return bool(self.original_suggestion) and not self.original_override


class Season(models.Model):
    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="seasons")
    number = models.PositiveIntegerField()
    monitored = models.BooleanField(default=True)
    status = models.CharField(max_length=10, blank=True, help_text="The season's own verdict.")
    file_count = models.PositiveIntegerField(default=0)
    files_with_all = models.PositiveIntegerField(default=0)
    files_with_some = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    coverage = models.JSONField(
        default=dict, blank=True, help_text="Per target: [counted files with it, counted files]."
    )

    class Meta:
        ordering = ["media", "number"]
        constraints = [
            models.UniqueConstraint(fields=["media", "number"], name="season_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.media} season {self.number}"


class MediaFile(models.Model):
    Result = choices.MediaFileResult
    Source = choices.MediaFileSource

    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="files")
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    path = FileNameField(help_text="Relative to the media folder.")
    size = models.BigIntegerField()
    mtime_ns = models.BigIntegerField()
    episodes = models.JSONField(default=list, blank=True)
    audio_tracks = models.JSONField(default=list, blank=True)
    subtitle_tracks = models.JSONField(default=list, blank=True)
    sidecars_key = models.CharField(
        max_length=16,
        blank=True,
        help_text="Its sidecar subtitle files' names, hashed: when they change, the item "
        "is decided again without reading the video.",
    )

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FILE)
    source_note = models.CharField(
        max_length=200, blank=True, help_text="Why the *arr's media info was not used."
    )
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    error = models.TextField(blank=True)
    probed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["media", "path"]
        constraints = [
            models.UniqueConstraint(fields=["media", "path"], name="mediafile_unique_path"),
        ]

    def __str__(self) -> str:
        return names.display(self.path)
