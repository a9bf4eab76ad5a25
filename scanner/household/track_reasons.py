"""Why the step that sets each person's track in Plex sent nothing, in the reader's
language (issue 70): the uncertain files counted per reason ("2 files: a release holds
two dubs of one language…"), and what to do when plex.tv handed out no token for the
account. The codes: the choice's (scanner.engine.track_choice.Doubt, or "uncertain"),
the match's (scanner.household.stream_match.MatchDoubt), the token's refusal
(scanner.media_servers.clients.plex_people.TokenRefusal); stored in TrackRun.doubts
and TrackRun.reason. One sentence per code, the count as its noun's number."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext

from scanner.household.dry_run_sentences import ngettext_noop

__all__ = ["REASONS", "TOKEN_ADVICE", "reason_sentences", "token_sentence"]

REASONS: dict[str, tuple[str, str]] = {
    # The choice's doubts.
    "release-set": ngettext_noop(
        "%(count)s file: the release holds two dubs of one language (as a VF2 holds both "
        "French dubs) and nothing says which track is which.",
        "%(count)s files: the release holds two dubs of one language (as a VF2 holds both "
        "French dubs) and nothing says which track is which.",
    ),
    "same-language": ngettext_noop(
        "%(count)s file: several tracks are in the same language and nothing tells which "
        "variety each one is.",
        "%(count)s files: several tracks are in the same language and nothing tells which "
        "variety each one is.",
    ),
    "mislabeled": ngettext_noop(
        "%(count)s file: listening heard another language than the one marked on a track.",
        "%(count)s files: listening heard another language than the one marked on a track.",
    ),
    "unlabelled": ngettext_noop(
        "%(count)s file: a track has no language and nothing was heard from it.",
        "%(count)s files: a track has no language and nothing was heard from it.",
    ),
    "uncertain": ngettext_noop(
        "%(count)s file: no track is certainly the right one.",
        "%(count)s files: no track is certainly the right one.",
    ),
    # The choice is an audio file beside the video (household.plex_parts.EXTERNAL_AUDIO).
    "external-audio": ngettext_noop(
        "%(count)s file: the track chosen is an audio file beside the video, and Plex does "
        "not play audio files kept beside a video.",
        "%(count)s files: the track chosen is an audio file beside the video, and Plex does "
        "not play audio files kept beside a video.",
    ),
    # The match of Taggarr's tracks to Plex's streams.
    "part-not-found": ngettext_noop(
        "%(count)s file: Plex shows no file at this path for the item.",
        "%(count)s files: Plex shows no file at this path for the item.",
    ),
    "two-parts": ngettext_noop(
        "%(count)s file: Plex shows two files of this name, neither at this path.",
        "%(count)s files: Plex shows two files of this name, neither at this path.",
    ),
    "audio-count-differs": ngettext_noop(
        "%(count)s file: Plex lists another number of audio tracks than the file has.",
        "%(count)s files: Plex lists another number of audio tracks than the file has.",
    ),
    "subtitle-count-differs": ngettext_noop(
        "%(count)s file: Plex lists another number of subtitles than the file has.",
        "%(count)s files: Plex lists another number of subtitles than the file has.",
    ),
    "language-disagrees": ngettext_noop(
        "%(count)s file: the language of a track in Plex is not the one in the file.",
        "%(count)s files: the language of a track in Plex is not the one in the file.",
    ),
    "title-disagrees": ngettext_noop(
        "%(count)s file: the title of a track in Plex is not the one in the file.",
        "%(count)s files: the title of a track in Plex is not the one in the file.",
    ),
    "codec-disagrees": ngettext_noop(
        "%(count)s file: the format of a track in Plex is not the one in the file.",
        "%(count)s files: the format of a track in Plex is not the one in the file.",
    ),
    "order-unknown": ngettext_noop(
        "%(count)s file: Plex does not say in which order the tracks are in the file.",
        "%(count)s files: Plex does not say in which order the tracks are in the file.",
    ),
    "two-candidates": ngettext_noop(
        "%(count)s file: two subtitle files in Plex could be the one chosen.",
        "%(count)s files: two subtitle files in Plex could be the one chosen.",
    ),
    "no-candidate": ngettext_noop(
        "%(count)s file: no subtitle file in Plex is the one chosen.",
        "%(count)s files: no subtitle file in Plex is the one chosen.",
    ),
}
# A code this version does not know (a newer one's row read by an older page).
OTHER = ngettext_noop(
    "%(count)s file: the match is not certain.",
    "%(count)s files: the match is not certain.",
)

TOKEN_ADVICE: dict[str, Promise] = {
    "pin-required": gettext_lazy(
        "The Plex Home profile of %(person)s is protected by a PIN: enter it (again, if it "
        "changed) with their account on their page."
    ),
    "not-shared": gettext_lazy(
        "%(server)s is not shared with the account of %(person)s: share it with them in "
        "Plex, or pick another account on their page."
    ),
    "unknown-account": gettext_lazy(
        "plex.tv does not know the account of %(person)s any more: pick it again on their page."
    ),
    "friend-no-token": gettext_lazy(
        "%(person)s is an invited friend on %(server)s, and since March 2026 plex.tv hands out "
        "no server token for invited friends: make them a member of the owner's Plex Home, or "
        "a managed user there, and pick that account on their page."
    ),
}
TOKEN_OTHER = gettext_lazy(
    "plex.tv hands out no token of %(server)s for the account of %(person)s."
)


def reason_sentences(doubts: Mapping[str, int]) -> list[str]:
    """The uncertain files per reason, the most frequent first (then by code)."""
    sentences = []
    for code, count in sorted(doubts.items(), key=lambda item: (-_count(item[1]), item[0])):
        if _count(count) <= 0:
            continue
        singular, plural = REASONS.get(code, OTHER)
        shown = number_format(count, force_grouping=True)  # in the reader's digits
        sentences.append(ngettext(singular, plural, count) % {"count": shown})
    return sentences


def token_sentence(reason: str, *, person: str, server: str) -> str:
    """What to do when plex.tv handed out no token for the person's account."""
    return str(TOKEN_ADVICE.get(reason, TOKEN_OTHER)) % {"person": person, "server": server}


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
