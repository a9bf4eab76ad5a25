"""Events as people read them, as sentences: "Instance Sonarr added", "Instance tv
changed: target languages from English to English, German", "Connection test passed";
an event's data as labelled lines instead of JSON; languages by name, not by code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from scanner.engine.languages import language_name
from scanner.models import Event, Instance

# An event's data keys as the page names them.
DATA_LABELS = {
    "from": "tag before",
    "to": "tag after",
    "labels_from": "labels before",
    "labels_to": "labels after",
    "status": "status",
    "cause": "cause",
    "fields": "settings changed",
    "user": "by",
    "via": "through",
    "title": "title",
    "path": "folder",
    "arr_id": "number in the *arr",
    "server": "media server",
    "item": "item on the server",
    "error": "error",
}
OTHER_NAMES = {"api_key": "API key", "webhook_token": "webhook token"}
CAUSES = {"unreachable": "the *arr could not be reached"}
# How a change came in, after "by <user>"; the web pages need no words.
VIA = {"api": " through the API", "cli": " from the command line", "webhook": " by a webhook"}
CONNECTION_TEST = "connection_test"


def value_text(value: Any, *, languages: bool = False) -> str:
    """A stored value in words: lists as comma lists, booleans as on/off, empty as "-";
    ``languages``: codes as language names."""
    if value is None or value == "" or value == [] or value == {}:
        return "none" if languages else "-"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ", ".join(value_text(item, languages=languages) for item in value)
    if languages and isinstance(value, str):
        return language_name(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    return str(value)


def setting_label(name: str) -> str:
    try:
        return str(Instance._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return OTHER_NAMES.get(name, name.replace("_", " "))


def setting_value(name: str, value: Any) -> str:
    return value_text(value, languages="language" in name)


def changes_text(changes: Mapping[str, Any]) -> str:
    """``target languages from English to English, German; language tags from off to on``."""
    return "; ".join(
        f"{setting_label(name)} from {setting_value(name, old)} to {setting_value(name, new)}"
        for name, (old, new) in _pairs(changes)
    )


def _pairs(changes: Mapping[str, Any]) -> list[tuple[str, tuple[Any, Any]]]:
    return [
        (name, (pair[0], pair[1]) if isinstance(pair, list) and len(pair) == 2 else (None, pair))
        for name, pair in changes.items()
    ]


def _by(data: Mapping[str, Any]) -> str:
    user = data.get("user")
    return f" by {user}{VIA.get(str(data.get('via')), '')}" if user else ""


def event_message(event: Event) -> str:
    """The line an event list shows: a sentence."""
    data = event.data if isinstance(event.data, Mapping) else {}
    if event.kind != Event.Kind.CONFIG:
        return event.message
    name = event.instance.name if event.instance_id else "?"
    test = data.get(CONNECTION_TEST)
    if isinstance(test, Mapping):
        lines = test.get("lines") or []
        if test.get("ok"):
            return f"Connection test of {name} passed{_by(data)}"
        first = f": {lines[0]}" if lines else ""
        return f"Connection test of {name} failed{_by(data)}{first}"
    if "original_override" in data:
        code = data["original_override"]
        title = event.media.title if event.media_id else "an item"
        what = f"set to {language_name(code)}" if code else "reset to the *arr's"
        return f"Original language of {title} {what}{_by(data)}"
    changes = data.get("changes")
    if data.get("created") or (
        isinstance(changes, Mapping)
        and changes
        and all(old in (None, "", []) for _, (old, _new) in _pairs(changes))
    ):
        return f"Instance {name} added{_by(data)}"
    if isinstance(changes, Mapping) and changes:
        others = [n for n in data.get("fields", []) if n not in changes]
        extra = "; " + ", ".join(setting_label(n) for n in others) + " changed" if others else ""
        return f"Instance {name} changed{_by(data)}: {changes_text(changes)}{extra}"
    if data.get("fields"):
        fields = ", ".join(setting_label(n) for n in data["fields"])
        return f"Instance {name} changed{_by(data)}: {fields}"
    return event.message


def data_lines(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) per key of an event's data; a settings change one line per setting."""
    lines = []
    for key, value in data.items():
        if key == "created":
            continue  # the sentence says "added"
        if key == "changes" and isinstance(value, Mapping):
            for name, (old, new) in _pairs(value):
                change = f"{setting_value(name, old)} → {setting_value(name, new)}"
                lines.append((setting_label(name), change))
        elif key == "fields":
            lines.append((DATA_LABELS[key], ", ".join(setting_label(n) for n in value)))
        elif key == CONNECTION_TEST and isinstance(value, Mapping):
            lines.append(("connection test", "passed" if value.get("ok") else "failed"))
            lines.extend(("", str(line)) for line in value.get("lines", []))
        elif key == "cause":
            lines.append((DATA_LABELS[key], CAUSES.get(value, value_text(value))))
        else:
            lines.append((DATA_LABELS.get(key, key.replace("_", " ")), value_text(value)))
    return lines


def data_html(data: Mapping[str, Any]) -> SafeString | str:
    lines = data_lines(data or {})
    if not lines:
        return "-"
    return format_html(
        '<dl class="taggarr-kv">{}</dl>',
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", lines),
    )
