"""The advice on a Jellyfin or Emby user's playback settings (playback_advice.py) as
sentences in the reader's language, one per piece of advice.

A setting is named with the server's own words, as jellyfin-web shows them
(``src/strings/en-us.json``: LabelAudioLanguagePreference, LabelPlayDefaultAudioTrack,
LabelPreferredSubtitleLanguage, LabelSubtitlePlaybackMode, Smart, OriginalLanguage),
and each catalog uses jellyfin-web's translation of that language, so that the person
finds the words on the server's settings page. Emby's web client, the one Jellyfin's
forked, names them alike.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from scanner.household.playback_advice import Advice, AdviceCode
from scanner.language_names import inner_name, language_name

SENTENCES: dict[AdviceCode, Promise] = {
    AdviceCode.AUDIO_LANGUAGE: _(
        "In %(server)s, set “Preferred audio language” to %(language)s (%(code)s)."
    ),
    AdviceCode.AUDIO_REGIONAL: _(
        "In %(server)s, set “Preferred audio language” to %(language)s (%(code)s) instead of "
        "%(current)s: an audio track carries a language code without a region, so that choice "
        "never matches one."
    ),
    AdviceCode.AUDIO_ORIGINAL: _(
        "In %(server)s, set “Preferred audio language” to “Original language”."
    ),
    AdviceCode.NO_ORIGINAL_CHOICE: _(
        "%(server)s has no “Original language” choice for “Preferred audio language” (Jellyfin "
        "has it from version 12), so the original is played only where the file flags it as "
        "its default audio track."
    ),
    AdviceCode.DEFAULT_TRACK_ON: _(
        "In %(server)s, turn on “Play default audio track regardless of language”: without an "
        "“Original language” choice, the default audio track of the file is the only way to "
        "the original."
    ),
    AdviceCode.SUBTITLE_LANGUAGE: _(
        "In %(server)s, set “Preferred subtitle language” to %(language)s (%(code)s)."
    ),
    AdviceCode.SUBTITLE_MODE: _(
        "In %(server)s, set “Subtitle mode” to “Smart”, which shows the subtitles whenever the "
        "audio is in another language."
    ),
    AdviceCode.ALREADY_RIGHT: _(
        "The settings of this %(server)s account already give this person the right tracks."
    ),
}  # fmt: skip


def advice_sentence(advice: Advice, server: str) -> str:
    """``advice`` as one sentence in the active language; ``server`` the product's
    name as the person knows it ("Jellyfin", "Emby")."""
    params = advice.params
    code = advice.code
    if code is AdviceCode.DEFAULT_TRACK_OFF:
        count = int(params["count"])
        return ngettext(
            "In %(server)s, turn off “Play default audio track regardless of language”: in "
            "%(count)d file the audio track flagged as default is not the one for this person.",
            "In %(server)s, turn off “Play default audio track regardless of language”: in "
            "%(count)d files the audio track flagged as default is not the one for this person.",
            count,
        ) % {"server": server, "count": count}
    if code is AdviceCode.CANNOT_TELL_VARIETY:
        count = int(params["count"])
        return ngettext(
            "%(server)s picks an audio track by its language code only: in %(count)d file, "
            "%(variety)s shares the code “%(code)s” with another variety, and either may play.",
            "%(server)s picks an audio track by its language code only: in %(count)d files, "
            "%(variety)s shares the code “%(code)s” with another variety, and either may play.",
            count,
        ) % {
            "server": server,
            "count": count,
            "variety": language_name(str(params["variety"])),
            "code": params["code"],
        }
    values: dict[str, object] = {"server": server}
    if "language" in params:
        values["language"] = inner_name(str(params["language"]))  # before "(fr-CA)"
        values["code"] = params["language"]
    if "current" in params:
        values["current"] = language_name(str(params["current"]))
    return str(SENTENCES[code]) % values
