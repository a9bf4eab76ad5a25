"""Every fixed set of values the models store, in one place. Each model names its own
(``Instance.Kind``, ``ScanRun.Status`` ...), and those names are the ones to use."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from scanner.engine import listener, targets, unheard
from scanner.engine.verdict import Tag

# The verdicts, as the engine defines them (scanner.engine.verdict.Tag).
TAG_CHOICES = [(tag.value, tag.value) for tag in Tag]


# --- instances ----------------------------------------------------------------------


class InstanceKind(models.TextChoices):
    SONARR = "sonarr", _("Sonarr")
    RADARR = "radarr", _("Radarr")
    LIBRARY = "library", _("Library folder (no *arr)")


class LibraryContent(models.TextChoices):
    SERIES = "series", _("TV series")
    MOVIES = "movies", _("Movies")


class AudioSource(models.TextChoices):
    AUTO = "auto", _("Automatic: hybrid when the folders are here, else the *arr's")
    FILES = "files", _("Files: read every file (MediaInfo)")
    ARR = "arr", _("The *arr's media info: no file is opened")
    HYBRID = "hybrid", _("Hybrid: the *arr's media info, files read only when in doubt")


class UnknownFirstTrack(models.TextChoices):
    ORIGINAL = "original", _("Take it as the original language")
    IGNORE = "ignore", _("Ignore it")


class IdentifyAudioLanguage(models.TextChoices):
    """Whether audio tracks are listened to (docs/tagging-rules.md, "Listening")."""

    OFF = "off", _("Off: the labels only")
    UNLABELLED = "unlabelled", _("Tracks without a language")
    ALL = "all", _("Every track (a label the speech contradicts is flagged)")


class DefaultTracks(models.TextChoices):
    """Whether each file's own default audio and subtitle track is set (issue 81:
    scanner.default_tracks)."""

    OFF = "off", _("off")
    PLAN = "plan", _("plan only: show what would change")
    SET = "set", _("set in the files")


class WishProfiles(models.TextChoices):
    """Whether each item's quality profile follows its wish (issue 82:
    scanner.wish_profiles)."""

    OFF = "off", _("off")
    PLAN = "plan", _("plan only: show what would change")
    SET = "set", _("set in the *arr")


class Badges(models.TextChoices):
    """Whether each item's poster shows its dubs as badges (issue 95: scanner.badges)."""

    OFF = "off", _("off")
    PLAN = "plan", _("plan only: show what would change")
    SET = "set", _("draw on the posters")


class BadgeCorner(models.TextChoices):
    """Where on the poster the badges stand (scanner.badges.draw.CORNERS)."""

    TOP_LEFT = "top-left", _("top left")
    TOP_RIGHT = "top-right", _("top right")
    BOTTOM_LEFT = "bottom-left", _("bottom left")
    BOTTOM_RIGHT = "bottom-right", _("bottom right")


class BadgeSize(models.TextChoices):
    """How tall a badge is, as a share of the poster (scanner.badges.draw.SIZES)."""

    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


class BadgeLook(models.TextChoices):
    """What a badge shows (scanner.badges.draw.LOOKS): its word, or a flag beside it."""

    WORDS = "words", _("words")
    FLAGS = "flags", _("flags beside the words")


# --- media --------------------------------------------------------------------------


class MediaKind(models.TextChoices):
    SERIES = "series", _("Series")
    MOVIE = "movie", _("Movie")


class WantedLanguages(models.TextChoices):
    """An item's own word on its targets (scanner.engine.targets.wanted_targets)."""

    AS_INSTANCE = targets.AS_INSTANCE, _("as the instance")
    ORIGINAL_ONLY = targets.ORIGINAL_ONLY, _("original only")
    OWN_LIST = targets.OWN_LIST, _("its own list")


class MediaFileResult(models.TextChoices):
    ALL = "all", _("has every target")
    SOME = "some", _("has some targets")
    NONE = "none", _("no target")
    WRONG = "wrong", _("wrong language")
    ERROR = "error", _("unreadable")


class MediaFileSource(models.TextChoices):
    FILE = "file", _("the file (MediaInfo)")
    ARR = "arr", _("the *arr's media info")
    ARR_PROBE = "arr+probe", _("the file: the *arr's media info was in doubt")


# --- scan runs ----------------------------------------------------------------------


class ScanTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("schedule")
    MANUAL = "manual", _("manual (admin)")
    API = "api", _("API")
    WEBHOOK = "webhook", _("webhook")
    CLI = "cli", _("command line")


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    APPLYING = "applying", _("applying")
    SUCCEEDED = "succeeded", _("succeeded")
    PARTIAL = "partial", _("partial (some writes or items failed)")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")
    INTERRUPTED = "interrupted", _("interrupted")


class Unheard(models.TextChoices):
    """Why audio tracks were not heard though listening was on (the codes are
    scanner.engine.unheard's: a worker sends them, the pages word them)."""

    NO_EXTRA = unheard.NO_EXTRA, _("the listening extra is not installed on the worker")
    NO_MODEL = (
        unheard.NO_MODEL,
        _("the folder TAGGARR_LISTEN_MODEL names holds no speech model (model.bin)"),
    )
    NO_NETWORK = unheard.NO_NETWORK, _("the speech model could not be loaded: no network")
    DOWNLOAD_REFUSED = (
        unheard.DOWNLOAD_REFUSED,
        _("the speech model could not be loaded: its download was refused or blocked"),
    )
    LOAD_FAILED = unheard.LOAD_FAILED, _("the speech model could not be loaded")
    MODEL_FAILED = unheard.MODEL_FAILED, _("the speech model failed")


class ScanMode(models.TextChoices):
    NORMAL = "normal", _("normal")
    REWRITE = "rewrite", _("rewrite (probe everything)")
    REMOVE = "remove", _("remove every managed tag")
    APPLY = "apply", _("apply the planned tags (no scan)")
    # A person's decision (a settled variety, wanted languages, a review decision) or
    # "Decide again from stored tracks": the tags decided again from the stored tracks
    # (no file read), then written (planned only on a dry run).
    REDECIDE = "redecide", _("decide again from stored tracks (no file read)")


class ScanItemStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


# --- history and news ---------------------------------------------------------------


class EventKind(models.TextChoices):
    TAG_CHANGED = "tag_changed", _("tag changed")
    TAG_PLANNED = "tag_planned", _("tag planned (dry run)")
    MEDIA_REMOVED = "media_removed", _("item removed")
    SCAN_FINISHED = "scan_finished", _("scan finished")
    ITEM_FAILED = "item_failed", _("item failed")
    NFO_ERROR = "nfo_error", _("NFO error")
    WEBHOOK = "webhook", _("webhook")
    CONFIG = "config", _("configuration")
    MEDIA_SERVER = "media_server", _("media server")
    DUB_ARRIVED = "dub_arrived", _("dub arrived")
    DUB_LOST = "dub_lost", _("dub lost")
    SEARCH = "search", _("missing dubs searched")
    LOST_DUB_ACTION = "lost_dub_action", _("lost dub acted on")
    REVIEW = "review", _("review decision")
    TRACKS_SET = "tracks_set", _("tracks selected for a person")
    SEERR = "seerr", _("Seerr")
    DEFAULT_TRACK = "default_track", _("default track of a file")
    PROFILE = "profile", _("quality profile of an item")


class Via(models.TextChoices):
    """Through what a person made a change: an event's data ``via`` (``Event.Via``), after
    its ``user``. Every caller passes one of these; the sentences read old spellings too
    (``Via.read``)."""

    ADMIN = "admin", _("the admin site")
    API = "api", _("the API")
    CLI = "cli", _("the command line")
    WEBHOOK = "webhook", _("a webhook")

    @classmethod
    def read(cls, stored: object) -> Via | None:
        """A stored ``via`` as its choice, whatever its case: the API's events were
        stored as "API" before issue 69. None when it names none (or is missing)."""
        try:
            return cls(str(stored).strip().lower())
        except ValueError:
            return None


class LostDubAction(models.TextChoices):
    """What an instance does when an upgrade lost a target language (scanner.searches.
    lost_dubs)."""

    TELL = "tell", _("tell only")
    SEARCH = "search", _("search again")
    MARK_FAILED = "mark_failed", _("mark the grab as failed")


class LostDubOutcome(StrEnum):
    """What became of a lost dub's action: the code its event keeps in ``data["outcome"]``
    (scanner.searches.lost_dubs), which the pages word (scanner.searches.lost_dub_text)."""

    PENDING = "pending"  # started; the *arr not asked yet
    SEARCHED = "searched"
    NOT_SEARCHED = "not_searched"
    BOUND = "bound"  # the daily bound is reached
    MARKED_FAILED = "marked_failed"
    ALREADY_MARKED = "already_marked"
    NOT_CERTAIN = "not_certain"  # the loss not proven enough to mark a release failed
    NO_GRAB = "no_grab"
    FAILED = "failed"  # the *arr could not be asked


class LostDubUndo(StrEnum):
    """What became of undoing a lost dub's marked-failed grab (``data["undo"]["outcome"]``,
    scanner.searches.lost_dub_undo)."""

    UNDONE = "undone"
    NOT_FOUND = "not_found"
    FAILED = "failed"


E = TypeVar("E", bound=StrEnum)


def stored_code(kind: type[E], value: object) -> E | None:
    """``value`` read back from a JSON field as one of ``kind``'s codes; None when it is
    none of them (a code an older release wrote, or nothing)."""
    try:
        return kind(str(value))
    except ValueError:
        return None


class SearchTrigger(models.TextChoices):
    """What asked for a search for missing dubs: a scan's triggers, and a lost dub."""

    SCHEDULE = "schedule", _("schedule")
    MANUAL = "manual", _("manual (admin)")
    API = "api", _("API")
    WEBHOOK = "webhook", _("webhook")
    CLI = "cli", _("command line")
    LOST_DUB = "lost_dub", _("a lost dub")


class NotificationKind(models.TextChoices):
    """What a notifier can be told about (the rules: scanner.notify.rules)."""

    SCAN_FAILED = "scan_failed", _("a scan failed or ended partial")
    UNREACHABLE = "unreachable", _("an instance was unreachable (its scan failed)")
    WRONG_DUB = "wrong_dub", _("items became wrong-dub")
    DUB_ARRIVED = "dub_arrived", _("a target language arrived in files that lacked it")
    DUB_LOST = "dub_lost", _("a target language was lost (a file replaced by one without it)")
    SEERR = "seerr", _("Taggarr answered a Seerr request or issue (in Seerr too)")


# --- media servers ------------------------------------------------------------------


class MediaServerKind(models.TextChoices):
    JELLYFIN = "jellyfin", _("Jellyfin")
    EMBY = "emby", _("Emby")
    PLEX = "plex", _("Plex")


# --- the household -----------------------------------------------------------------


class Want(models.TextChoices):
    """What a person of the household wants to hear (scanner.engine.listener)."""

    DUB = listener.DUB, _("dub in my language")
    ORIGINAL_SUBTITLED = listener.ORIGINAL_SUBTITLED, _("original with my subtitles")
    ORIGINAL = listener.ORIGINAL, _("original")


class AccountKind(models.TextChoices):
    """What a person's account on a media server is
    (scanner.media_servers.clients.base.AccountKind: the same values)."""

    PLEX_ADMIN = "plex-admin", _("Plex: the server's owner")
    PLEX_HOME = "plex-home", _("Plex: a Plex Home user")
    PLEX_MANAGED = "plex-managed", _("Plex: a managed user")
    PLEX_SHARED = "plex-shared", _("Plex: a friend the server is shared with")
    JELLYFIN = "jellyfin", _("Jellyfin user")
    EMBY = "emby", _("Emby user")
