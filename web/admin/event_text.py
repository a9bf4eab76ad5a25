"""Events as people read them: a settings change as "target languages: en → en, de", a
tag change as "none → dub, +dub-en", a connection test as its verdict, and an event's
data as labelled lines instead of JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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
    "arr_id": "*arr id",
    "server": "media server",
    "item": "item on the server",
    "error": "error",
}
OTHER_NAMES = {"api_key": "API key", "webhook_token": "webhook token"}
CAUSES = {"unreachable": "the *arr could not be reached"}


def value_text(value: Any) -> str:
    """A stored value in words: lists as comma lists, booleans as on/off, empty as "-"."""
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    return str(value)


def setting_label(name: str) -> str:
    try:
        return str(Instance._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return OTHER_NAMES.get(name, name.replace("_", " "))


def changes_text(changes: Mapping[str, Any]) -> str:
    """``target languages: eng → eng, deu; language tags: off → on``."""
    return "; ".join(
        f"{setting_label(name)}: {value_text(old)} → {value_text(new)}"
        for name, (old, new) in changes.items()
    )


def event_message(event: Event) -> str:
    """The line an event list shows."""
    data = event.data or {}
    if event.kind == Event.Kind.CONFIG and data.get("changes"):
        who = f" (by {data.get('user', '?')})"
        others = [name for name in data.get("fields", []) if name not in data["changes"]]
        extra = "; " + ", ".join(setting_label(n) for n in others) + " changed" if others else ""
        return f"{changes_text(data['changes'])}{extra}{who}"
    return event.message


def data_lines(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) per key of an event's data; a settings change one line per setting."""
    lines = []
    for key, value in data.items():
        if key == "changes" and isinstance(value, Mapping):
            for name, pair in value.items():
                old, new = pair if isinstance(pair, list) and len(pair) == 2 else ("?", pair)
                lines.append((setting_label(name), f"{value_text(old)} → {value_text(new)}"))
        elif key == "fields":
            lines.append((DATA_LABELS[key], ", ".join(setting_label(n) for n in value)))
        elif key == "connection_test" and isinstance(value, Mapping):
            lines.append(("connection test", "OK" if value.get("ok") else "failed"))
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
