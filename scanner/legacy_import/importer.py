"""Writes the original Taggarr's configuration and state into Taggarr's database.

Idempotent: importing the same file again changes nothing; an edited file
updates the instances and media servers it names. Everything is checked before anything is
saved, so a bad file leaves the database as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from scanner import validators
from scanner.arr import in_scope
from scanner.engine.target_aliases import read_language
from scanner.engine.verdict import Tag
from scanner.errors import ConfigError
from scanner.legacy_import.config import OriginalConfig
from scanner.legacy_import.media_servers import ConfiguredServer
from scanner.models import Instance, Media, MediaServer
from scanner.models.instance_option_list import imported_fields
from scanner.models.secrets import Secret

# What the original's config sets (its API key apart): scanner.models.instance_option_list.
COMPARED_FIELDS = imported_fields()
SERVER_COMPARED_FIELDS = (
    "kind", "url", "enabled", "path_mappings", "libraries", "write_tags", "refresh_after_nfo",
)  # fmt: skip


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # state import: reason -> count
    media_servers: list[tuple[str, str]] = field(default_factory=list)  # (outcome, name)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def import_config(config: OriginalConfig) -> ImportReport:
    report = ImportReport()
    pending: list[tuple[Instance, str]] = []
    for original in config.instances:
        instance = Instance.objects.filter(name=original.name).first()
        before = _snapshot(instance) if instance else None
        instance = instance or Instance(name=original.name)
        for name, value in original.values.items():
            setattr(instance, name, value)
        try:
            api_key = validators.clean_api_key(original.api_key)
        except ValidationError as exc:
            raise ConfigError(f"{original.where['api_key']}: {'; '.join(exc.messages)}") from None
        key_changed = _secret_differs(Instance.api_key, instance, api_key)
        if key_changed:
            instance.set_api_key(api_key)
        try:
            instance.full_clean()
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            where = original.where.get(field_name, f"instances.{original.name}")
            raise ConfigError(f"{where}: {'; '.join(messages)}") from None
        if before is None:
            pending.append((instance, "created"))
        elif key_changed or _snapshot(instance) != before:
            pending.append((instance, "updated"))
        else:
            report.unchanged.append(original.name)
    file_names = [original.name for original in config.instances]
    servers = [_planned_server(configured, file_names) for configured in config.media_servers]
    with transaction.atomic():
        for instance, outcome in pending:
            instance.save()
            getattr(report, outcome).append(instance.name)
        for server, names, outcome in servers:
            if outcome != "unchanged":
                server.save()
                server.instances.set(Instance.objects.filter(name__in=names))
            report.media_servers.append((outcome, server.name))
    return report


def _snapshot(instance: Instance) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in COMPARED_FIELDS}


def _planned_server(
    configured: ConfiguredServer, file_names: list[str]
) -> tuple[MediaServer, list[str], str]:
    """The connection with the file's values, checked, the names of the instances that
    feed it and whether it is created, updated or unchanged; nothing saved."""
    server = MediaServer.objects.filter(name=configured.name).first()
    before = _server_snapshot(server) if server else None
    server = server or MediaServer(name=configured.name)
    for name, value in configured.values.items():
        setattr(server, name, value)
    where = configured.where
    try:
        token = validators.clean_server_token(configured.token)
    except ValidationError as exc:
        raise ConfigError(f"{where['token']}: {'; '.join(exc.messages)}") from None
    token_changed = _secret_differs(MediaServer.token, server, token)
    if token_changed:
        server.set_token(token)
    try:
        server.full_clean()
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        place = where.get(field_name, f"media_servers.{configured.name}")
        raise ConfigError(f"{place}: {'; '.join(messages)}") from None
    names = file_names if configured.instances is None else configured.instances
    known = set(file_names) | set(
        Instance.objects.filter(name__in=names).values_list("name", flat=True)
    )
    missing = [name for name in names if name not in known]
    if missing:
        place = where.get("instances", f"media_servers.{configured.name}")
        raise ConfigError(f"{place}: no instance named {', '.join(map(repr, missing))}")
    if before is None:
        return server, names, "created"
    if token_changed or _server_snapshot(server, names) != before:
        return server, names, "updated"
    return server, names, "unchanged"


def _server_snapshot(server: MediaServer, names: list[str] | None = None) -> dict[str, Any]:
    """The compared values; ``names``: the instances it will have (default: its own)."""
    if names is None:
        names = list(server.instances.values_list("name", flat=True))
    return {
        **{name: getattr(server, name) for name in SERVER_COMPARED_FIELDS},
        "instances": sorted(set(names)),
    }


def _secret_differs(secret: Secret, obj: Instance | MediaServer, value: str) -> bool:
    """Whether a saved API key or token is not ``value``."""
    if not secret.is_set(obj):
        return True
    try:
        return secret.get(obj) != value
    except ConfigError:  # saved with another encryption key: replace it
        return True


def import_state(path: Path, instance: Instance | None = None) -> ImportReport:
    """Per show/movie: the tag the old tool applied and the original language."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected an object with 'series' or 'movies'")
    entries = [item for key in ("series", "movies") for item in _section(data, key, path)]
    candidates = [instance] if instance else list(Instance.objects.all())
    report = ImportReport()
    with transaction.atomic():
        for media_path, entry in entries:
            _import_entry(media_path, entry, candidates, report)
    return report


def _section(data: dict[str, Any], key: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    section = data.get(key) or {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: '{key}' must be an object of folder -> entry")
    return [(str(folder), entry) for folder, entry in section.items() if isinstance(entry, dict)]


def _import_entry(
    media_path: str, entry: dict[str, Any], candidates: list[Instance], report: ImportReport
) -> None:
    owners = [i for i in candidates if i.root_folders and in_scope(media_path, i.root_folders)]
    if len(owners) != 1:
        report.skip("no instance has this folder" if not owners else "several instances match")
        return
    owner = owners[0]
    title = str(entry.get("display_name") or Path(media_path).name)[:500]
    if "\x00" in media_path or "\x00" in title:  # PostgreSQL cannot store it
        report.skip("the folder or the title holds a NUL character")
        return
    label = str(entry.get("tag") or "none").lower()
    labels = {value: kind for kind, value in owner.tag_labels().items()}
    if label == "none":
        tag: str = Tag.NONE
    elif label in labels:
        tag = labels[label]
    else:
        report.skip(f"tag {label!r} is not one of the instance's labels")
        return
    original = read_language(str(entry.get("original_language") or "")) or ""
    media, created = Media.objects.get_or_create(
        instance=owner,
        path=media_path,
        defaults={"kind": owner.media_kind, "title": title, "applied_tag": tag,
                  "original_language": original},
    )  # fmt: skip
    if created:
        report.created.append(title)
    elif (media.applied_tag, media.original_language) != (tag, original or media.original_language):
        media.applied_tag = tag
        media.original_language = original or media.original_language
        media.save(update_fields=["applied_tag", "original_language", "updated_at"])
        report.updated.append(title)
    else:
        report.unchanged.append(title)
