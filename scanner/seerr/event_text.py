"""Seerr's events (issue 72) as sentences in the reader's language, from their data
(scanner.models.event_data: SEERR_*); the English ``message`` is the log's. Published
as ``SENTENCES``, which the wiring registers (scanner.reports.sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext

from scanner.event_words import Sentences
from scanner.language_names import language_name
from scanner.models import Event
from scanner.models import event_data as codes


def seerr_text(event: Event, data: Mapping[str, Any]) -> str:
    what = data.get("what")
    values = {
        "seerr": str(data.get("seerr", "Seerr")),
        "title": str(data.get("title", "?")),
        "person": str(data.get("person", "?")),
        "user": str(data.get("user", "?")),
        "version": str(data.get("version", "?")),
        "issue": str(data.get("issue", "?")),
        "permission": gettext("Report Issues"),
        "language": language_name(str(data["asked_language"]))
        if data.get("asked_language")
        else "?",
    }
    if what == codes.SEERR_TESTED:
        count = _count(data.get("count"))
        return ngettext(
            "Seerr %(seerr)s %(version)s: connection test passed, %(count)d user listed",
            "Seerr %(seerr)s %(version)s: connection test passed, %(count)d users listed",
            count,
        ) % {**values, "count": count}
    if what == codes.SEERR_GAVE_UP:
        count = _count(data.get("count"))
        return ngettext(
            "%(title)s: Seerr refused Taggarr's answer %(count)d time in a row over more "
            "than a day; it is not tried again",
            "%(title)s: Seerr refused Taggarr's answer %(count)d times in a row over more "
            "than a day; it is not tried again",
            count,
        ) % {**values, "count": count}
    texts = {
        codes.SEERR_NOT_SERVED: gettext(
            "Seerr %(seerr)s: a notification about %(title)s was ignored: its instance is "
            "not one this Seerr connection serves"
        ),
        codes.SEERR_TEST_FAILED: gettext("Seerr %(seerr)s: connection test failed"),
        codes.SEERR_NEW_TOKEN: gettext(
            "Seerr %(seerr)s: %(user)s made a new webhook token; the one Seerr had stops working"
        ),
        codes.SEERR_WANTED: gettext(
            "%(title)s was requested in Seerr: its wanted languages are now %(person)s's"
        ),
        codes.SEERR_WANTED_KEPT: gettext(
            "%(title)s was requested in Seerr: its wanted languages, chosen by %(user)s, are kept"
        ),
        codes.SEERR_WANTED_ISSUE: gettext(
            "%(title)s: an Audio issue was reported in Seerr; its wanted languages are now "
            "%(person)s's"
        ),
        codes.SEERR_WANTED_KEPT_ISSUE: gettext(
            "%(title)s: an Audio issue was reported in Seerr; its wanted languages, chosen by "
            "%(user)s, are kept"
        ),
        codes.SEERR_PENDING: gettext(
            "Seerr %(seerr)s: a request for an item no instance has yet is kept until a scan "
            "brings it"
        ),
        codes.SEERR_NO_PERSON: gettext(
            "Seerr %(seerr)s: a notification from a user linked to no person was ignored"
        ),
        codes.SEERR_SCAN: gettext("%(title)s is available in Seerr: a scan of it was queued"),
        codes.SEERR_ISSUE_SCAN: gettext(
            "%(title)s: an Audio issue was reported in Seerr; its files are read before it "
            "is answered"
        ),
        codes.SEERR_COMMENTED: gettext(
            "%(title)s: Seerr issue %(issue)s told where %(language)s stands"
        ),
        codes.SEERR_RESOLVED: gettext(
            "%(title)s: %(language)s arrived; Seerr issue %(issue)s was told and resolved"
        ),
        codes.SEERR_SEARCHED: gettext(
            "%(title)s: a search for %(language)s was queued for a Seerr request"
        ),
        codes.SEERR_FAILED: gettext("%(title)s: Seerr did not take Taggarr's comment"),
        # Seerr's own label of the permission, as its catalog names it (PermissionEdit).
        codes.SEERR_OPENED_BY_KEY: gettext(
            "%(title)s: %(user)s may not report issues in Seerr, so Taggarr opened the Audio "
            "issue as the API key's user and Seerr will not tell %(user)s of its answers; "
            "give %(user)s the permission “%(permission)s” in Seerr"
        ),
    }
    text = texts.get(str(what), gettext("Seerr %(seerr)s: something happened"))
    return text % values


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# The kinds of event Seerr tells (registered by the wiring: scanner.apps).
SENTENCES: Sentences = {Event.Kind.SEERR: seerr_text}
