"""The models, before they are split by area (see scanner.models)."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from scanner import crypto, names, validators
from scanner.engine.labels import LabelSet, label_errors
from scanner.engine.verdict import Tag
from scanner.fields import FileNameField

TAG_LABEL_RE = r"^[a-z0-9-]+$"
tag_label_validator = RegexValidator(
    TAG_LABEL_RE, "Use only lowercase letters, digits and '-' (Sonarr/Radarr reject others)."
)


def default_target_languages() -> list[str]:
    return ["eng"]


SUMMARY_LABEL_FIELDS = ("tag_dub", "tag_semi_dub", "tag_wrong_dub")
LABEL_TEMPLATE_FIELDS_BY_KEY = {
    "language_dub": "tag_language_dub",
    "language_semi_dub": "tag_language_semi_dub",
    "subtitle": "tag_subtitle",
    "subtitle_semi": "tag_subtitle_semi",
}
LABEL_TEMPLATE_FIELDS = tuple(LABEL_TEMPLATE_FIELDS_BY_KEY.values())

# The verdicts, as the engine defines them (scanner.engine.verdict.Tag).
TAG_CHOICES = [(tag.value, tag.value) for tag in Tag]


class Instance(models.Model):
    class Kind(models.TextChoices):
        SONARR = "sonarr", "Sonarr"
        RADARR = "radarr", "Radarr"
        LIBRARY = "library", "Library folder (no *arr)"

    class LibraryContent(models.TextChoices):
        SERIES = "series", "TV series"
        MOVIES = "movies", "Movies"

    class AudioSource(models.TextChoices):
        AUTO = "auto", "Automatic: hybrid when the folders are here, else the *arr's"
        FILES = "files", "Files: read every file (MediaInfo)"
        ARR = "arr", "The *arr's media info: no file is opened"
        HYBRID = "hybrid", "Hybrid: the *arr's media info, files read only when in doubt"

    class UnknownFirstTrack(models.TextChoices):
        ORIGINAL = "original", "Take it as the original language"
        IGNORE = "ignore", "Ignore it"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    library_content = models.CharField(
        verbose_name="library holds",
        max_length=10,
        choices=LibraryContent.choices,
        default=LibraryContent.SERIES,
        help_text="For library instances: whether the folders hold series or movies.",
    )
    url = models.CharField(
        verbose_name="URL", max_length=500, blank=True, help_text="e.g. http://sonarr:8989"
    )
    api_key_encrypted = models.TextField(blank=True, editable=False)
    api_key_last4 = models.CharField(max_length=4, blank=True, editable=False)
    connect_timeout = models.FloatField(
        verbose_name="connect timeout (seconds)", default=5.0, validators=[MinValueValidator(0.1)]
    )
    read_timeout = models.FloatField(
        verbose_name="read timeout (seconds)", default=30.0, validators=[MinValueValidator(0.1)]
    )
    root_folders = models.JSONField(
        verbose_name="root folders",
        default=list,
        blank=True,
        help_text="Local folders in scope; empty means everything.",
    )
    path_mappings = models.JSONField(
        verbose_name="path mappings",
        default=list,
        blank=True,
        help_text='[{"remote": "/tv", "local": "/mnt/media/tv"}]',
    )
    target_languages = models.JSONField(
        verbose_name="target languages", default=default_target_languages
    )
    allowed_extra_languages = models.JSONField(
        verbose_name="allowed extra languages", default=list, blank=True
    )
    original_language = models.CharField(
        max_length=3, blank=True, help_text="Library instances: the original language of items."
    )
    tag_dub = models.CharField(
        verbose_name="tag for dubs", max_length=50, default="dub", validators=[tag_label_validator]
    )
    tag_semi_dub = models.CharField(
        verbose_name="tag for semi-dubs",
        max_length=50,
        default="semi-dub",
        validators=[tag_label_validator],
    )
    tag_wrong_dub = models.CharField(
        verbose_name="tag for wrong dubs",
        max_length=50,
        default="wrong-dub",
        validators=[tag_label_validator],
    )
    summary_tags = models.BooleanField(
        verbose_name="write the summary tag",
        default=True,
        help_text="Write the dub / semi-dub / wrong-dub tag.",
    )
    language_tags = models.BooleanField(
        verbose_name="per-language tags",
        default=False,
        help_text="Also a tag per target language (dub-de, semi-dub-fr): each target "
        "language judged on its own.",
    )
    subtitle_tags = models.BooleanField(
        verbose_name="subtitle tags",
        default=False,
        help_text="Also a tag per target language with full subtitles (sub-de, semi-sub-fr).",
    )
    tag_language_dub = models.CharField(
        verbose_name="per-language dub tag",
        max_length=50,
        default="dub-{lang}",
        blank=True,
        help_text="{lang} becomes de, fr, ... (ISO 639-1); empty: the default.",
    )
    tag_language_semi_dub = models.CharField(
        verbose_name="per-language semi-dub tag",
        max_length=50,
        default="semi-dub-{lang}",
        blank=True,
    )
    tag_subtitle = models.CharField(
        verbose_name="subtitle tag", max_length=50, default="sub-{lang}", blank=True
    )
    tag_subtitle_semi = models.CharField(
        verbose_name="partial subtitle tag", max_length=50, default="semi-sub-{lang}", blank=True
    )
    audio_source = models.CharField(
        verbose_name="audio languages from",
        max_length=10,
        choices=AudioSource.choices,
        default=AudioSource.AUTO,
        help_text="Where the audio languages come from. Library folders always read files.",
    )
    quick_mode = models.BooleanField(
        verbose_name="quick mode",
        default=False,
        help_text="Read only the first file (by episode number) of each counted season.",
    )
    count_specials = models.BooleanField(
        verbose_name="count specials",
        default=False,
        help_text="Count season 0 (specials) when deciding a series' tag.",
    )
    count_unmonitored = models.BooleanField(
        verbose_name="count unmonitored seasons",
        default=False,
        help_text="Count seasons the *arr does not monitor.",
    )
    unknown_first_track = models.CharField(
        verbose_name="first audio track without a language",
        max_length=10,
        choices=UnknownFirstTrack.choices,
        default=UnknownFirstTrack.ORIGINAL,
    )
    genre_filter = models.JSONField(
        verbose_name="only these genres",
        default=list,
        blank=True,
        help_text="Only items with one of these genres; empty means all.",
    )
    dry_run = models.BooleanField(
        verbose_name="dry run",
        default=False,
        help_text="Plan the tags and show them for review; write nothing.",
    )
    write_nfo = models.BooleanField(
        verbose_name="write NFO tags", default=True, help_text="Update the tags in existing NFOs."
    )
    create_nfo = models.BooleanField(
        verbose_name="create NFOs", default=False, help_text="Create missing NFOs."
    )
    refresh_after_write = models.BooleanField(
        verbose_name="refresh the *arr after writing",
        default=False,
        help_text="Ask the *arr to refresh the items whose tags were written.",
    )
    enabled = models.BooleanField(default=True)
    scan_interval_minutes = models.PositiveIntegerField(
        verbose_name="scan interval (minutes)",
        default=360,
        help_text="Scheduled scans; 0 turns them off.",
    )
    next_scan_at = models.DateTimeField(
        verbose_name="next scheduled scan", null=True, blank=True, editable=False
    )
    first_scan_at = models.DateTimeField(
        verbose_name="first scan started",
        null=True,
        blank=True,
        editable=False,
        help_text="When a person started its first scan. Until then nothing runs on its own: "
        "no scheduled scan, no webhook scan.",
    )
    webhook_token_encrypted = models.TextField(editable=False)
    webhook_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="library") | ~Q(url=""), name="instance_arr_needs_url"
            ),
            models.CheckConstraint(
                condition=~Q(tag_dub=models.F("tag_semi_dub"))
                & ~Q(tag_dub=models.F("tag_wrong_dub"))
                & ~Q(tag_semi_dub=models.F("tag_wrong_dub")),
                name="instance_tag_labels_distinct",
            ),
            models.CheckConstraint(
                condition=Q(connect_timeout__gt=0) & Q(read_timeout__gt=0),
                name="instance_timeouts_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.webhook_token_hash:
            self.rotate_webhook_token()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        self._normalise_labels()
        super().clean_fields(exclude=exclude)

    def _normalise_labels(self) -> None:
        """Labels are stored lowercase (as the *arr stores them): accept "Dub"; an empty
        template means the default one."""
        for field in (*SUMMARY_LABEL_FIELDS, *LABEL_TEMPLATE_FIELDS):
            value = str(getattr(self, field) or "").strip().lower()
            setattr(self, field, value or self._meta.get_field(field).get_default())

    def clean(self) -> None:
        """Normalise and check every option; errors are keyed by field name."""
        self._normalise_labels()
        errors: dict[str, list[str]] = {}

        def check(field: str, cleaner: Callable[[Any], Any]) -> None:
            try:
                setattr(self, field, cleaner(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages

        if self.is_arr:
            if self.url:
                check("url", validators.clean_arr_url)
            else:
                errors["url"] = [f"{self.get_kind_display()} needs a URL"]
        elif not self.root_folders:
            errors["root_folders"] = ["a library instance needs at least one root folder"]
        check("target_languages", partial(validators.clean_languages, allow_empty=False))
        check("allowed_extra_languages", partial(validators.clean_languages, allow_empty=True))
        check("original_language", validators.clean_language)
        check("root_folders", validators.clean_folders)
        check("path_mappings", validators.clean_path_mappings)
        check("genre_filter", validators.clean_genres)
        if "target_languages" not in errors:
            for key, message in label_errors(self.label_set(), self.target_languages).items():
                field = "tag_wrong_dub" if key == "summary" else LABEL_TEMPLATE_FIELDS_BY_KEY[key]
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    # --- secrets: written here, never read back through the UI or the API ----------

    def set_api_key(self, plaintext: str) -> None:
        self.api_key_encrypted = crypto.encrypt(plaintext) if plaintext else ""
        self.api_key_last4 = plaintext[-4:] if len(plaintext) > 8 else ""

    def get_api_key(self) -> str:
        if not self.api_key_encrypted:
            return ""
        return crypto.decrypt(self.api_key_encrypted, what=f"the API key of instance {self.name!r}")

    @property
    def api_key_hint(self) -> str:
        if not self.api_key_encrypted:
            return ""
        return f"****{self.api_key_last4}"

    def rotate_webhook_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.webhook_token_encrypted = crypto.encrypt(token)
        self.webhook_token_hash = crypto.lookup_hash(token)
        return token

    def get_webhook_token(self) -> str:
        return crypto.decrypt(
            self.webhook_token_encrypted, what=f"the webhook token of instance {self.name!r}"
        )

    # --- what the verdict depends on --------------------------------------------------

    @property
    def is_arr(self) -> bool:
        return self.kind != self.Kind.LIBRARY

    def scope_filter(self, scope: Iterable[int]) -> Q:
        """Its media in a run's scope: *arr ids, or media ids for a library instance."""
        return Q(arr_id__in=scope) if self.is_arr else Q(pk__in=scope)

    @property
    def waits_for_first_scan(self) -> bool:
        """A new instance writes nothing until a person starts its first scan."""
        return self.first_scan_at is None

    @property
    def media_kind(self) -> str:
        if self.kind == self.Kind.SONARR:
            return Media.Kind.SERIES
        if self.kind == self.Kind.RADARR:
            return Media.Kind.MOVIE
        return Media.Kind.SERIES if self.library_content == "series" else Media.Kind.MOVIE

    def tag_labels(self) -> dict[str, str]:
        return {
            Tag.DUB: self.tag_dub,
            Tag.SEMI_DUB: self.tag_semi_dub,
            Tag.WRONG_DUB: self.tag_wrong_dub,
        }

    def label_set(self) -> LabelSet:
        return LabelSet(
            summary=self.tag_labels(),
            summary_on=self.summary_tags,
            language_on=self.language_tags,
            subtitles_on=self.subtitle_tags,
            language_dub=self.tag_language_dub,
            language_semi_dub=self.tag_language_semi_dub,
            subtitle=self.tag_subtitle,
            subtitle_semi=self.tag_subtitle_semi,
        )

    def verdict_settings(self) -> dict[str, Any]:
        """The options a verdict depends on; a change re-decides every item (from the
        stored tracks: nothing is probed again)."""
        return {
            "labels": [self.language_tags, self.subtitle_tags, *self.label_set().templates()],
            "targets": sorted(self.target_languages),
            "extras": sorted(self.allowed_extra_languages),
            "unknown_first_track": self.unknown_first_track,
            "quick_mode": self.quick_mode,
            "count_specials": self.count_specials,
            "count_unmonitored": self.count_unmonitored,
            "original_language": self.original_language,
        }

    def verdict_settings_hash(self) -> str:
        blob = json.dumps(self.verdict_settings(), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


class Media(models.Model):
    class Kind(models.TextChoices):
        SERIES = "series", "Series"
        MOVIE = "movie", "Movie"

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
    genres = models.JSONField(default=list, blank=True)
    monitored = models.BooleanField(default=True)
    unmonitored_seasons = models.JSONField(default=list, blank=True)
    arr_tag_ids = models.JSONField(
        default=list, blank=True, help_text="Tag ids on the *arr item when it was last listed."
    )
    tvdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name="TVDB id")
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name="TMDb id")
    imdb_id = models.CharField(max_length=20, blank=True, verbose_name="IMDb id")
    title_slug = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="title slug",
        help_text="Sonarr's name of the series in its web UI's address (/series/<slug>).",
    )
    applied_tag = models.CharField(
        verbose_name="applied tag", max_length=10, choices=TAG_CHOICES, default=Tag.NONE
    )
    planned_tag = models.CharField(
        verbose_name="planned tag", max_length=10, choices=TAG_CHOICES, blank=True
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
    class Result(models.TextChoices):
        ALL = "all", "has every target"
        SOME = "some", "has some targets"
        NONE = "none", "no target"
        WRONG = "wrong", "wrong language"
        ERROR = "error", "unreadable"

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

    class Source(models.TextChoices):
        FILE = "file", "the file (MediaInfo)"
        ARR = "arr", "the *arr's media info"
        ARR_PROBE = "arr+probe", "the file: the *arr's media info was in doubt"

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


# A run in one of these holds its instance: no second run may start.
ACTIVE_STATUSES = ("queued", "running", "applying")


class ScanRun(models.Model):
    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "schedule"
        MANUAL = "manual", "manual (admin)"
        API = "api", "API"
        WEBHOOK = "webhook", "webhook"
        CLI = "cli", "command line"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        APPLYING = "applying", "applying"
        SUCCEEDED = "succeeded", "succeeded"
        PARTIAL = "partial", "partial (some writes or items failed)"
        FAILED = "failed", "failed"
        CANCELLED = "cancelled", "cancelled"
        INTERRUPTED = "interrupted", "interrupted"

    class Mode(models.TextChoices):
        NORMAL = "normal", "normal"
        REWRITE = "rewrite", "rewrite (probe everything)"
        REMOVE = "remove", "remove every managed tag"
        APPLY = "apply", "apply the planned tags (no scan)"

    ACTIVE = ACTIVE_STATUSES
    # Started by a person: the first of these starts the instance's schedule.
    BY_A_PERSON = (Trigger.MANUAL, Trigger.API, Trigger.CLI)
    APPLIED = (Status.SUCCEEDED, Status.PARTIAL)  # it got to the end and wrote what it could

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="scan_runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.NORMAL)
    dry_run = models.BooleanField(default=False)
    quick_mode = models.BooleanField(
        null=True, blank=True, help_text="Overrides the instance's quick mode for this run."
    )
    scope = models.JSONField(
        default=list,
        blank=True,
        help_text="The items to scan: *arr ids (media ids for a library instance); empty: "
        "everything.",
    )
    cancel_requested = models.BooleanField(default=False)
    items_total = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    items_skipped = models.PositiveIntegerField(default=0)
    items_failed = models.PositiveIntegerField(default=0)
    files_probed = models.PositiveIntegerField(default=0)
    file_errors = models.PositiveIntegerField(default=0)
    tags_changed = models.PositiveIntegerField(default=0)
    arr_requests = models.PositiveIntegerField(default=0)
    resends = models.PositiveSmallIntegerField(
        default=0, help_text="Times its lost work was sent again since its last progress."
    )
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "scan"
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
        return f"scan #{self.pk} of {self.instance.name}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

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

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="items")
    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="scan_items")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    arr_files = models.JSONField(
        null=True,
        blank=True,
        help_text=(
            'The *arr\'s files of the item as the plan found them; with "fetch", the item'
            " asks the *arr for them."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "media"], name="scanitem_unique_media"),
        ]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"{self.media_id} in run {self.run_id} ({self.status})"


class ScanRequest(models.Model):
    """An item a webhook asked to scan; picked up by the next run of its instance."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="scan_requests")
    arr_id = models.PositiveIntegerField()
    event_type = models.CharField(max_length=40)
    file_changes = models.JSONField(
        null=True,
        blank=True,
        help_text="The files the webhooks said changed, with their media info; null: ask "
        "the *arr for the item's files.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instance", "arr_id"], name="scanrequest_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} for item {self.arr_id}"


class Event(models.Model):
    class Kind(models.TextChoices):
        TAG_CHANGED = "tag_changed", "tag changed"
        TAG_PLANNED = "tag_planned", "tag planned (dry run)"
        MEDIA_REMOVED = "media_removed", "media removed"
        SCAN_FINISHED = "scan_finished", "scan finished"
        ITEM_FAILED = "item_failed", "item failed"
        NFO_ERROR = "nfo_error", "NFO error"
        WEBHOOK = "webhook", "webhook"
        CONFIG = "config", "configuration"
        MEDIA_SERVER = "media_server", "media server"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    instance = models.ForeignKey(
        Instance, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    media = models.ForeignKey(
        Media, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    run = models.ForeignKey(
        ScanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["instance", "-created_at"]),
            models.Index(fields=["kind", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationKind(models.TextChoices):
    """What a notifier can be told about (the rules: scanner.notify.rules)."""

    SCAN_FAILED = "scan_failed", "a scan failed or ended partial"
    UNREACHABLE = "unreachable", "an instance was unreachable (its scan failed)"
    WRONG_DUB = "wrong_dub", "items became wrong-dub"


def every_notification_kind() -> list[str]:
    return list(NotificationKind.values)


class Notifier(models.Model):
    """Where to tell what: an Apprise URL (encrypted at rest, write-only, shown only as a
    hint), the kinds of news, and the instances it is about (none: every one)."""

    name = models.CharField(max_length=100, unique=True)
    url_encrypted = models.TextField(editable=False)
    url_hint = models.CharField(max_length=40, editable=False, blank=True)
    events = models.JSONField(
        default=every_notification_kind,
        help_text="What to send: " + ", ".join(NotificationKind.values),
    )
    instances = models.ManyToManyField(
        Instance, blank=True, related_name="notifiers", help_text="None selected: every instance."
    )
    enabled = models.BooleanField(default=True)
    rate_limit_minutes = models.PositiveIntegerField(
        default=15,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text="At most one message of each kind per this many minutes; 0: no limit.",
    )
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        events = self.events if isinstance(self.events, list) else []
        unknown = [e for e in events if e not in NotificationKind.values]
        if unknown or not events:
            raise ValidationError({"events": f"choose from {', '.join(NotificationKind.values)}"})
        self.events = [kind for kind in NotificationKind.values if kind in events]

    def set_url(self, url: str) -> None:
        self.url_encrypted = crypto.encrypt(url)
        scheme = url.partition("://")[0][:20] if "://" in url else "?"
        self.url_hint = f"{scheme}://****{url[-4:]}" if len(url) > 16 else f"{scheme}://****"

    def get_url(self) -> str:
        return crypto.decrypt(self.url_encrypted, what=f"the URL of notifier {self.name!r}")

    def wants(self, kind: str) -> bool:
        return self.enabled and kind in self.events


class NotifierThrottle(models.Model):
    """When a notifier last got a message of a kind: the rate limit, shared by every
    worker through the database (claimed by compare-and-set, scanner.notify.throttle)."""

    notifier = models.ForeignKey(Notifier, on_delete=models.CASCADE, related_name="throttles")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = "notification rate limit"
        constraints = [
            models.UniqueConstraint(fields=["notifier", "kind"], name="notifierthrottle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.notifier_id} {self.kind} at {self.sent_at}"


class MediaServer(models.Model):
    """A Jellyfin, Emby or Plex server the tags of some instances are also written to
    (Jellyfin and Emby item tags, Plex labels). The token is encrypted at rest and
    write-only: only a hint is ever shown."""

    class Kind(models.TextChoices):
        JELLYFIN = "jellyfin", "Jellyfin"
        EMBY = "emby", "Emby"
        PLEX = "plex", "Plex"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.JELLYFIN)
    url = models.CharField(
        max_length=500, help_text="e.g. http://jellyfin:8096 or http://plex:32400"
    )
    token_encrypted = models.TextField(editable=False)
    token_last4 = models.CharField(max_length=4, blank=True, editable=False)
    instances = models.ManyToManyField(
        Instance,
        blank=True,
        related_name="media_servers",
        help_text="The instances whose tags this server gets.",
    )
    path_mappings = models.JSONField(
        default=list,
        blank=True,
        help_text='The server\'s folders as Taggarr sees them: [{"remote": "/media/tv" (the '
        'server\'s), "local": "/mnt/media/tv" (Taggarr\'s)}]',
    )
    libraries = models.JSONField(
        default=list, blank=True, help_text="Library names to write in; empty: every library."
    )
    write_tags = models.BooleanField(
        verbose_name="write tags",
        default=True,
        help_text="Set Taggarr's tags (Plex: labels) on the server's items directly.",
    )
    refresh_after_nfo = models.BooleanField(
        verbose_name="refresh after NFO writes",
        default=False,
        help_text="Ask the server to refresh each item whose NFO Taggarr changed, so that "
        "it reads the NFO's tags (Jellyfin and Emby with the NFO metadata reader on; Plex "
        "reads no NFO). A refresh may replace tags that are only on the server.",
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field, cleaner in (
            ("url", validators.clean_arr_url),
            ("path_mappings", validators.clean_path_mappings),
            ("libraries", validators.clean_genres),  # names: a list of non-empty strings
        ):
            try:
                setattr(self, field, cleaner(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages
        if self.refresh_after_nfo and self.kind == self.Kind.PLEX:
            errors["refresh_after_nfo"] = ["Plex reads no NFO file: write its labels instead."]
        elif not (self.write_tags or self.refresh_after_nfo):
            errors["write_tags"] = [
                "Write tags, refresh after NFO writes, or both (to pause the server, "
                "turn off enabled)."
            ]
        if errors:
            raise ValidationError(errors)

    def set_token(self, plaintext: str) -> None:
        self.token_encrypted = crypto.encrypt(plaintext)
        self.token_last4 = plaintext[-4:] if len(plaintext) > 8 else ""

    def get_token(self) -> str:
        return crypto.decrypt(self.token_encrypted, what=f"the token of media server {self.name!r}")

    @property
    def token_hint(self) -> str:
        return f"****{self.token_last4}" if self.token_encrypted else ""
