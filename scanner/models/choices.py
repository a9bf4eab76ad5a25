"""Every fixed set of values the models store, in one place. Each model names its own
(``Instance.Kind``, ``ScanRun.Status`` ...), and those names are the ones to use."""

from __future__ import annotations

from django.db import models

from scanner.engine.verdict import Tag

# The verdicts, as the engine defines them (scanner.engine.verdict.Tag).
TAG_CHOICES = [(tag.value, tag.value) for tag in Tag]


# --- instances ----------------------------------------------------------------------


class InstanceKind(models.TextChoices):
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


class IdentifyAudioLanguage(models.TextChoices):
    """Whether audio tracks are listened to (docs/tagging-rules.md, "Listening")."""

    OFF = "off", "Off: the labels only"
    UNLABELLED = "unlabelled", "Tracks without a language"
    ALL = "all", "Every track (a label the speech contradicts is flagged)"


# --- media --------------------------------------------------------------------------


class MediaKind(models.TextChoices):
    SERIES = "series", "Series"
    MOVIE = "movie", "Movie"


class MediaFileResult(models.TextChoices):
    ALL = "all", "has every target"
    SOME = "some", "has some targets"
    NONE = "none", "no target"
    WRONG = "wrong", "wrong language"
    ERROR = "error", "unreadable"


class MediaFileSource(models.TextChoices):
    FILE = "file", "the file (MediaInfo)"
    ARR = "arr", "the *arr's media info"
    ARR_PROBE = "arr+probe", "the file: the *arr's media info was in doubt"


# --- scan runs ----------------------------------------------------------------------


class ScanTrigger(models.TextChoices):
    SCHEDULE = "schedule", "schedule"
    MANUAL = "manual", "manual (admin)"
    API = "api", "API"
    WEBHOOK = "webhook", "webhook"
    CLI = "cli", "command line"


class ScanStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    APPLYING = "applying", "applying"
    SUCCEEDED = "succeeded", "succeeded"
    PARTIAL = "partial", "partial (some writes or items failed)"
    FAILED = "failed", "failed"
    CANCELLED = "cancelled", "cancelled"
    INTERRUPTED = "interrupted", "interrupted"


class ScanMode(models.TextChoices):
    NORMAL = "normal", "normal"
    REWRITE = "rewrite", "rewrite (probe everything)"
    REMOVE = "remove", "remove every managed tag"
    APPLY = "apply", "apply the planned tags (no scan)"


class ScanItemStatus(models.TextChoices):
    PENDING = "pending", "pending"
    DONE = "done", "done"
    FAILED = "failed", "failed"


# --- history and news ---------------------------------------------------------------


class EventKind(models.TextChoices):
    TAG_CHANGED = "tag_changed", "tag changed"
    TAG_PLANNED = "tag_planned", "tag planned (dry run)"
    MEDIA_REMOVED = "media_removed", "media removed"
    SCAN_FINISHED = "scan_finished", "scan finished"
    ITEM_FAILED = "item_failed", "item failed"
    NFO_ERROR = "nfo_error", "NFO error"
    WEBHOOK = "webhook", "webhook"
    CONFIG = "config", "configuration"
    MEDIA_SERVER = "media_server", "media server"
    DUB_ARRIVED = "dub_arrived", "dub arrived"
    DUB_LOST = "dub_lost", "dub lost"
    SEARCH = "search", "missing dubs searched"
    REVIEW = "review", "review decision"


class NotificationKind(models.TextChoices):
    """What a notifier can be told about (the rules: scanner.notify.rules)."""

    SCAN_FAILED = "scan_failed", "a scan failed or ended partial"
    UNREACHABLE = "unreachable", "an instance was unreachable (its scan failed)"
    WRONG_DUB = "wrong_dub", "items became wrong-dub"
    DUB_ARRIVED = "dub_arrived", "a target language arrived in files that lacked it"
    DUB_LOST = "dub_lost", "a target language was lost (a file replaced by one without it)"


# --- media servers ------------------------------------------------------------------


class MediaServerKind(models.TextChoices):
    JELLYFIN = "jellyfin", "Jellyfin"
    EMBY = "emby", "Emby"
    PLEX = "plex", "Plex"
