"""Every option of an instance, declared once: its field, its section of the admin's form,
whether it changes the verdict (then it is part of the verdict's settings hash, and an
edit of it decides every item again), whether the API and the original Taggarr's config
(``import_config``) set it. The admin's fieldsets, the API's fields, the settings hash,
the edit history and ``import_config`` read this list; a test checks that every column
of Instance is in it or in NOT_OPTIONS. How to add one: docs/adding-an-option.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True, eq=False)
class Section:
    """A section of the admin's instance form, in the order of SECTIONS."""

    title: StrOrPromise | None  # None: the first section, untitled
    description: StrOrPromise | None = None
    shown: tuple[str, ...] = ()  # the instance's state, shown read-only after its options


@dataclass(frozen=True)
class Hashed:
    """How an option that changes the verdict enters the verdict's settings hash."""

    key: str = ""  # its key in the hash; "" for its name
    # Hashed at its default too: the options hashed since the first release (every stored
    # item's hash holds them). Any other is hashed only when it is not its default, so
    # that adding an option decides no instance's items again.
    always: bool = False
    place: int | None = None  # its place in a key several options share ("labels")


@dataclass(frozen=True)
class Option:
    name: str  # the model field (or, for a secret, the Secret's name)
    section: Section
    verdict: Hashed | None = None  # None: the verdict does not depend on it
    beside: bool = False  # on the admin form's line of the option before it
    secret: bool = False  # a Secret: write-only, the history names it and never shows it
    api: bool = True  # a field of /api/instances/
    imported_from: str = ""  # the original Taggarr's config key import_config reads it from
    arr_only: bool = False  # only a Sonarr or Radarr has it: a library folder's form never shows it


MAIN = Section(None)
CONNECTION = Section(_("Connection"))
FOLDERS = Section(_("Folders"))
LANGUAGES = Section(_("Languages and tags"))
PER_LANGUAGE = Section(
    _("Per-language and subtitle tags"),
    description=_(
        "A tag per target language (dub-de, semi-dub-fr), and per target "
        "language with full subtitles (sub-de). {lang} becomes de, fr, ..."
    ),
)
WHAT_COUNTS = Section(_("What counts"))
WRITING = Section(_("Writing"))
SCHEDULE = Section(_("Schedule"), shown=("next_scan_at", "created_at", "updated_at"))
SEARCH = Section(_("Search for missing dubs"))
SECTIONS = (
    MAIN, CONNECTION, FOLDERS, LANGUAGES, PER_LANGUAGE, WHAT_COUNTS, WRITING, SCHEDULE, SEARCH,
)  # fmt: skip

LABELS = "labels"  # the per-language and subtitle tag settings, hashed as one list

# In the admin form's order, section by section.
OPTIONS: tuple[Option, ...] = (
    Option("name", MAIN),
    Option("kind", MAIN, imported_from="type"),
    Option("library_content", MAIN),
    Option("enabled", MAIN),
    Option("url", CONNECTION, imported_from="url", arr_only=True),
    Option("api_key", CONNECTION, secret=True, imported_from="api_key", arr_only=True),
    Option("connect_timeout", CONNECTION, arr_only=True),
    Option("read_timeout", CONNECTION, arr_only=True),
    Option("root_folders", FOLDERS, imported_from="root_path"),
    Option("path_mappings", FOLDERS, arr_only=True),
    Option("audio_source", FOLDERS, arr_only=True),
    Option(
        "target_languages",
        LANGUAGES,
        Hashed("targets", always=True),
        imported_from="target_languages",
    ),
    Option("allowed_extra_languages", LANGUAGES, Hashed("extras", always=True)),
    Option("original_language", LANGUAGES, Hashed(always=True)),
    Option("tag_dub", LANGUAGES, imported_from="tags.dub"),
    Option("tag_semi_dub", LANGUAGES, beside=True, imported_from="tags.semi"),
    Option("tag_wrong_dub", LANGUAGES, beside=True, imported_from="tags.wrong"),
    Option("summary_tags", LANGUAGES),
    Option("language_tags", PER_LANGUAGE, Hashed(LABELS, always=True, place=0)),
    Option("tag_language_dub", PER_LANGUAGE, Hashed(LABELS, always=True, place=2)),
    Option(
        "tag_language_semi_dub", PER_LANGUAGE, Hashed(LABELS, always=True, place=3), beside=True
    ),
    Option("subtitle_tags", PER_LANGUAGE, Hashed(LABELS, always=True, place=1)),
    Option("tag_subtitle", PER_LANGUAGE, Hashed(LABELS, always=True, place=4)),
    Option("tag_subtitle_semi", PER_LANGUAGE, Hashed(LABELS, always=True, place=5), beside=True),
    Option("quick_mode", WHAT_COUNTS, Hashed(always=True), imported_from="quick_mode"),
    Option("count_specials", WHAT_COUNTS, Hashed(always=True)),
    Option("count_unmonitored", WHAT_COUNTS, Hashed(always=True), arr_only=True),
    Option("sidecar_hi_hearing_impaired", WHAT_COUNTS, Hashed()),
    Option("lat_is_latino", WHAT_COUNTS, Hashed()),
    Option("unknown_variety_counts", WHAT_COUNTS, Hashed()),
    Option("unknown_first_track", WHAT_COUNTS, Hashed(always=True)),
    Option(
        "identify_audio_language",
        WHAT_COUNTS,
        Hashed(),
        imported_from="identify_audio_language",
    ),
    Option("genre_filter", WHAT_COUNTS, imported_from="target_genre"),
    Option("dry_run", WRITING, imported_from="dry_run"),
    Option("write_nfo", WRITING),
    Option("create_nfo", WRITING),
    Option("refresh_after_write", WRITING, arr_only=True),
    Option("default_tracks", WRITING),
    Option("default_tracks_hardlinked", WRITING, beside=True),
    Option("wish_profiles", WRITING, arr_only=True),
    Option("wish_profiles_return", WRITING, beside=True, arr_only=True),
    Option("badges", WRITING),
    Option("badges_corner", WRITING, beside=True),
    Option("badges_size", WRITING, beside=True),
    Option("badges_look", WRITING, beside=True),
    Option("badges_original", WRITING, beside=True),
    Option("badges_subtitles", WRITING, beside=True),
    Option("scan_interval_minutes", SCHEDULE, imported_from="run_interval_seconds"),
    Option("search_missing_scheduled", SEARCH, arr_only=True),
    Option("search_daily_limit", SEARCH, arr_only=True),
    Option("search_interval_days", SEARCH, arr_only=True),
    Option("lost_dub_action", SEARCH, arr_only=True),
)

# The columns of Instance that are no option, and why: a person never sets them. (The
# columns a Secret keeps, api_key_* and webhook_token_*, are its Secret's: scanner.models.
# secrets.)
NOT_OPTIONS = {
    "id": "its number",
    "next_scan_at": "state: the scheduler's",
    "first_scan_at": "state: set when a person starts the first scan",
    "created_at": "a timestamp",
    "updated_at": "a timestamp",
}

SECRET_OPTIONS = frozenset(option.name for option in OPTIONS if option.secret)


def api_fields() -> tuple[str, ...]:
    return tuple(option.name for option in OPTIONS if option.api)


def arr_only_fields() -> frozenset[str]:
    """What only a Sonarr or Radarr has (its connection, its paths, its monitoring, its
    refresh, its quality profiles, its searches): a library folder's form shows none."""
    return frozenset(option.name for option in OPTIONS if option.arr_only)


def imported_fields() -> tuple[str, ...]:
    """The fields import_config sets (the secret apart: it is compared on its own)."""
    return tuple(o.name for o in OPTIONS if o.imported_from and not o.secret)


def admin_fieldsets() -> tuple[tuple[StrOrPromise | None, dict[str, Any]], ...]:
    """The admin's fieldsets: each section's options, those ``beside`` the one before
    on its line, then the state it shows."""
    fieldsets = []
    for section in SECTIONS:
        rows: list[Any] = []
        for option in OPTIONS:
            if option.section is not section:
                continue
            if option.beside and rows:
                previous = rows.pop()
                line = previous if isinstance(previous, tuple) else (previous,)
                rows.append((*line, option.name))
            else:
                rows.append(option.name)
        options: dict[str, Any] = {"fields": (*rows, *section.shown)}
        if section.description is not None:
            options = {"description": section.description, **options}
        fieldsets.append((section.title, options))
    return tuple(fieldsets)


def read_only_shown() -> tuple[str, ...]:
    return tuple(name for section in SECTIONS for name in section.shown)
