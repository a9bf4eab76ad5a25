"""The events of scans, items, webhooks, media servers, searches and reviews as
sentences in the reader's language, built at display time from the event's kind and
data (scanner.models.event_data): "Scan #4 finished: 22 tag changes written". The English
``message`` is the log's and the command line's; it is never shown here. An event
written before its data held the figures gets its kind's sentence without them.
(The settings' events, tag changes and dub news: scanner.history.event_text, which asks here
for the rest; a run's error on its page: ``run_error_text``.) The words layer tells its own
kinds here; each feature tells its own in its folder (its ``event_text``), registered by
the wiring (scanner.reports.sentences): nothing here imports a feature."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scanner import errors
from scanner.event_words import Sentences, by_text, title_of
from scanner.event_words import count_of as _count
from scanner.language_names import language_name, spoken_list
from scanner.models import Event, ScanRun
from scanner.models import event_data as codes
from scanner.reports import sentences

# Why a run or an item failed (scanner.errors.cause_of): the end of a sentence, and the
# event's "cause" line.
CAUSES = {
    errors.CAUSE_UNREACHABLE: _("the *arr could not be reached"),
    errors.CAUSE_ARR_KEY: _("the *arr refused the API key"),
    errors.CAUSE_ARR_REFUSED: _("the *arr refused a request"),
    errors.CAUSE_UNREADABLE: _("a media file could not be read"),
    errors.CAUSE_STORAGE: _("a file or folder could not be read or written"),
    errors.CAUSE_CONFIG: _("a setting is invalid"),
    errors.CAUSE_UNEXPECTED: _("an unexpected error (the log tells more)"),
    errors.CAUSE_GAVE_UP: _("its scan stopped too often"),
    errors.CAUSE_STORE: _("its results could not be stored"),
    errors.CAUSE_HELD: _(
        "reading its files stopped making progress (the share may not be answering)"
    ),
    errors.CAUSE_STEP_HELD: _(
        "a step stopped making progress twice (a share or the *arr may not be answering)"
    ),
    errors.CAUSE_DATABASE_TIMEOUT: _("the database did not finish a statement in time"),
    errors.CAUSE_SHARE_UNANSWERED: _("the share stopped answering"),
}
# Why a media server's write failed (scanner.media_servers.writes.events.problem_of).
SERVER_PROBLEMS = {
    codes.SERVER_KEY: _("the server refused the key"),
    codes.SERVER_UNREACHABLE: _("the server could not be reached"),
    codes.SERVER_LIBRARY: _("a library named in its settings is not on the server"),
    codes.SERVER_GONE: _("the item is gone from the server"),
    codes.SERVER_CONFIG: _("a setting is invalid"),
    codes.SERVER_OTHER: _("the server refused the request"),
}
# The data keys a sentence tells: not repeated as lines of the event's details.
TOLD = frozenset(
    {"what", "problem", "problems", "written", "not_written", "dry_run", "count", "bound",
     "event_type", "rate", "known", codes.ORPHANS_KEPT, "counts", "doubts", "reason",
     "mapping", "names"}
)  # fmt: skip


def _run(event: Event) -> Any:
    return event.run_id or "?"


def scan_finished(event: Event, data: Mapping[str, Any]) -> str:
    values: dict[str, Any] = {"run": _run(event)}
    status = data.get("status")
    if status == ScanRun.Status.CANCELLED:
        return gettext("Scan #%(run)s cancelled") % values
    if "written" not in data:
        if status != ScanRun.Status.FAILED:
            return gettext("Scan #%(run)s finished") % values
        cause = CAUSES.get(str(data.get("cause")))
        if cause is None:
            return gettext("Scan #%(run)s failed") % values
        return gettext("Scan #%(run)s failed: %(cause)s") % {**values, "cause": cause}
    values["count"] = written = _count(data["written"])
    values["not_written"] = _count(data.get("not_written"))
    if data.get("dry_run"):
        text = ngettext(
            "Dry run #%(run)s finished: %(count)d tag change planned, nothing written",
            "Dry run #%(run)s finished: %(count)d tag changes planned, nothing written",
            written,
        )
    elif values["not_written"]:
        # Two sentences, each with its own count (issue 84: one count per plural).
        text = " ".join(
            (
                ngettext(
                    "Scan #%(run)s finished: %(count)d tag change written.",
                    "Scan #%(run)s finished: %(count)d tag changes written.",
                    written,
                ),
                ngettext(
                    "%(not_written)d tag change was not written, as no NFO or media server "
                    "holds it: see the run's page.",
                    "%(not_written)d tag changes were not written, as no NFO or media server "
                    "holds them: see the run's page.",
                    values["not_written"],
                ),
            )
        )
    else:
        text = ngettext(
            "Scan #%(run)s finished: %(count)d tag change written",
            "Scan #%(run)s finished: %(count)d tag changes written",
            written,
        )
    text %= values
    problems = problem_texts(data.get("problems"))
    return f"{text} ({spoken_list(problems)})" if problems else text


def problem_texts(problems: Any) -> list[str]:
    """What went wrong in a run's apply step, clause by clause: each a clause that reads
    alone and in a list (``spoken_list``: "1 item failed and 2 NFOs could not be
    written"), never joined by a separator of our own."""
    if not isinstance(problems, Mapping):
        return []
    texts = []
    failed = problems.get("tag_writes_failed")
    if isinstance(failed, list) and len(failed) == 2:
        # The failed ones govern the clause; the attempts are the run's page's figure.
        text = ngettext(
            "%(failed)d tag write failed", "%(failed)d tag writes failed", _count(failed[0])
        )
        texts.append(text % {"failed": _count(failed[0])})
    if nfo := _count(problems.get("nfo_failed")):
        texts.append(
            ngettext(
                "%(count)d NFO could not be written", "%(count)d NFOs could not be written", nfo
            )
            % {"count": nfo}
        )
    for server in problems.get("media_servers") or []:
        texts.append(
            gettext("writes to the media server %(server)s failed (see the run's page)")
            % {"server": server}
        )
    if items := _count(problems.get("items_failed")):
        texts.append(
            ngettext("%(count)d item failed", "%(count)d items failed", items) % {"count": items}
        )
    held = problems.get("held")
    if isinstance(held, list) and held:
        texts.append(
            gettext(
                "reading the files of %(titles)s did not end within the hold limit (the "
                "share may not answer)"
            )
            % {"titles": spoken_list([str(title) for title in held])}
        )
    return texts


def item_failed(event: Event, data: Mapping[str, Any]) -> str:
    values = {"title": title_of(event, data)}
    cause = CAUSES.get(str(data.get("cause")))
    if cause is None:
        return gettext("%(title)s could not be scanned") % values
    return gettext("%(title)s could not be scanned: %(cause)s") % {**values, "cause": cause}


def nfo_error(event: Event, data: Mapping[str, Any]) -> str:
    values = {"title": title_of(event, data)}
    if data.get("problem") == codes.NFO_MALFORMED:
        return gettext("%(title)s: its NFO is not well-formed XML: left untouched") % values
    return gettext("%(title)s: its NFO could not be written") % values


def webhook(event: Event, data: Mapping[str, Any]) -> str:
    what = data.get("what")
    values = {"event": data.get("event_type", "?"), "arr_id": data.get("arr_id", "?")}
    if what == codes.WEBHOOK_TEST:
        arr = event.instance.get_kind_display() if event.instance else gettext("the *arr")
        return gettext("Test webhook from %(arr)s received") % {"arr": arr}
    if what == codes.WEBHOOK_QUEUED:
        return gettext("%(event)s webhook queued a scan of item %(arr_id)s") % values
    if what == codes.WEBHOOK_WAITING:
        return (
            gettext(
                "%(event)s webhook for item %(arr_id)s remembered: the instance waits for "
                "its first scan"
            )
            % values
        )
    if what == codes.WEBHOOK_TOO_MANY:
        rate = _count(data.get("rate"))
        text = ngettext(
            "Webhooks came faster than %(rate)d a minute: refused until the minute ends; "
            "the whole library will be scanned instead",
            "Webhooks came faster than %(rate)d a minute: refused until the minute ends; "
            "the whole library will be scanned instead",
            rate,
        )
        return text % {"rate": rate}
    return gettext("Webhook received")


def media_server(event: Event, data: Mapping[str, Any]) -> str:
    server = data.get("server") or "?"
    what = data.get("what")
    problem = SERVER_PROBLEMS.get(str(data.get("problem")), SERVER_PROBLEMS[codes.SERVER_OTHER])
    values = {"server": server, "title": title_of(event, data), "problem": problem}
    if what == codes.SERVER_TAGS_NOT_WRITTEN:
        return gettext("%(server)s: tags of %(title)s not written: %(problem)s") % values
    if what == codes.SERVER_NOT_REFRESHED:
        return gettext("%(server)s: %(title)s not refreshed: %(problem)s") % values
    if what == codes.SERVER_ORIGINAL_NOT_SET:
        return gettext("%(server)s: original language of %(title)s not set: %(problem)s") % values
    if what == codes.SERVER_CONNECTION:
        return gettext("%(server)s: tags not written: %(problem)s") % values
    if what == codes.SERVER_UNMATCHED:
        count = _count(data.get("count"))
        text = ngettext(
            "%(server)s: %(count)d item not found on the server",
            "%(server)s: %(count)d items not found on the server",
            count,
        )
        return text % {"server": server, "count": count}
    return gettext("Media server %(server)s: a write did not go through") % values


def media_removed(event: Event, data: Mapping[str, Any]) -> str:
    return gettext("%(title)s left the library") % {"title": title_of(event, data)}


def review(event: Event, data: Mapping[str, Any]) -> str:
    values = {"title": title_of(event, data), "by": by_text(data)}
    if "unknown_language" not in data:
        return gettext("%(title)s: guesses confirmed%(by)s") % values
    code = data["unknown_language"]
    if not code:
        return gettext("%(title)s: tracks without a language guessed by the rules again%(by)s") % (
            values
        )
    text = gettext("%(title)s: tracks without a language taken as %(language)s%(by)s")
    return text % {**values, "language": language_name(str(code))}


def kept_orphans(event: Event, data: Mapping[str, Any]) -> str:
    """A scan that did not remove the items missing from the *arr's listing."""
    count = _count(data.get(codes.ORPHANS_KEPT))
    known = _count(data.get("known"))
    # Two sentences, each with its own count (issue 84: one count per plural).
    missing = ngettext(
        "%(count)d item is missing from the *arr's listing and was not removed: check the "
        "mounts, root folders and path mappings, or scan in rewrite mode.",
        "%(count)d items are missing from the *arr's listing and were not removed: check the "
        "mounts, root folders and path mappings, or scan in rewrite mode.",
        count,
    ) % {"count": count}
    before = ngettext(
        "Taggarr knew %(known)d item of this *arr before the scan.",
        "Taggarr knew %(known)d items of this *arr before the scan.",
        known,
    ) % {"known": known}
    return f"{missing} {before}"


def fallback(event: Event, data: Mapping[str, Any]) -> str:
    """The kind's sentence without the figures an older event's data lacks."""
    values = {"title": title_of(event, data)}
    texts: dict[str, Any] = {
        Event.Kind.TAG_CHANGED: _("%(title)s: tag changed"),
        Event.Kind.TAG_PLANNED: _("%(title)s: tag change planned"),
        Event.Kind.DUB_ARRIVED: _("%(title)s: a target language arrived"),
        Event.Kind.DUB_LOST: _("%(title)s: a target language was lost"),
    }
    return str(texts.get(event.kind, _("%(title)s: something happened"))) % values


def run_error_text(run: ScanRun) -> str:
    """A run's error as its page shows it, in the reader's language: what its end's event
    counted (``1 item failed; 2 NFOs could not be written``) or why it failed; the stored
    English error only where the event holds no figures (an older run) or the failure
    was unexpected (its own words are all there is)."""
    if not run.error:
        return ""
    end = Event.objects.filter(run=run, kind=Event.Kind.SCAN_FINISHED).order_by("-id").first()
    data = end.data if end is not None and isinstance(end.data, Mapping) else {}
    if data.get("status") == ScanRun.Status.CANCELLED:
        return str(ScanRun.Status.CANCELLED.label)
    if problems := problem_texts(data.get("problems")):
        return spoken_list(problems)
    cause = str(data.get("cause"))
    if cause in CAUSES and cause != errors.CAUSE_UNEXPECTED:
        return str(CAUSES[cause])
    return run.error


def sentence(event: Event, data: Mapping[str, Any]) -> str:
    """The event's sentence: its kind's, as registered (the words layer's own or a
    feature's), or the kind's plain one (``fallback``) when no sentence tells it."""
    told = sentences.sentence_for(event.kind)
    return told(event, data) if told is not None else fallback(event, data)


# The words layer's own kinds; the features' are theirs (scanner.apps registers them).
OWN: Sentences = {
    Event.Kind.SCAN_FINISHED: scan_finished,
    Event.Kind.ITEM_FAILED: item_failed,
    Event.Kind.NFO_ERROR: nfo_error,
    Event.Kind.WEBHOOK: webhook,
    Event.Kind.MEDIA_SERVER: media_server,
    Event.Kind.MEDIA_REMOVED: media_removed,
    Event.Kind.REVIEW: review,
}
sentences.register_all(OWN)
# Every kind's sentence registered: these and each feature's (read when an event is shown).
SENTENCES = sentences.SENTENCES
