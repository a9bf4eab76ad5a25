"""Instances: a Sonarr, a Radarr or a library folder, with every option of its scans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import hashed_tokens
from scanner.models import choices
from scanner.models.instance_options import InstanceOptions, tag_label_validator
from scanner.models.secrets import LAST_FOUR, Secret


def default_target_languages() -> list[str]:
    return ["eng"]


class Instance(InstanceOptions):
    """A Sonarr, a Radarr or a library folder. What its options mean (checks, tag
    labels, verdict settings): InstanceOptions. Every option is declared in
    instance_option_list too (its admin section, whether the verdict depends on it): a
    new field is declared there (docs/adding-an-option.md)."""

    Kind = choices.InstanceKind
    LibraryContent = choices.LibraryContent
    AudioSource = choices.AudioSource
    UnknownFirstTrack = choices.UnknownFirstTrack
    IdentifyAudioLanguage = choices.IdentifyAudioLanguage
    DefaultTracks = choices.DefaultTracks
    WishProfiles = choices.WishProfiles
    Badges = choices.Badges
    BadgeCorner = choices.BadgeCorner
    BadgeSize = choices.BadgeSize
    BadgeLook = choices.BadgeLook

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    library_content = models.CharField(
        verbose_name=_("library holds"),
        max_length=10,
        choices=LibraryContent.choices,
        default=LibraryContent.SERIES,
        help_text=_("For library instances: whether the folders hold series or movies."),
    )
    url = models.CharField(
        verbose_name=_("URL"), max_length=500, blank=True, help_text=_("e.g. http://sonarr:8989")
    )
    api_key_encrypted = models.TextField(
        blank=True, editable=False, verbose_name=_("encrypted API key")
    )
    api_key_last4 = models.CharField(
        max_length=4, blank=True, editable=False, verbose_name=_("API key (last 4)")
    )
    api_key = Secret("the API key of instance", hint=LAST_FOUR, address="url")
    if TYPE_CHECKING:  # what the Secret adds to the class (scanner.models.secrets)

        def get_api_key(self) -> str: ...
        def set_api_key(self, plaintext: str) -> None: ...

        @property
        def api_key_hint(self) -> str: ...

    connect_timeout = models.FloatField(
        verbose_name=_("connect timeout (seconds)"),
        default=5.0,
        validators=[MinValueValidator(0.1)],
    )
    read_timeout = models.FloatField(
        verbose_name=_("read timeout (seconds)"), default=30.0, validators=[MinValueValidator(0.1)]
    )
    root_folders = models.JSONField(
        verbose_name=_("root folders"),
        default=list,
        blank=True,
        help_text=_("Local folders in scope; empty means everything."),
    )
    path_mappings = models.JSONField(
        verbose_name=_("path mappings"),
        default=list,
        blank=True,
        help_text=_('[{"remote": "/tv", "local": "/mnt/media/tv"}]'),
    )
    target_languages = models.JSONField(
        verbose_name=_("target languages"), default=default_target_languages
    )
    allowed_extra_languages = models.JSONField(
        verbose_name=_("allowed extra languages"), default=list, blank=True
    )
    original_language = models.CharField(
        max_length=3,
        blank=True,
        help_text=_("Library instances: the original language of items."),
        verbose_name=_("original language"),
    )
    tag_dub = models.CharField(
        verbose_name=_("tag for dubs"),
        max_length=50,
        default="dub",
        validators=[tag_label_validator],
    )
    tag_semi_dub = models.CharField(
        verbose_name=_("tag for semi-dubs"),
        max_length=50,
        default="semi-dub",
        validators=[tag_label_validator],
    )
    tag_wrong_dub = models.CharField(
        verbose_name=_("tag for wrong dubs"),
        max_length=50,
        default="wrong-dub",
        validators=[tag_label_validator],
    )
    summary_tags = models.BooleanField(
        verbose_name=_("write the summary tag"),
        default=True,
        help_text=_("Write the dub / semi-dub / wrong-dub tag."),
    )
    language_tags = models.BooleanField(
        verbose_name=_("per-language tags"),
        default=False,
        help_text=_(
            "Also a tag per target language (dub-de, semi-dub-fr): each target "
            "language judged on its own."
        ),
    )
    subtitle_tags = models.BooleanField(
        verbose_name=_("subtitle tags"),
        default=False,
        help_text=_("Also a tag per target language with full subtitles (sub-de, semi-sub-fr)."),
    )
    tag_language_dub = models.CharField(
        verbose_name=_("per-language dub tag"),
        max_length=50,
        default="dub-{lang}",
        blank=True,
        help_text=_("{lang} becomes de, fr, ... (ISO 639-1); empty: the default."),
    )
    tag_language_semi_dub = models.CharField(
        verbose_name=_("per-language semi-dub tag"),
        max_length=50,
        default="semi-dub-{lang}",
        blank=True,
    )
    tag_subtitle = models.CharField(
        verbose_name=_("subtitle tag"), max_length=50, default="sub-{lang}", blank=True
    )
    tag_subtitle_semi = models.CharField(
        verbose_name=_("partial subtitle tag"), max_length=50, default="semi-sub-{lang}", blank=True
    )
    audio_source = models.CharField(
        verbose_name=_("audio languages from"),
        max_length=10,
        choices=AudioSource.choices,
        default=AudioSource.AUTO,
        help_text=_("Where the audio languages come from. Library folders always read files."),
    )
    quick_mode = models.BooleanField(
        verbose_name=_("quick mode"),
        default=False,
        help_text=_("Read only the first file (by episode number) of each counted season."),
    )
    count_specials = models.BooleanField(
        verbose_name=_("count specials"),
        default=False,
        help_text=_("Count season 0 (specials) when deciding a series' tag."),
    )
    count_unmonitored = models.BooleanField(
        verbose_name=_("count unmonitored seasons"),
        default=False,
        help_text=_("Count seasons the *arr does not monitor."),
    )
    sidecar_hi_hearing_impaired = models.BooleanField(
        verbose_name=_("Video.hi.srt is hearing impaired, not Hindi"),
        default=False,
        help_text=_(
            "Bazarr in single-language mode names a hearing-impaired subtitle file "
            "Video.hi.srt, without its language: such a file then counts for no language."
        ),
    )
    lat_is_latino = models.BooleanField(
        verbose_name=_("lat is Latin-American Spanish"),
        default=True,
        help_text=_(
            "Many Spanish-speaking release groups label Latin-American Spanish audio and "
            "subtitles lat, which ISO 639 gives to Latin: such a track then counts as "
            "Spanish (es-419)."
        ),
    )
    unknown_variety_counts = models.BooleanField(
        verbose_name=_("a track of unknown variety counts for a regional target"),
        default=False,
        help_text=_(
            "A regional target (fr-CA, es-419, pt-BR) is met only by a track known to be "
            "that variety. On: a track of its language whose variety no source names "
            "counts as that variety too. Items where such a track decided are listed "
            "(filter: variety unknown decided)."
        ),
    )
    identify_audio_language = models.CharField(
        verbose_name=_("identify the spoken language by listening"),
        max_length=10,
        choices=IdentifyAudioLanguage.choices,
        default=IdentifyAudioLanguage.OFF,
        help_text=_(
            "Listens to a few 30-second samples of a track (about 1 s of a worker's CPU "
            "each, some 2-3 s per track, once per file: kept until the file changes) with a "
            "speech model of about 140 MB, loaded once per worker process (some 300 MB more "
            'memory). Needs the listening extra (README, "Listening"); without it the scan '
            "goes on with the labels."
        ),
    )
    unknown_first_track = models.CharField(
        verbose_name=_("first audio track without a language"),
        max_length=10,
        choices=UnknownFirstTrack.choices,
        default=UnknownFirstTrack.ORIGINAL,
    )
    genre_filter = models.JSONField(
        verbose_name=_("only these genres"),
        default=list,
        blank=True,
        help_text=_("Only items with one of these genres; empty means all."),
    )
    dry_run = models.BooleanField(
        verbose_name=_("dry run"),
        default=False,
        help_text=_("Plan the tags and show them for review; write nothing."),
    )
    write_nfo = models.BooleanField(
        verbose_name=_("write NFO tags"),
        default=True,
        help_text=_(
            "Update the tags in every existing NFO that Kodi, Jellyfin or Emby read for "
            "the item (tvshow.nfo; a movie's movie.nfo and <video name>.nfo)."
        ),
    )
    create_nfo = models.BooleanField(
        verbose_name=_("create NFOs"),
        default=False,
        help_text=_(
            "Create a missing NFO holding only the tags and the item's TMDB, TVDB or "
            "IMDb link, so that Kodi still fetches the rest from its scraper (Kodi takes an NFO "
            "without a link for the item's whole metadata) and Jellyfin merges it with its own. "
            "Without a known id none is created: a library folder gives none."
        ),
    )
    refresh_after_write = models.BooleanField(
        verbose_name=_("refresh the *arr after writing"),
        default=False,
        help_text=_("Ask the *arr to refresh the items whose tags were written."),
    )
    default_tracks = models.CharField(
        verbose_name=_("each file's default track"),
        max_length=4,
        choices=DefaultTracks.choices,
        default=DefaultTracks.OFF,
        help_text=_(
            "Players that are not told which track to start (Jellyfin and Emby with "
            '"Play default audio track" on, Kodi, Infuse, VLC) start the one the file '
            "flags as default. After each scan, plan for each Matroska file the default "
            'audio and subtitle track the household\'s rules choose, and on "set" change '
            "those flags in the file's header in place: the file's size never changes, "
            "every change is journalled first and can be undone."
        ),
    )
    default_tracks_hardlinked = models.BooleanField(
        verbose_name=_("also in hardlinked files"),
        default=False,
        help_text=_(
            "Also in files with more than one hard link (a torrent may still be seeding "
            "them: its data would no longer match)."
        ),
    )
    wish_profiles = models.CharField(
        verbose_name=_("each item's quality profile"),
        max_length=4,
        choices=WishProfiles.choices,
        default=WishProfiles.OFF,
        help_text=_(
            "The *arr grabs what an item's quality profile prefers. After each scan, plan "
            "for each item the quality profile mapped to what its household wants (the "
            'original, a dub, or both), and on "set" give it to the item in the *arr. '
            "A profile changed in the *arr by hand is left alone, and every change can "
            "be undone."
        ),
    )
    wish_profiles_return = models.BooleanField(
        verbose_name=_("back to the earlier quality profile once the dub arrived"),
        default=False,
        help_text=_(
            "Once an item has the dub it was given a quality profile for, give it back "
            "the quality profile it had before."
        ),
    )
    badges = models.CharField(
        verbose_name=_("dub badges on posters"),
        max_length=4,
        choices=Badges.choices,
        default=Badges.OFF,
        help_text=_(
            "After each scan, plan for each item the badges of the dubs it holds (VFQ, "
            "Latino, DE...) on the poster file beside it, which Kodi and Jellyfin show, and "
            'on "set" draw them: the original poster is kept first, a poster you put there '
            "yourself since is left alone, and every change can be undone."
        ),
    )
    badges_corner = models.CharField(
        verbose_name=_("corner of the badges"),
        max_length=12,
        choices=BadgeCorner.choices,
        default=BadgeCorner.TOP_LEFT,
    )
    badges_size = models.CharField(
        verbose_name=_("size of the badges"),
        max_length=6,
        choices=BadgeSize.choices,
        default=BadgeSize.MEDIUM,
        help_text=_("Medium: about 6 percent of the poster's height, readable in a phone's grid."),
    )
    badges_look = models.CharField(
        verbose_name=_("look of the badges"),
        max_length=6,
        choices=BadgeLook.choices,
        default=BadgeLook.WORDS,
        help_text=_(
            "A flag names a country, not a language: with flags, each badge keeps its word "
            "(VFQ beside Quebec's flag, Latino beside Mexico's)."
        ),
    )
    badges_original = models.BooleanField(
        verbose_name=_("badge of the original"),
        default=False,
        help_text=_(
            "After the dubs, the original language's badge (EN, JA), when every file also holds it."
        ),
    )
    badges_subtitles = models.BooleanField(
        verbose_name=_("badges of the subtitles"),
        default=False,
        help_text=_("Each target language with full subtitles, in a blue badge."),
    )
    enabled = models.BooleanField(default=True, verbose_name=_("enabled"))
    scan_interval_minutes = models.PositiveIntegerField(
        verbose_name=_("scan interval (minutes)"),
        default=360,
        help_text=_("Scheduled scans; 0 turns them off."),
    )
    search_missing_scheduled = models.BooleanField(
        verbose_name=_("search for missing dubs on a schedule"),
        default=False,
        help_text=_(
            "Ask the *arr, within the daily bound, to search for the episodes and "
            "movies whose files lack a target language."
        ),
    )
    search_daily_limit = models.PositiveIntegerField(
        verbose_name=_("searches per day"),
        default=20,
        validators=[MaxValueValidator(10_000)],
        help_text=_(
            "At most this many episodes and movies asked for in 24 hours (by hand or "
            "on the schedule); 0: none."
        ),
    )
    search_interval_days = models.PositiveIntegerField(
        verbose_name=_("search an item again after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("An item searched for is not searched again for this many days."),
    )
    lost_dub_action = models.CharField(
        verbose_name=_("when an upgrade loses a dub"),
        max_length=12,
        choices=choices.LostDubAction.choices,
        default=choices.LostDubAction.TELL,
        help_text=_(
            "When a new file (an upgrade) lacks a target language its old file had: only "
            "tell it, search again for it within the daily bound, or mark the new file's "
            "grab as failed in the *arr, which blocklists that release and searches for "
            "another. Done once per file, within the daily bound."
        ),
    )
    next_scan_at = models.DateTimeField(
        verbose_name=_("next scheduled scan"), null=True, blank=True, editable=False
    )
    first_scan_at = models.DateTimeField(
        verbose_name=_("first scan started"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When a person started its first scan. Until then nothing runs on its own: "
            "no scheduled scan, no webhook scan."
        ),
    )
    webhook_token_encrypted = models.TextField(
        editable=False, verbose_name=_("encrypted webhook token")
    )
    webhook_token_hash = models.CharField(
        max_length=hashed_tokens.DIGEST_LENGTH,
        unique=True,
        editable=False,
        verbose_name=_("webhook token digest"),
    )
    # Found by its hash (webhooks), read for the webhook URL; no hint: it is in that URL.
    webhook_token = Secret("the webhook token of instance", lookup="webhook_token_hash")
    if TYPE_CHECKING:  # what the Secret adds to the class (scanner.models.secrets)

        def get_webhook_token(self) -> str: ...
        def set_webhook_token(self, plaintext: str) -> None: ...

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
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

    def rotate_webhook_token(self) -> str:
        token = hashed_tokens.new_token()
        self.set_webhook_token(token)
        return token

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
            return choices.MediaKind.SERIES
        if self.kind == self.Kind.RADARR:
            return choices.MediaKind.MOVIE
        return (
            choices.MediaKind.SERIES
            if self.library_content == "series"
            else choices.MediaKind.MOVIE
        )
