"""The media item's page as people read a series page in Sonarr: a header (artwork,
title, year, original language, the tag and why in one sentence), then one panel per
season with its coverage per target as bars and a row per episode with its languages as
chips, each saying where it came from (a variety with its source: "Französisch (Kanada)
— aus dem Spurtitel VFQ"). A movie shows its files instead of seasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scanner import names
from scanner.actions.settled_varieties import regional_choices, undecided
from scanner.engine.arr_tracks import DoubtCode
from scanner.engine.file_varieties import as_judged
from scanner.engine.sidecars import is_audio_name
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack
from scanner.engine.varieties import NOT
from scanner.language_names import inner_name, language_name, spoken_list
from scanner.models import Artwork, Media, MediaFile, Season
from scanner.reports.review_text import review_sentence
from scanner.reports.variety_text import spoken
from scanner.reports.verdict_text import reason_sentence
from web.admin import series_header, series_seasons
from web.admin.media_display import arr_url
from web.admin.wanted import page_wanted
from web.badges_preview import item_badges, preview_url

# Where an episode's audio languages were read, in words.
AUDIO_FROM = {
    MediaFile.Source.FILE: _("audio read from the file"),
    MediaFile.Source.ARR: _("audio as the *arr lists it"),
    MediaFile.Source.ARR_PROBE: _("audio read from the file (the *arr's was in doubt)"),
}
# Why the *arr's word on a file was not taken (its source note, a DoubtCode); a note
# stored before the codes (English) keeps the sentence without why.
DOUBT_WHY = {
    DoubtCode.NO_MEDIA_INFO: _("the *arr has no media info for it"),
    DoubtCode.NO_AUDIO: _("the *arr lists no audio language for it"),
    DoubtCode.UNDETERMINED: _("the *arr lists an undetermined audio language"),
    DoubtCode.UNTAGGED: _("some of its audio streams have no language tag"),
    DoubtCode.SIZE_CHANGED: _("its size changed since the *arr read it"),
    DoubtCode.CHANGED_AFTER: _("it was changed after the *arr read it"),
    DoubtCode.MALFORMED: _("the *arr's media info for it is malformed"),
    DoubtCode.UNKNOWN_FILE: _("the *arr does not know this file"),
    DoubtCode.REWRITE: _("every file is read on a rewrite scan"),
    DoubtCode.VARIETY_UNKNOWN: _(
        "a regional target needs its variety, which the *arr's media info never names"
    ),
    DoubtCode.VARIETY_FOR_PERSON: _(
        "a household member listens for a variety, which the *arr's media info never names"
    ),
    DoubtCode.ARR_WORD_ONLY: _("it was judged before from the *arr's media info alone"),
}


def page_context(media: Media) -> dict[str, Any]:
    reasons = media.verdict_reasons or {}
    is_movie = media.kind == Media.Kind.MOVIE
    seasons = {season.number: season for season in media.seasons.all()}
    files = _files(media)
    # A variety the *arr's word alone left unknown: the file would name it (issue 68).
    arr_word_varieties = any(
        source == MediaFile.Source.ARR and note == DoubtCode.VARIETY_UNKNOWN
        for source, note, _ in files.values()
    )
    settled_by = media.varieties_settled_by or {}
    targets = [language_name(code) for code in reasons.get("targets", [])]
    panels = [
        _panel(block, seasons.get(block.get("season")), files, is_movie, settled_by)
        for block in reasons.get("seasons", [])
    ]
    if is_movie:
        # A movie has its files, not seasons: one panel with all of them.
        rows = [row for panel in panels for row in panel["rows"]]
        panels = (
            [
                {
                    "number": None,
                    "name": gettext("Files"),
                    "rows": rows,
                    "bars": [],
                    "open": True,
                    "counted": len(rows),
                }
            ]
            if rows
            else []
        )
    elif panels or media.arr_episodes:
        panels = series_seasons.arrange(media, panels)
    return {
        "media": media,
        "is_movie": is_movie,
        "facts": _facts(media),
        "reason": reason_sentence(reasons),
        "targets": targets,
        "targets_said": spoken_list(targets),  # "anglais et allemand", never ", "
        "problems": reasons.get("problems", []),
        "original_unknown": gettext(
            "original language unknown: no file can be wrong, since a dub cannot be told from "
            "the original audio"
        )
        if reasons.get("original_unknown")
        else "",
        "panels": panels,
        "arr_url": arr_url(media),
        "suggestion": language_name(media.original_suggestion) if media.original_doubtful else "",
        "guesses_url": reverse("taggarr-guesses") if media.needs_review else "",
        "review": review_rows(media),
        "settle": settle_rows(media),
        "arr_word_varieties": arr_word_varieties,
        "wanted": page_wanted(media),
        "neighbours": series_header.neighbours(media),
        "arr_tags": series_header.arr_tags(media),
        "badges": _badges_preview(media),
    }


def _badges_preview(media: Media) -> dict[str, str] | None:
    """Its poster with its dub badges, previewed (web.badges_preview); None without a
    stored poster or a dub to show."""
    said = item_badges(media)
    if not said:
        return None
    found = Artwork.objects.filter(media=media, kind=Artwork.Kind.POSTER).values_list(
        "digest", flat=True
    )
    poster = next(iter(found), None)
    if not poster:
        return None
    return {"url": preview_url(media, poster), "words": ", ".join(b.text for b in said)}


def review_rows(media: Media) -> dict[str, Any] | None:
    """Why the tag rests on a guess, and what the review list offers to settle it: the
    same decisions, taken from the page (web.admin.guesses)."""
    if not media.needs_review:
        return None
    reasons = [
        review_sentence(reason) for reason in media.review_reasons or [] if isinstance(reason, dict)
    ]
    suggestion = media.original_suggestion if media.original_doubtful else ""
    return {
        "reasons": [reason for reason in reasons if reason],
        "suggestion": suggestion,
        "suggestion_name": language_name(suggestion) if suggestion else "",
        "unknown_guess": media.original_suggestion or media.effective_original,
    }


def settle_rows(media: Media) -> list[dict[str, Any]]:
    """Per language whose unknown variety decided one of the item's regional targets,
    or that a person settled: what its tracks of unknown variety may be settled as (the
    instance's regional targets of it, or none of them), and what they are now."""
    choices = regional_choices(media.instance, media)
    settled = media.settled_varieties or {}
    languages = [code for code in [*undecided(media), *settled] if code in choices]
    rows = []
    for language in dict.fromkeys(languages):
        said = settled.get(language, "")
        varieties = [{"code": code, "name": language_name(code)} for code in choices[language]]
        shown = ", ".join(variety["name"] for variety in varieties)
        now = language_name(said) if said and said != NOT else ""
        by = (media.varieties_settled_by or {}).get(language, "")
        rows.append(
            {
                "language": language,
                "name": language_name(language),
                "varieties": varieties,
                "not_names": shown,
                "settled": said,
                "now": now,
                "not_sentence": none_of_sentence(language, choices[language], by)
                if said == NOT
                else "",
                "by": by,
            }
        )
    return rows


def none_of_sentence(language: str, varieties: Sequence[str], user: str) -> str:
    """Its tracks of unknown variety settled as none of the regional targets, one whole
    sentence chosen by how many there are (issue 71: never "none of" before a list)."""
    text = ngettext(
        "%(language)s of unknown variety is not %(varieties)s (settled by %(user)s).",
        "%(language)s of unknown variety is none of these varieties (settled by %(user)s): "
        "%(varieties)s.",
        len(varieties),
    )
    return text % {
        "language": language_name(language),
        # One variety stands before "(settled by", so without brackets of its own; several
        # follow a colon and keep their names.
        "varieties": ", ".join(
            map(inner_name if len(varieties) == 1 else language_name, varieties)
        ),
        "user": user,
    }


def _facts(media: Media) -> list[str]:
    """``2008 · Series in Sonarr "tv" · Japanese original, set by hand · Anime, Drama``."""
    facts = [str(media.year)] if media.year else []
    kind, instance = media.get_kind_display(), media.instance
    values = {"kind": kind, "arr": instance.get_kind_display(), "name": instance.name}
    if instance.is_arr:
        facts.append(gettext("%(kind)s in %(arr)s “%(name)s”") % values)
    else:
        facts.append(gettext("%(kind)s in the library folders “%(name)s”") % values)
    original = media.effective_original
    if original and media.original_override:
        text = gettext("original language %(language)s, set by hand")
        facts.append(text % {"language": language_name(original)})
    elif original:
        text = gettext("original language %(language)s")
        facts.append(text % {"language": language_name(original)})
    else:
        facts.append(gettext("original language not known"))
    if media.genres:
        facts.append(", ".join(str(genre) for genre in media.genres[:4]))
    return facts


# Where its languages were read, why not from the *arr (a DoubtCode), its stored tracks.
_File = tuple[str, str, FileTracks]


def _files(media: Media) -> dict[str, _File]:
    """Per file as the verdict's rows name it: its source and its tracks as judged (the
    code lat as Latin-American Spanish when the instance says so, a variety a person
    settled)."""
    lat, settled = media.instance.lat_is_latino, media.settled_varieties
    found = {}
    rows = media.files.values_list(
        "path", "source", "source_note", "audio_tracks", "subtitle_tracks"
    )
    for path, source, note, audio, subtitles in rows:
        tracks = FileTracks(
            tuple(AudioTrack.from_dict(track) for track in audio or ()),
            tuple(SubtitleTrack.from_dict(track) for track in subtitles or ()),
        )
        judged = as_judged(tracks, lat_is_latino=lat, settled=settled)
        found[names.display(path)] = (source, note, judged)
    return found


def _panel(
    block: Mapping[str, Any],
    season: Season | None,
    files: Mapping[str, _File],
    is_movie: bool,
    settled_by: Mapping[str, str],
) -> dict[str, Any]:
    number = block.get("season")
    name = gettext("Files") if is_movie else series_seasons.season_name(number)
    return {
        "number": number,
        "name": name,
        "season": season,
        "bars": _bars(season.coverage if season else {}),
        "rows": [_row(row, files, settled_by) for row in block.get("files", [])],
    }


def _bars(coverage: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One bar per target language: files with it of the counted files."""
    bars = []
    for code, counts in coverage.items():
        if isinstance(counts, (list, tuple)) and len(counts) == 2 and counts[1]:
            having, total = int(counts[0]), int(counts[1])
            bars.append({"language": language_name(code), "having": having, "total": total})
    return bars


def _row(
    row: Mapping[str, Any], files: Mapping[str, _File], settled_by: Mapping[str, str]
) -> dict[str, Any]:
    path = str(row.get("path", ""))
    missing = set(row.get("missing", []))
    unexpected = set(row.get("unexpected", []))
    source, note, tracks = files.get(path, ("", "", FileTracks(())))
    counted = [track for track in tracks.audio if not track.is_commentary]
    audio = []
    for code in row.get("languages", []):
        state = "unexpected" if code in unexpected else ""
        audio += [
            {"name": each.name, "source": each.source, "state": state}
            for each in spoken(code, counted, settled_by)
        ]
    audio += [{"name": language_name(code), "state": "missing"} for code in sorted(missing)]
    full = [track for track in tracks.subtitles if track.full]
    subtitles = [
        {"name": each.name, "source": each.source}
        for code in row.get("subtitles", [])
        for each in spoken(code, full, settled_by)
    ]
    # An audio file beside it: a track of its audio, else (its row not stored) its name.
    audio_files = {track.file for track in tracks.audio if track.file is not None}
    beside = [str(name) for name in row.get("sidecars", [])]
    audio_files |= {name for name in beside if is_audio_name(name)}
    sidecars = [name.rsplit("/", 1)[-1] for name in beside if name not in audio_files]
    external = [name.rsplit("/", 1)[-1] for name in beside if name in audio_files]
    numbers = series_seasons.numbers_of(row.get("episodes", []))
    return {
        "numbers": numbers,
        "number": series_seasons.number_text(numbers),
        "episode": _episodes(numbers),
        "file": path.rsplit("/", 1)[-1],
        "audio": audio,
        "subtitles": subtitles,
        "origin": _origin(source, bool(subtitles), sidecars, note, external),
        "wrong": bool(row.get("wrong")),
        "error": row.get("error") or "",
    }


def _origin(
    source: str,
    subtitles: bool,
    sidecars: list[str],
    note: str = "",
    audio_files: Sequence[str] = (),
) -> list[str]:
    """Where the row's languages came from: the file, a sidecar beside it, the *arr;
    read from the file in spite of the *arr, why; the audio files beside it. Each its own
    line (issue 71: clauses are never joined into one sentence), the page capitalises
    each."""
    parts = [str(AUDIO_FROM[MediaFile.Source(source)])] if source in AUDIO_FROM else []
    read = (MediaFile.Source.ARR_PROBE, MediaFile.Source.FILE)
    if source in read and note in DOUBT_WHY:
        why = DOUBT_WHY[DoubtCode(note)]
        parts = [gettext("audio read from the file: %(why)s") % {"why": why}]
    elif source == MediaFile.Source.ARR and note == DoubtCode.VARIETY_UNKNOWN:
        parts = [
            gettext(
                "audio as the *arr lists it: its media info never names a variety, and the "
                "file is not read here"
            )
        ]
    if audio_files:  # external audio files (docs/tagging-rules.md, "External audio files")
        text = gettext("audio also from %(files)s beside it")
        parts.append(text % {"files": ", ".join(audio_files)})
    if sidecars:
        text = gettext("subtitles from %(files)s beside it")
        parts.append(text % {"files": ", ".join(sidecars)})
    elif subtitles:
        parts.append(
            gettext("subtitles as the *arr lists them") if source == MediaFile.Source.ARR
            else gettext("subtitles in the file")
        )  # fmt: skip
    return parts


def _episodes(numbers: Sequence[Any]) -> str:
    shown = [str(number) for number in numbers if isinstance(number, int)]
    if not shown:
        return ""
    if len(shown) == 1:
        return gettext("Episode %(number)s") % {"number": shown[0]}
    return gettext("Episodes %(first)s to %(last)s") % {"first": shown[0], "last": shown[-1]}
