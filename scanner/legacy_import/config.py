"""Reads the YAML configuration of the Taggarr versions users migrate from.

The format: ``defaults`` (target_languages, tags {dub, semi, wrong}, dry_run,
quick_mode, run_interval_seconds, log_level, log_path) and ``instances``, a
mapping of name to {type, url, api_key, root_path, target_languages, tags,
dry_run, quick_mode, target_genre}; ``${VAR}`` in any string is replaced from
the environment. Every error names the file, the line and the key. Taggarr also
reads ``media_servers`` (scanner/legacy_import/media_servers.py), which those
versions did not have.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.legacy_import.document import Document, expand
from scanner.legacy_import.media_servers import ConfiguredServer, read_media_servers

DEFAULT_KEYS = {
    "target_languages", "tags", "dry_run", "quick_mode", "run_interval_seconds", "log_level",
    "log_path", "target_genre", "identify_audio_language",
}  # fmt: skip
INSTANCE_KEYS = {
    "type", "url", "api_key", "root_path", "target_languages", "tags", "dry_run", "quick_mode",
    "target_genre", "identify_audio_language",
}  # fmt: skip
# Taggarr's own key, not the original's: off, unlabelled or all (tagging-rules.md, "Listening").
LISTEN_MODES = ("off", "unlabelled", "all")
REQUIRED_KEYS = ("type", "url", "api_key", "root_path")
TAG_KEYS = {"dub": "tag_dub", "semi": "tag_semi_dub", "wrong": "tag_wrong_dub"}
IGNORED_DEFAULTS = {"log_level", "log_path"}  # Taggarr's own settings decide these


@dataclass
class OriginalInstance:
    name: str
    values: dict[str, Any]  # Instance field -> value
    api_key: str
    where: dict[str, str]  # Instance field -> "file:line: key" of the YAML it came from


@dataclass
class OriginalConfig:
    instances: list[OriginalInstance] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # ignored keys, said once each
    media_servers: list[ConfiguredServer] = field(default_factory=list)


def read_original_config(path: Path, environ: dict[str, str] | None = None) -> OriginalConfig:
    doc = Document(path)
    env = dict(os.environ if environ is None else environ)
    if not isinstance(doc.data, dict):
        raise doc.error((), "the file must be a mapping with 'defaults' and 'instances'")
    config = OriginalConfig()
    defaults = doc.data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise doc.error(("defaults",), "must be a mapping")
    for key in defaults:
        if key not in DEFAULT_KEYS:
            config.notes.append(
                f"line {doc.line(('defaults', key))}: defaults.{key} is unknown; ignored"
            )
        elif key in IGNORED_DEFAULTS:
            config.notes.append(
                f"line {doc.line(('defaults', key))}: defaults.{key} is ignored "
                "(set TAGGARR_LOG_LEVEL and the data dir instead)"
            )
    instances = doc.data.get("instances")
    if not isinstance(instances, dict) or not instances:
        raise doc.error(
            ("instances",), "give at least one instance (a mapping of name to settings)"
        )
    for name, raw in instances.items():
        config.instances.append(_instance(doc, str(name), raw, defaults, env, config.notes))
    config.media_servers = read_media_servers(doc, env, config.notes)
    return config


def _instance(
    doc: Document,
    name: str,
    raw: Any,
    defaults: dict[str, Any],
    env: dict[str, str],
    notes: list[str],
) -> OriginalInstance:
    base = ("instances", name)
    if not isinstance(raw, dict):
        raise doc.error(base, "must be a mapping of settings")
    for key in REQUIRED_KEYS:
        if key not in raw:
            raise doc.error(base, f"'{key}' is missing")
    for key in raw:
        if key not in INSTANCE_KEYS:
            notes.append(f"line {doc.line((*base, key))}: {name}.{key} is unknown; ignored")
    reader = _InstanceReader(doc, base, raw, defaults, env)
    api_key = reader.connection()
    reader.flags()
    reader.languages()
    _tags(doc, base, raw, defaults, env, reader.values, reader.where)
    reader.genre_and_interval()
    return OriginalInstance(name=name, values=reader.values, api_key=api_key, where=reader.where)


class _InstanceReader:
    """Reads one instance's settings (the instance's own value first, then the
    defaults) into Taggarr's field names, remembering where each came from."""

    def __init__(
        self,
        doc: Document,
        base: tuple[Any, ...],
        raw: dict[str, Any],
        defaults: dict[str, Any],
        env: dict[str, str],
    ) -> None:
        self.doc, self.base, self.raw, self.defaults, self.env = doc, base, raw, defaults, env
        self.values: dict[str, Any] = {}
        self.where: dict[str, str] = {}

    def value(self, key: str, source: dict[str, Any], where: tuple[Any, ...]) -> Any:
        return expand(self.doc, (*where, key), source[key], self.env)

    def pick(self, key: str) -> tuple[Any, tuple[Any, ...]] | None:
        if key in self.raw:
            return self.value(key, self.raw, self.base), (*self.base, key)
        if key in self.defaults:
            return self.value(key, self.defaults, ("defaults",)), ("defaults", key)
        return None

    def set(self, field_name: str, value: Any, path: tuple[Any, ...]) -> None:
        self.values[field_name], self.where[field_name] = value, self.doc.locate(path)

    def connection(self) -> str:
        """Kind, URL and root folder; returns the API key (never stored in ``values``)."""
        doc, base = self.doc, self.base
        kind = self.value("type", self.raw, base)
        if kind not in ("sonarr", "radarr"):
            raise doc.error((*base, "type"), f"must be sonarr or radarr, got {kind!r}")
        self.set("kind", kind, (*base, "type"))
        for key, field_name in (("url", "url"), ("root_path", "root_folders")):
            text = self.value(key, self.raw, base)
            if not isinstance(text, str) or not text.strip():
                raise doc.error((*base, key), "must be a non-empty string")
            value = [text.strip()] if field_name == "root_folders" else text.strip()
            self.set(field_name, value, (*base, key))
        api_key = self.value("api_key", self.raw, base)
        if not isinstance(api_key, str) or not api_key.strip():
            raise doc.error((*base, "api_key"), "must be a non-empty string")
        self.where["api_key"] = doc.locate((*base, "api_key"))
        return api_key.strip()

    def flags(self) -> None:
        for key in ("dry_run", "quick_mode"):
            found = self.pick(key)
            if found is not None:
                if not isinstance(found[0], bool):
                    raise self.doc.error(found[1], f"must be true or false, got {found[0]!r}")
                self.set(key, found[0], found[1])
        found = self.pick("identify_audio_language")
        if found is not None:
            if found[0] not in LISTEN_MODES:
                raise self.doc.error(found[1], f"must be off, unlabelled or all, got {found[0]!r}")
            self.set("identify_audio_language", found[0], found[1])

    def languages(self) -> None:
        found = self.pick("target_languages")
        if found is None:
            return
        languages = found[0]
        if isinstance(languages, str):
            languages = [part.strip() for part in languages.split(",") if part.strip()]
        if not isinstance(languages, list) or not all(isinstance(v, str) for v in languages):
            raise self.doc.error(found[1], "must be a list of language codes")
        self.set("target_languages", languages, found[1])

    def genre_and_interval(self) -> None:
        found = self.pick("target_genre")
        if found is not None and found[0]:
            self.set("genre_filter", [str(found[0])], found[1])
        if "run_interval_seconds" in self.defaults:
            path = ("defaults", "run_interval_seconds")
            seconds = self.value("run_interval_seconds", self.defaults, ("defaults",))
            if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
                raise self.doc.error(path, "must be a whole number >= 0")
            self.set("scan_interval_minutes", math.ceil(seconds / 60), path)


def _tags(
    doc: Document,
    base: tuple[Any, ...],
    raw: dict[str, Any],
    defaults: dict[str, Any],
    env: dict[str, str],
    values: dict[str, Any],
    where: dict[str, str],
) -> None:
    for origin, source in ((("defaults",), defaults), (base, raw)):  # the instance wins
        tags = source.get("tags")
        if tags is None:
            continue
        if not isinstance(tags, dict):
            raise doc.error((*origin, "tags"), "must be a mapping with dub, semi and wrong")
        for key, label in tags.items():
            if key not in TAG_KEYS:
                raise doc.error((*origin, "tags", key), "must be one of dub, semi, wrong")
            text = expand(doc, (*origin, "tags", key), label, env)
            if not isinstance(text, str):
                raise doc.error((*origin, "tags", key), "must be a string")
            values[TAG_KEYS[key]] = text
            where[TAG_KEYS[key]] = doc.locate((*origin, "tags", key))
