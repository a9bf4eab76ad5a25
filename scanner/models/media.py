"""What an instance holds: its media (a series or a movie), their seasons and files."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scanner import names
from scanner.engine.languages import canonical
from scanner.engine.verdict import Tag
from scanner.fields import FileNameField
from scanner.models import choices
from scanner.models.instances import Instance


class Media(models.Model):
    Kind = choices.MediaKind
    Wanted = choices.WantedLanguages
    # How long ``upgrading`` keeps a file for its import: Sonarr deletes the old file as
    # it moves the new one in (UpgradeMediaFileService), so seconds; a failed import
    # shows after this.
    UPGRADE_WAIT = timedelta(minutes=10)

    instance = models.ForeignKey(
        Instance, on_delete=models.CASCADE, related_name="media", verbose_name=_("instance")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    arr_id = models.PositiveIntegerField(verbose_name=_("*arr id"), null=True, blank=True)
    title = models.CharField(max_length=500, verbose_name=_("title"))
    path = FileNameField(help_text=_("Local folder, after path mapping."), verbose_name=_("path"))
    arr_path = models.TextField(
        verbose_name=_("folder in the *arr"),
        blank=True,
        help_text=_("The folder as the *arr reports it."),
    )
    original_language = models.CharField(
        max_length=3,
        blank=True,
        help_text=_("As the *arr (or the instance) says; may be unknown."),
        verbose_name=_("original language"),
    )
    original_override = models.CharField(
        max_length=3,
        blank=True,
        help_text=_(
            "Set by a person: used instead of the *arr's original language, kept across scans."
        ),
        verbose_name=_("original override"),
    )
    original_suggestion = models.CharField(
        max_length=3,
        blank=True,
        help_text=_(
            "The *arr says English, but every counted file starts with this "
            "language: the *arr may not know the real original."
        ),
        verbose_name=_("original suggestion"),
    )
    unknown_language = models.CharField(
        verbose_name=_("language of its unknown tracks"),
        max_length=3,
        blank=True,
        help_text=_(
            "Set by a person: its audio tracks without a language are taken as this "
            "one, kept across scans."
        ),
    )
    review_reasons = models.JSONField(
        default=list,
        blank=True,
        help_text=_("The guesses its verdict rests on, with why."),
        verbose_name=_("review reasons"),
    )
    review_confirmed = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "The guesses a person confirmed (codes): out of the review list until "
            "another one appears."
        ),
        verbose_name=_("review confirmed"),
    )
    needs_review = models.BooleanField(
        verbose_name=_("needs review"),
        default=False,
        help_text=_("Its verdict rests on a guess no person has confirmed."),
    )
    variety_unknown = models.BooleanField(
        verbose_name=_("variety unknown decided"),
        default=False,
        help_text=_(
            "A track whose variety no source names decided a regional target (fr-CA, "
            "es-419) of its verdict: the verdict reasons say which."
        ),
    )
    settled_varieties = models.JSONField(
        verbose_name=_("settled varieties"),
        default=dict,
        blank=True,
        help_text=_(
            "Set by a person, per language: its tracks whose variety no source names are "
            'this variety ({"fra": "fr-CA"}), or none of the regional targets '
            '({"fra": "not"}); kept across scans.'
        ),
    )
    varieties_settled_by = models.JSONField(
        verbose_name=_("varieties settled by"),
        default=dict,
        blank=True,
        help_text=_("Who settled each language's unknown variety."),
    )
    wanted = models.CharField(
        verbose_name=_("wanted languages"),
        max_length=8,
        blank=True,
        default=Wanted.AS_INSTANCE,
        choices=Wanted.choices,
        help_text=_(
            "Set by a person, kept across scans: the languages wanted for this item are the "
            "instance's targets, none (original only: no dub is expected, searched for or "
            "told about; its subtitle tags stay), or its own list."
        ),
    )
    wanted_targets = models.JSONField(
        verbose_name=_("its own target languages"),
        default=list,
        blank=True,
        help_text=_("Its own targets, when its wanted languages are its own list."),
    )
    wanted_by = models.CharField(
        verbose_name=_("wanted languages chosen by"), max_length=150, blank=True
    )
    wanted_at = models.DateTimeField(
        verbose_name=_("wanted languages chosen on"), null=True, blank=True
    )
    dub_announced = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "Per episode, its file and audio tracks as the last real scan told them "
            "(or as Taggarr first saw them): what dub arrivals and losses are told against."
        ),
        verbose_name=_("dub announced"),
    )
    upgrading = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "Files an *arr upgrade deleted moments ago, whose import has not come yet "
            "(relative path: when): a scan meanwhile keeps them, so no tag drops."
        ),
        verbose_name=_("upgrading"),
    )
    dubs_due = models.BooleanField(
        default=False,
        help_text=_("Decided since its dub news was last told: the next real scan compares."),
        verbose_name=_("dub news due"),
    )
    genres = models.JSONField(default=list, blank=True, verbose_name=_("genres"))
    monitored = models.BooleanField(default=True, verbose_name=_("monitored"))
    unmonitored_seasons = models.JSONField(
        default=list, blank=True, verbose_name=_("unmonitored seasons")
    )
    arr_tag_ids = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Tag ids on the *arr item when it was last listed."),
        verbose_name=_("*arr tag ids"),
    )
    quality_profile_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("The *arr item's quality profile when it was last listed."),
        verbose_name=_("quality profile"),
    )
    tvdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("TVDB id"))
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("TMDb id"))
    imdb_id = models.CharField(max_length=20, blank=True, verbose_name=_("IMDb id"))
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("year"),
        help_text=_("The release year, as the *arr lists it."),
    )
    title_slug = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("title slug"),
        help_text=_("Sonarr's name of the series in its web UI's address (/series/<slug>)."),
    )
    arr_covers = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("cover addresses"),
        help_text=_(
            "The *arr's address of its poster and fanart when it was last listed (with the "
            "image's lastWrite): a new one is fetched after the scan."
        ),
    )
    applied_tag = models.CharField(
        verbose_name=_("applied tag"), max_length=10, choices=choices.TAG_CHOICES, default=Tag.NONE
    )
    planned_tag = models.CharField(
        verbose_name=_("planned tag"), max_length=10, choices=choices.TAG_CHOICES, blank=True
    )
    language_verdicts = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Per target language: dub, semi-dub or none."),
        verbose_name=_("language verdicts"),
    )
    subtitle_verdicts = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Per target language: sub, semi-sub or none."),
        verbose_name=_("subtitle verdicts"),
    )
    planned_labels = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Per-language and subtitle labels it should carry."),
        verbose_name=_("planned labels"),
    )
    applied_labels = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Per-language and subtitle labels it carries."),
        verbose_name=_("applied labels"),
    )
    nfo_due = models.BooleanField(
        verbose_name=_("NFO write due"),
        default=False,
        help_text=_(
            "Its NFO could not be written at the last scan, or a media server could "
            "not be asked to re-read it: the next scan does both again."
        ),
    )
    nfo_original = models.CharField(
        verbose_name=_("original language in its NFOs"),
        max_length=3,
        blank=True,
        help_text=_(
            "The original language Taggarr last wrote into its NFOs: it replaces only "
            "that value, never one a person or another program wrote."
        ),
    )
    coverage = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Per target: [counted files with it, counted files]."),
        verbose_name=_("coverage"),
    )
    lowest_coverage = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("The lowest share (percent) of any target's coverage."),
        verbose_name=_("lowest coverage"),
    )
    verdict_reasons = models.JSONField(default=dict, blank=True, verbose_name=_("verdict reasons"))
    settings_hash = models.CharField(max_length=64, blank=True, verbose_name=_("settings digest"))
    arr_files = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "The *arr's files of the item at the last scan (arr and hybrid sources): "
            "webhooks change them without a request."
        ),
        verbose_name=_("*arr files"),
    )
    arr_episodes = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "Sonarr's episodes at the last scan that asked for them, wherever the audio "
            "languages come from (season, number, title, air date, monitored, has a file): "
            "the series page's rows."
        ),
        verbose_name=_("*arr episodes"),
    )
    episodes_fingerprint = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The *arr's word on the files when Sonarr's episodes were last read: "
            "unchanged, and the episode list needs no new request."
        ),
        verbose_name=_("episodes' fingerprint"),
    )
    files_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text=_(
            "Its files' names, sizes and times and their subtitle files at the last scan, "
            "hashed: unchanged on disk, the item needs no new scan. Empty: not known "
            "yet (the next scan reads it)."
        ),
        verbose_name=_("files' digest"),
    )
    files_fingerprint = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The *arr's word on its files (count and size, or file id and size) at "
            "the last scan: unchanged, and the *arr's files need no new request."
        ),
        verbose_name=_("files' fingerprint"),
    )
    file_count = models.PositiveIntegerField(verbose_name=_("files"), default=0)
    error_file_count = models.PositiveIntegerField(verbose_name=_("unreadable files"), default=0)
    error = models.TextField(blank=True, verbose_name=_("error"))
    last_scanned_at = models.DateTimeField(verbose_name=_("last scanned"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "path"], name="media_unique_path"),
            models.UniqueConstraint(fields=["instance", "arr_id"], name="media_unique_arr_id"),
        ]
        indexes = [
            # The dashboard's counts (reports/stats.py library_counts) read every item's
            # tags, verdicts and questions from this index alone, an index-only scan of a
            # few MB, not the rows (2 KB each once scanned: 120 MB at 70,000 items; issue
            # 83). It stands in for (instance, applied_tag), a prefix of it. ``error``
            # is left out (up to 2,000 characters, past an index row's limit): the
            # items with errors have their own partial index below.
            models.Index(
                fields=["instance", "applied_tag", "planned_tag"],
                include=[
                    "language_verdicts",
                    "planned_labels",
                    "applied_labels",
                    "original_suggestion",
                    "original_override",
                    "needs_review",
                ],
                name="media_counts_idx",
            ),
            models.Index(
                fields=["instance"],
                condition=~Q(error="") | Q(error_file_count__gt=0),  # HAS_ERRORS
                name="media_errors_idx",
            ),
            models.Index(fields=["instance", "planned_tag"]),
            models.Index(fields=["title", "id"]),
            # The media list's filter of original languages steps through it
            # (reports/original_languages.py).
            models.Index(fields=["original_language"]),
            # /api/media/?ordering=-last_scanned_at: the newest 50 from the index, not a
            # sort of every item (issue 83, bench/RESULTS.md).
            models.Index(fields=["last_scanned_at"], name="media_last_scanned_idx"),
        ]

    # What the lists (the admin's media list, /api/media/) never show: the *arr's copies of
    # the item's files, episodes and covers, the widest columns of a row (issue 83).
    # dub_announced: the files last announced in dub news, as wide as arr_files.
    LIST_DEFERRED = ("arr_files", "arr_episodes", "arr_covers", "dub_announced")

    # The questions users filter by, defined once for the admin and the API.
    PENDING_CHANGE = (~Q(planned_tag="") & ~Q(planned_tag=models.F("applied_tag"))) | ~Q(
        planned_labels=models.F("applied_labels")
    )
    HAS_ERRORS = ~Q(error="") | Q(error_file_count__gt=0)
    DOUBTFUL_ORIGINAL = ~Q(original_suggestion="") & Q(original_override="")
    NEEDS_REVIEW = ~Q(needs_review=False)
    VARIETY_UNKNOWN = ~Q(variety_unknown=False)
    # A target language's state, as its stored verdict says: in every counted file
    # (dub), in some (semi-dub), in none.
    LANGUAGE_STATES = (Tag.DUB.value, Tag.SEMI_DUB.value, Tag.NONE.value)

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def language_state(code: str, state: str) -> Q:
        """The items whose verdict for target ``code`` (``deu``, ``fr-CA``) is ``state``."""
        return Q(**{f"language_verdicts__{code}": state})

    @staticmethod
    def regional_state(code: str, why: str) -> Q:
        """The items in none of the files for regional target ``code`` (``fr-CA``) for
        ``why`` (engine.regional_states: ``absent``, ``unknown``, ``other``)."""
        return Q(**{f"language_verdicts__{code}": Tag.NONE.value}) & Q(
            **{f"verdict_reasons__regional__{code}__state": why}
        )

    @property
    def scope_key(self) -> int:
        """What names it in a run's scope (Instance.scope_filter)."""
        return self.arr_id if self.arr_id is not None else self.pk

    @property
    def known_arr_id(self) -> int:
        """Its *arr id, for what only an *arr's item reaches (a library folder's has none)."""
        if self.arr_id is None:
            raise ValueError(f"{self.title!r} has no *arr id")
        return self.arr_id

    @property
    def has_pending_change(self) -> bool:
        summary = bool(self.planned_tag) and self.planned_tag != self.applied_tag
        return summary or self.planned_labels != self.applied_labels

    @property
    def effective_original(self) -> str:
        """The original language the verdict uses: a person's override wins."""
        return self.original_override or self.original_language

    @property
    def targets_own(self) -> tuple[str, ...]:
        """Its own targets, as stored (only when ``wanted`` is its own list)."""
        own = self.wanted_targets if isinstance(self.wanted_targets, list) else []
        return tuple(code for code in own if isinstance(code, str))

    @property
    def original_doubtful(self) -> bool:
        return bool(self.original_suggestion) and not self.original_override

    @property
    def original_to_write(self) -> str | None:
        """The original language its NFOs and its Jellyfin 12 items should say (issue
        70): a person's override, else the *arr's, as a canonical code; none while it
        is in doubt (the *arr's English offered to be replaced: Kodi and Jellyfin would
        choose the English dub as the original)."""
        if self.original_doubtful:
            return None
        return canonical(self.effective_original)


class Season(models.Model):
    media = models.ForeignKey(
        Media, on_delete=models.CASCADE, related_name="seasons", verbose_name=_("item")
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    monitored = models.BooleanField(default=True, verbose_name=_("monitored"))
    status = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("The season's own verdict."),
        verbose_name=_("status"),
    )
    file_count = models.PositiveIntegerField(default=0, verbose_name=_("file count"))
    files_with_all = models.PositiveIntegerField(default=0, verbose_name=_("files with all"))
    files_with_some = models.PositiveIntegerField(default=0, verbose_name=_("files with some"))
    error_count = models.PositiveIntegerField(default=0, verbose_name=_("error count"))
    coverage = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Per target: [counted files with it, counted files]."),
        verbose_name=_("coverage"),
    )

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["media", "number"]
        constraints = [
            models.UniqueConstraint(fields=["media", "number"], name="season_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.media} season {self.number}"


class MediaFile(models.Model):
    Result = choices.MediaFileResult
    Source = choices.MediaFileSource

    media = models.ForeignKey(
        Media, on_delete=models.CASCADE, related_name="files", verbose_name=_("item")
    )
    season = models.ForeignKey(
        Season,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("season"),
    )
    path = FileNameField(help_text=_("Relative to the media folder."), verbose_name=_("path"))
    size = models.BigIntegerField(verbose_name=_("size"))
    mtime_ns = models.BigIntegerField(verbose_name=_("modified (ns)"))
    episodes = models.JSONField(default=list, blank=True, verbose_name=_("episodes"))
    audio_tracks = models.JSONField(default=list, blank=True, verbose_name=_("audio tracks"))
    subtitle_tracks = models.JSONField(default=list, blank=True, verbose_name=_("subtitle tracks"))
    sidecars_key = models.CharField(
        max_length=16,
        blank=True,
        help_text=_(
            "Its sidecar subtitle files' names, hashed: when they change, the item "
            "is decided again without reading the video."
        ),
        verbose_name=_("subtitle files' key"),
    )

    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.FILE, verbose_name=_("source")
    )
    source_note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Why the *arr's media info was not used."),
        verbose_name=_("source note"),
    )
    result = models.CharField(
        max_length=10, choices=Result.choices, blank=True, verbose_name=_("result")
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    probed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["media", "path"]
        constraints = [
            models.UniqueConstraint(fields=["media", "path"], name="mediafile_unique_path"),
        ]

    def __str__(self) -> str:
        return names.display(self.path)
