"""How a media item's stored values read on its page and in the list: language names
with their codes, tags as badges, lists as comma lists. Everything escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.engine.verdict import Tag
from scanner.language_names import language_label
from scanner.models import Instance, Media
from web import language_chips
from web.labelled import label_value_html
from web.templatetags.taggarr import tag_badge

NOTHING = "-"
SUMMARY_TAGS = frozenset(tag.value for tag in Tag)


def language(code: str) -> str:
    """``Japanese (jpn)``; an empty code is "unknown"."""
    return language_label(code) if code else gettext("unknown")


def languages(codes: Iterable[str]) -> str:
    return ", ".join(language(code) for code in codes) or NOTHING


def comma_list(values: Iterable[Any]) -> str:
    """``Anime, Action`` for a stored JSON list."""
    return ", ".join(str(value) for value in values if str(value).strip()) or NOTHING


def verdicts(per_language: Mapping[str, str]) -> SafeString | str:
    """``German (deu): dub, French (fra): none``, with the dub verdicts as badges."""
    if not per_language:
        return NOTHING
    pairs = (
        (language(code), tag_badge(value) if value in SUMMARY_TAGS else value)
        for code, value in per_language.items()
    )
    return format_html_join(", ", "{}", ((label_value_html(*pair),) for pair in pairs))


def coverage(per_language: Mapping[str, Any]) -> str:
    """``German (deu) 18/24``: counted files with the target, of the counted files."""
    parts = []
    for code, counts in per_language.items():
        if isinstance(counts, (list, tuple)) and len(counts) == 2:
            parts.append(f"{language(code)} {counts[0]}/{counts[1]}")
    return ", ".join(parts) or NOTHING


def arr_url(media: Media) -> str | None:
    """The item's page in the Sonarr or Radarr web UI, from the instance's URL (never
    its API key): Sonarr's /series/<title slug>, Radarr's /movie/<TMDb id>. None when
    what the address needs is not stored: no guessed link."""
    instance = media.instance
    parts = urlsplit(instance.url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        return None
    # No user:password@ from the instance's URL in a page.
    host = parts.netloc.rpartition("@")[2]
    base = f"{parts.scheme}://{host}{parts.path}".rstrip("/")
    if instance.kind == Instance.Kind.SONARR and media.title_slug:
        return f"{base}/series/{quote(media.title_slug, safe='')}"
    if instance.kind == Instance.Kind.RADARR and media.tmdb_id:
        return f"{base}/movie/{int(media.tmdb_id)}"
    return None


def arr_link(media: Media) -> SafeString | str:
    """``Sonarr ↗``, opening the item in the *arr in a new tab."""
    url = arr_url(media)
    if url is None:
        return NOTHING
    return format_html(
        '<a href="{}" class="taggarr-arr-link" target="_blank" rel="noopener noreferrer" '
        'title="{}">{} ↗</a>',
        url,
        gettext("Open in %(arr)s") % {"arr": media.instance.get_kind_display()},
        media.instance.get_kind_display(),
    )


class MediaPageValues:
    """The media page's read-only fields, for people (mixed into MediaAdmin)."""

    @admin.display(description=_("in the *arr"))
    def arr_page(self, media: Media) -> SafeString | str:
        return arr_link(media)

    @admin.display(description=_("target languages"))
    def language_states(self, media: Media) -> SafeString:
        """Each target language's state as a chip (web.language_chips)."""
        return language_chips.render(media)

    @admin.display(description=_("labels it carries"))
    def applied_label_list(self, media: Media) -> str:
        return comma_list(media.applied_labels)

    @admin.display(description=_("labels it should carry"))
    def planned_label_list(self, media: Media) -> str:
        return comma_list(media.planned_labels)

    @admin.display(description=_("audio per target language"))
    def language_verdict_list(self, media: Media) -> SafeString | str:
        return verdicts(media.language_verdicts)

    @admin.display(description=_("subtitles per target language"))
    def subtitle_verdict_list(self, media: Media) -> SafeString | str:
        return verdicts(media.subtitle_verdicts)

    @admin.display(description=_("coverage (files with the target / counted files)"))
    def coverage_list(self, media: Media) -> str:
        return coverage(media.coverage)

    @admin.display(description=_("genres"))
    def genre_list(self, media: Media) -> str:
        return comma_list(media.genres)

    @admin.display(description=_("original language (the *arr's)"))
    def original_from_arr(self, media: Media) -> str:
        return language(media.original_language)

    @admin.display(description=_("original language set by hand"))
    def original_by_hand(self, media: Media) -> str:
        return language(media.original_override) if media.original_override else "-"

    @admin.display(description=_("language every counted file starts with"))
    def original_from_files(self, media: Media) -> str:
        if not media.original_suggestion:
            return "-"
        return language(media.original_suggestion)
