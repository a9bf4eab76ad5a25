"""The ``media_servers`` section of the configuration file: Taggarr's own addition
(the versions users migrate from had none), read like ``instances``::

    media_servers:
      living-room:
        type: jellyfin            # jellyfin, emby or plex
        url: http://jellyfin:8096
        token: ${JELLYFIN_TOKEN}
        instances: [sonarr-a]     # default: every instance of the file
        path_mappings:            # the server's folder => the same folder for Taggarr
          - {remote: /media/tv, local: /tv}
        libraries: [TV Shows]     # default: every library
        write_tags: true          # set the tags on the items (default true)
        refresh_after_nfo: false  # refresh items whose NFO changed (default false)
        enabled: true

Every error names the file, the line and the key; the values themselves are checked
by MediaServer.clean() when imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.legacy_import.document import Document, expand

FLAGS = ("enabled", "write_tags", "refresh_after_nfo")
SERVER_KEYS = {"type", "url", "token", "instances", "path_mappings", "libraries", *FLAGS}
SERVER_KINDS = ("jellyfin", "emby", "plex")


@dataclass
class ConfiguredServer:
    name: str
    values: dict[str, Any]  # MediaServer field -> value
    token: str  # never in ``values``
    instances: list[str] | None  # instance names; None: every instance of the file
    where: dict[str, str]  # field -> "file:line: key"


def read_media_servers(
    doc: Document, env: dict[str, str], notes: list[str]
) -> list[ConfiguredServer]:
    section = doc.data.get("media_servers") or {}
    if not isinstance(section, dict):
        raise doc.error(("media_servers",), "must be a mapping of name to settings")
    return [_server(doc, str(name), raw, env, notes) for name, raw in section.items()]


def _server(
    doc: Document, name: str, raw: Any, env: dict[str, str], notes: list[str]
) -> ConfiguredServer:
    base = ("media_servers", name)
    if not isinstance(raw, dict):
        raise doc.error(base, "must be a mapping of settings")
    for key in ("type", "url", "token"):
        if key not in raw:
            raise doc.error(base, f"'{key}' is missing")
    for key in raw:
        if key not in SERVER_KEYS:
            notes.append(f"line {doc.line((*base, key))}: {name}.{key} is unknown; ignored")
    where = {field: doc.locate((*base, key)) for key, field in _FIELDS.items() if key in raw}
    where["token"] = doc.locate((*base, "token"))

    def text(key: str) -> str:
        value = expand(doc, (*base, key), raw[key], env)
        if not isinstance(value, str) or not value.strip():
            raise doc.error((*base, key), "must be a non-empty string")
        return value.strip()

    kind = text("type").lower()
    if kind not in SERVER_KINDS:
        raise doc.error((*base, "type"), f"must be jellyfin, emby or plex, got {kind!r}")
    values: dict[str, Any] = {"kind": kind, "url": text("url")}
    for flag in FLAGS:
        if flag in raw:
            if not isinstance(raw[flag], bool):
                raise doc.error((*base, flag), f"must be true or false, got {raw[flag]!r}")
            values[flag] = raw[flag]
    if "libraries" in raw:
        values["libraries"] = _strings(doc, (*base, "libraries"), raw["libraries"], env)
    if "path_mappings" in raw:
        values["path_mappings"] = _mappings(
            doc, (*base, "path_mappings"), raw["path_mappings"], env
        )
    instances = None
    if "instances" in raw:
        instances = _strings(doc, (*base, "instances"), raw["instances"], env)
    return ConfiguredServer(
        name=name, values=values, token=text("token"), instances=instances, where=where
    )


_FIELDS = {
    "type": "kind", "url": "url", "libraries": "libraries", "path_mappings": "path_mappings",
    "instances": "instances", **{flag: flag for flag in FLAGS},
}  # fmt: skip


def _strings(doc: Document, key_path: tuple[Any, ...], raw: Any, env: dict[str, str]) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(value, str) for value in raw):
        raise doc.error(key_path, "must be a list of names")
    return [expand(doc, (*key_path, index), value, env) for index, value in enumerate(raw)]


def _mappings(
    doc: Document, key_path: tuple[Any, ...], raw: Any, env: dict[str, str]
) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        raise doc.error(key_path, "must be a list of {remote, local}")
    mappings = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or set(entry) != {"remote", "local"}:
            raise doc.error((*key_path, index), "must be {remote: <server's>, local: <ours>}")
        mappings.append(
            {key: expand(doc, (*key_path, index, key), entry[key], env) for key in entry}
        )
    return mappings
