"""Events as people read them, as sentences: "Instance Sonarr added", "Instance tv
changed: target languages from English to English, German", "Connection test passed";
an event's data as labelled lines instead of JSON; languages by name, not by code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from scanner.connect.sentences import said
from scanner.engine.varieties import NOT
from scanner.event_words import by_text as _by
from scanner.history.wanted_text import wanted_text
from scanner.language_names import language_name, spoken_list
from scanner.models import Event, Instance, ScanRun
from scanner.models.choice_events import SAVED_KEY_USED, SETTLED_VARIETY, settled_fields
from scanner.models.event_data import ORPHANS_KEPT
from scanner.reports.dub_news import NEWS_KINDS, news_of
from scanner.reports.dub_news_text import news_title
from scanner.reports.event_sentences import CAUSES, TOLD, kept_orphans, sentence
from scanner.reports.profile_guard_text import kept_test_lines
from scanner.reports.tag_change_text import labels_change, same_tag, tag_word

# An event's data keys as the page names them.
DATA_LABELS = {
    "from": _("tag before"),
    "to": _("tag after"),
    "labels_from": _("labels before"),
    "labels_to": _("labels after"),
    "status": _("status"),
    "cause": _("cause"),
    "fields": _("settings changed"),
    "user": pgettext_lazy("who made a change", "by"),
    "via": _("through"),
    "title": _("title"),
    "path": _("folder"),
    "arr_id": _("number in the *arr"),
    "server": _("media server"),
    "item": _("item on the server"),
    "error": _("error"),
    SETTLED_VARIETY: _("variety settled"),
    "missing": _("target languages missing"),
    "trigger": _("trigger"),
    "unmatched": _("not found on the server"),
    "seerr": _("Seerr"),
    "person": _("person"),
    "issue": _("Seerr issue"),
    "asked_language": _("language asked for"),
    "tmdb_id": _("TMDb id"),
    "tvdb_id": _("TVDB id"),
    "version": _("version"),
}
OTHER_NAMES = {"api_key": _("API key"), "webhook_token": _("webhook token")}
CONNECTION_TEST = "connection_test"
TAG_KINDS = (Event.Kind.TAG_CHANGED, Event.Kind.TAG_PLANNED)


def value_text(value: Any, *, languages: bool = False) -> str:
    """A stored value in words: lists as comma lists, booleans as on/off, empty as "-";
    ``languages``: codes as language names, listed as the reader's language lists them
    (CLDR's list pattern: "Englisch und Deutsch")."""
    if value is None or value == "" or value == [] or value == {}:
        return pgettext("no language", "none") if languages else "-"
    if isinstance(value, bool):
        return gettext("on") if value else gettext("off")
    if isinstance(value, list) and languages:  # read in a sentence: "to English and German"
        return spoken_list([value_text(item, languages=True) for item in value])
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if languages and isinstance(value, str):
        return language_name(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    return str(value)


def setting_label(name: str) -> str:
    try:
        field = Instance._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if isinstance(field, Field):  # not a relation's other side, which has no verbose_name
        return str(field.verbose_name)
    return str(OTHER_NAMES.get(name, name.replace("_", " ")))


def setting_value(name: str, value: Any) -> str:
    """A setting's value in words; a choice (the audio source, files) by the label the
    instance form shows, never its stored code."""
    try:
        field = Instance._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if isinstance(field, Field) and field.choices and isinstance(value, str | int):
        labels = {str(code): label for code, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    return value_text(value, languages="language" in name)


def changes_text(changes: Mapping[str, Any]) -> str:
    """``target languages from English to English, German; language tags from off to on``."""
    return _apart().join(
        gettext("%(setting)s from %(old)s to %(new)s")
        % {"setting": setting_label(name), "old": setting_value(name, old),
           "new": setting_value(name, new)}
        for name, (old, new) in _pairs(changes)
    )  # fmt: skip


def _apart() -> str:
    """Between clauses of one sentence, as the language writes a semicolon ("; ", and
    "\u202f; " in French)."""
    return pgettext("between the clauses of a list of changes", "; ")


def _pairs(changes: Mapping[str, Any]) -> list[tuple[str, tuple[Any, Any]]]:
    return [
        (name, (pair[0], pair[1]) if isinstance(pair, list) and len(pair) == 2 else (None, pair))
        for name, pair in changes.items()
    ]


def event_message(event: Event) -> str:
    """The line an event list shows: a sentence."""
    data = event.data if isinstance(event.data, Mapping) else {}
    if event.kind in TAG_KINDS and "to" in data:
        return _tag_text(event, data)
    if event.kind in NEWS_KINDS and data.get("language"):
        news = news_of(event)
        return news_title(
            news["title"], news["language"], news["arrived"], news["season"],
            news["episode_numbers"],
        )  # fmt: skip
    if event.kind != Event.Kind.CONFIG:
        # Its kind's registered sentence, or the kind's plain one: never the English message.
        return sentence(event, data)
    if ORPHANS_KEPT in data:
        return kept_orphans(event, data)
    name = event.instance.name if event.instance is not None else "?"
    by = _by(data)
    test = data.get(CONNECTION_TEST)
    if isinstance(test, Mapping):
        lines = test.get("lines") or []
        if test.get("ok"):
            return gettext("Connection test of %(name)s passed%(by)s") % {"name": name, "by": by}
        first = f": {said(lines[0])}" if lines else ""
        failed = gettext("Connection test of %(name)s failed%(by)s") % {"name": name, "by": by}
        return failed + first
    if data.get(SAVED_KEY_USED):
        text = gettext("Saved API key of %(name)s used to test %(url)s%(by)s")
        return text % {"name": name, "url": data.get("url", "?"), "by": by}
    if "original_override" in data:
        code = data["original_override"]
        title = event.media.title if event.media is not None else gettext("an item")
        if code:
            text = gettext("Original language of %(title)s set to %(language)s%(by)s")
            return text % {"title": title, "language": language_name(code), "by": by}
        text = gettext("Original language of %(title)s reset to the *arr's%(by)s")
        return text % {"title": title, "by": by}
    if (wanted := wanted_text(event, data, by)) is not None:
        return wanted
    settled = settled_fields(data)
    if settled is not None:
        return _settled_text(event, *settled, by=by)
    changes = data.get("changes")
    if data.get("created") or (
        isinstance(changes, Mapping)
        and changes
        and all(old in (None, "", []) for _, (old, _new) in _pairs(changes))
    ):
        return gettext("Instance %(name)s added%(by)s") % {"name": name, "by": by}
    if isinstance(changes, Mapping) and changes:
        others = [n for n in data.get("fields", []) if n not in changes]
        told = changes_text(changes)
        if not others:
            return _changed_with(name, by, told)
        # The other settings after a colon, "setting" by their number: no participle of
        # ours agrees with labels of every gender ("clé API modifiés").
        extra = ngettext(
            "another setting changed: %(settings)s",
            "other settings changed: %(settings)s",
            len(others),
        ) % {"settings": spoken_list([setting_label(n) for n in others])}
        return _changed_with(name, by, told + _apart() + extra)
    if data.get("fields"):
        return _changed_with(name, by, spoken_list([setting_label(n) for n in data["fields"]]))
    # an older event: its English message is the log's
    return gettext("Instance %(name)s changed%(by)s") % {"name": name, "by": by}


def _changed_with(name: str, by: str, changes: str) -> str:
    text = gettext("Instance %(name)s changed%(by)s: %(changes)s")
    return text % {"name": name, "by": by, "changes": changes}


def _settled_text(event: Event, language: str, value: str, *, by: str) -> str:
    """``Film: French of unknown variety settled as Canadian French by alice``."""
    values = {
        "title": event.media.title if event.media is not None else gettext("an item"),
        "language": language_name(language),
        "by": by,
    }
    if not value:
        text = gettext("%(title)s: %(language)s of unknown variety unsettled%(by)s")
    elif value == NOT:
        text = gettext(
            "%(title)s: %(language)s of unknown variety settled as none of the regional "
            "targets%(by)s"
        )
    else:
        values["variety"] = language_name(value)
        text = gettext("%(title)s: %(language)s of unknown variety settled as %(variety)s%(by)s")
    return text % values


def _tag_text(event: Event, data: Mapping[str, Any]) -> str:
    """``Akira: changed: no tag → dub (+dub-en)``; a change of labels alone is told as
    that change (``Akira: changed: +sub-fr``); a dry run's says it would change."""
    labels = labels_change(data.get("labels_from") or [], data.get("labels_to") or [])
    title = event.media.title if event.media is not None else gettext("an item")
    planned = event.kind == Event.Kind.TAG_PLANNED
    if labels and same_tag(data.get("from"), data.get("to")):
        text = (
            gettext("%(title)s: would change: %(labels)s") if planned
            else gettext("%(title)s: changed: %(labels)s")
        )  # fmt: skip
        return text % {"title": title, "labels": labels}
    values = {"title": title, "from": tag_word(data.get("from")), "to": tag_word(data.get("to"))}
    if planned:
        text = gettext("%(title)s: would change: %(from)s → %(to)s") % values
    else:
        text = gettext("%(title)s: changed: %(from)s → %(to)s") % values
    return f"{text} ({labels})" if labels else text


def data_lines(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) per key of an event's data; a settings change one line per setting."""
    lines = []
    for key, value in data.items():
        if key == "created" or key in TOLD:
            continue  # the sentence says it ("added", the figures, the codes)
        if key == "changes" and isinstance(value, Mapping):
            for name, (old, new) in _pairs(value):
                change = f"{setting_value(name, old)} → {setting_value(name, new)}"
                lines.append((setting_label(name), change))
        elif key == "fields":
            lines.append((str(DATA_LABELS[key]), ", ".join(setting_label(n) for n in value)))
        elif key == CONNECTION_TEST and isinstance(value, Mapping):
            passed = gettext("passed") if value.get("ok") else gettext("failed")
            lines.append((gettext("connection test"), passed))
            lines.extend(("", line) for line in kept_test_lines(value))
        elif key in ("from", "to"):
            lines.append((str(DATA_LABELS[key]), tag_word(value)))
        elif key == "cause":
            if value:  # "": not known
                lines.append((str(DATA_LABELS[key]), str(CAUSES.get(value, value_text(value)))))
        elif key == "status":
            lines.append((str(DATA_LABELS[key]), _choice(ScanRun.Status, value)))
        elif key == "via":
            via = Event.Via.read(value)
            lines.append((str(DATA_LABELS[key]), str(via.label) if via else value_text(value)))
        elif key == "trigger":
            lines.append((str(DATA_LABELS[key]), _choice(ScanRun.Trigger, value)))
        elif key == "unmatched" and isinstance(value, list):
            # The titles; why each was not found is the matching's English (the log's).
            titles = [str(row.get("title", "?")) for row in value if isinstance(row, Mapping)]
            lines.append((str(DATA_LABELS[key]), ", ".join(titles)))
        elif key in ("missing", "asked_language"):
            lines.append((str(DATA_LABELS[key]), value_text(value, languages=True)))
        else:
            lines.append((str(DATA_LABELS.get(key, key.replace("_", " "))), value_text(value)))
    return lines


def _choice(choices: Any, value: Any) -> str:
    """A stored choice by its label (``succeeded`` → "succeeded" in the reader's words)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value_text(value)


def data_html(data: Mapping[str, Any]) -> SafeString | str:
    lines = data_lines(data or {})
    if not lines:
        return "-"
    return format_html(
        '<dl class="taggarr-kv">{}</dl>',
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", lines),
    )
