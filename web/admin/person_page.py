"""A person's page (issue 70, items 3 and 4): what they will hear, as the dry run says
it per kind of item (scanner.household.dry_run), each sentence leading to the items
of its outcome, a bounded page of them; then, per linked account, what to change on
that server: a Jellyfin or Emby account's own playback settings and the advice on them
(scanner.household.account_playback), a Plex account's tracks as Taggarr sets them.

The settings are named with the server's own words (jellyfin-web's
``src/strings/*.json``: LabelAudioLanguagePreference, LabelPlayDefaultAudioTrack,
LabelPreferredSubtitleLanguage, LabelSubtitlePlaybackMode and the modes' names), so
that the person finds them on the server's settings page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.timesince import timesince
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from scanner.connect.sentences import said
from scanner.engine.track_choice import ChoiceOutcome
from scanner.household.account_playback import AccountPlayback, person_playback
from scanner.household.count_requests import ASK_AGAIN, recount
from scanner.household.counts import stored_counts
from scanner.household.dry_run import MAX_PAGE, outcome_page
from scanner.household.dry_run_sentences import count_sentence, doubt_sentence, outcome_sentence
from scanner.household.playback_advice import REGIONAL_VALUES
from scanner.household.playback_sentences import advice_sentence
from scanner.household.track_reasons import reason_sentences, token_sentence
from scanner.household.track_results import latest_track_results, track_result_sentence
from scanner.language_names import language_name
from scanner.media_servers.clients.jellyfin_users import ORIGINAL_LANGUAGE, UserPlayback
from scanner.models import MediaServer, Person, PersonAccount
from scanner.reports.track_run_text import TOKEN

KINDS: tuple[tuple[str, Promise], ...] = (("series", _("Series")), ("movie", _("Movies")))
PER_PAGE = 50  # the items of one outcome per page, unless asked (at most MAX_PAGE)
MAX_OFFSET = 10_000_000  # past any library: an offset beyond lists nothing

# The modes as jellyfin-web names them (a literal context: the catalogs read it).
SUBTITLE_MODES: dict[str, Promise] = {
    "Default": pgettext_lazy("a Jellyfin setting", "Default"),
    "Always": pgettext_lazy("a Jellyfin setting", "Always Play"),
    "OnlyForced": pgettext_lazy("a Jellyfin setting", "Only Forced"),
    "None": pgettext_lazy("a Jellyfin setting", "None"),
    "Smart": pgettext_lazy("a Jellyfin setting", "Smart"),
}


def tracks_context(person: Person) -> dict[str, Any]:
    """The page's values: the dry run per kind as last counted in the background
    (scanner.household.counts: a few rows, whatever the library's size), when, then
    each account's section. No count yet, or one asked long ago and never made: one is
    asked (a worker counts)."""
    stored = stored_counts(person.pk)
    stale = stored.asked_at is None or timezone.now() - stored.asked_at > ASK_AGAIN
    if (stored.counted_at is None or stored.queued) and stale:
        recount(person.pk)
        stored = replace(stored, queued=True)
    kinds = []
    for kind, label in KINDS:
        lines = [
            {
                "sentence": count_sentence(count, person.name),
                "url": outcome_url(person, kind, count.outcome),
            }
            for count in stored.counts
            if count.kind == kind
        ]
        if lines:
            kinds.append({"kind": kind, "label": label, "lines": lines})
    accounts = list(person.accounts.select_related("media_server"))
    plex = [account for account in accounts if account.media_server.kind == MediaServer.Kind.PLEX]
    return {
        "title": gettext("%(name)s: what will play") % {"name": person.name},
        "person": person,
        "kinds": kinds,
        "counted": stored.counted_at is not None,
        "counted_sentence": counted_sentence(stored.counted_at, queued=stored.queued),
        "has_accounts": bool(accounts),
        "playback": [
            account_section(found) for found in person_playback(person, stored.facts or {})
        ],
        "plex_accounts": plex_sections(person, plex),
    }


def counted_sentence(counted_at: datetime | None, *, queued: bool) -> str:
    """When the figures were counted, and whether a count is under way."""
    if counted_at is None:
        return gettext(
            "Being counted for the first time: the figures show here once a worker has "
            "counted them."
        )
    if timezone.now() - counted_at < timedelta(minutes=1):  # timesince: "0 minutes"
        if queued:
            return gettext("Being counted again: these figures were counted just now.")
        return gettext("Counted just now.")
    ago = timesince(counted_at)
    if queued:
        return gettext("Being counted again: these figures were counted %(time)s ago.") % {
            "time": ago
        }
    return gettext("Counted %(time)s ago.") % {"time": ago}


def outcome_url(person: Person, kind: str, outcome: ChoiceOutcome) -> str:
    return reverse("admin:scanner_person_outcome", args=[person.pk, kind, outcome.value])


def account_section(found: AccountPlayback) -> dict[str, Any]:
    """One Jellyfin or Emby account: its settings, the advice per kind, or why not."""
    server = found.account.media_server.name
    section: dict[str, Any] = {"account": found.account, "server": server}
    if found.playback is None:
        if found.disabled:
            reason = gettext("%(server)s is turned off in Taggarr: its settings are not read.") % {
                "server": server
            }
        elif found.problem is not None:
            reason = gettext("The settings of %(server)s could not be read: %(reason)s") % {
                "server": server,
                "reason": said(found.problem),
            }
        else:
            reason = gettext("The settings of %(server)s could not be read (the log says why).") % {
                "server": server
            }
        section["problem"] = reason
        return section
    section["settings"] = settings_rows(found.playback)
    section["uncounted"] = not found.advice
    section["advice"] = [
        {
            "label": label,
            "lines": [
                {"sentence": advice_sentence(advice, found.product), "kind": advice.kind}
                for advice in found.advice.get(kind, ())
            ],
        }
        for kind, label in KINDS
    ]
    return section


def settings_rows(playback: UserPlayback) -> list[tuple[str, str]]:
    """The account's playback settings, each with the server's name for it."""
    on_off = {True: gettext("on"), False: gettext("off")}
    return [
        (gettext("Preferred audio language"), _language(playback.audio_language)),
        (
            gettext("Play default audio track regardless of language"),
            on_off[playback.play_default_audio],
        ),
        (gettext("Preferred subtitle language"), _language(playback.subtitle_language)),
        (gettext("Subtitle mode"), str(SUBTITLE_MODES[playback.subtitle_mode])),
    ]


def _language(value: str | None) -> str:
    if not value:
        return pgettext("a Jellyfin setting", "Any language")
    if value.casefold() == ORIGINAL_LANGUAGE.casefold():
        return pgettext("a Jellyfin setting", "Original language")
    return language_name(REGIONAL_VALUES.get(value.casefold(), value))


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int


def paging(query: Mapping[str, str]) -> Paging:
    """``offset`` and ``limit`` of a query, bounded: a limit from 1 to MAX_PAGE, an
    offset from 0; anything else their defaults."""
    return Paging(
        offset=_number(query.get("offset"), 0, 0, MAX_OFFSET),
        limit=_number(query.get("limit"), PER_PAGE, 1, MAX_PAGE),
    )


def _number(value: str | None, default: int, low: int, high: int) -> int:
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 12:
        return default
    return max(low, min(int(text), high))


def outcome_context(
    request: HttpRequest, person: Person, kind: str, outcome: ChoiceOutcome
) -> dict[str, Any]:
    """One page of the items of one kind and outcome, each said in a sentence."""
    bounds = paging(request.GET)
    items = outcome_page(person.listener(), kind, outcome, bounds.offset, bounds.limit)
    rows = [
        {
            "media_id": item.media_id,
            "title": item.title,
            "sentence": outcome_sentence(kind, outcome, item.count, item.language, person.name),
            "doubt": doubt_sentence(item.doubt, item.language) if item.doubt else "",
        }
        for item in items
    ]
    base = outcome_url(person, kind, outcome)

    def page_url(offset: int) -> str:
        return f"{base}?{urlencode({'offset': offset, 'limit': bounds.limit})}"

    label = dict(KINDS)[kind]
    return {
        "title": gettext("%(name)s: what will play") % {"name": person.name},
        "person": person,
        "kind_label": capfirst(str(label)),
        "rows": rows,
        "first": bounds.offset + 1,
        "last": bounds.offset + len(rows),
        "previous_url": page_url(max(0, bounds.offset - bounds.limit)) if bounds.offset else "",
        "next_url": page_url(bounds.offset + bounds.limit) if len(rows) == bounds.limit else "",
        "back_url": reverse("admin:scanner_person_tracks", args=[person.pk]),
    }


def plex_sections(person: Person, accounts: list[PersonAccount]) -> list[dict[str, Any]]:
    """Each Plex account with what the step that sets its tracks did last (the sentence
    of its event), or None when it never ran for it; why files were uncertain, and what
    to do when plex.tv handed out no token for the account."""
    results = {result.account_pk: result for result in latest_track_results(person)}
    sections = []
    for account in accounts:
        result = results.get(account.pk)
        sentence = track_result_sentence(result) if result else None
        advice = (
            token_sentence(result.reason, person=person.name, server=result.server)
            if result is not None and result.problem == TOKEN
            else ""
        )
        reasons = reason_sentences(result.doubts) if result is not None else []
        sections.append(
            {
                "account": account,
                "result": result,
                "sentence": sentence,
                "advice": advice,
                "reasons": reasons,
            }
        )
    return sections
