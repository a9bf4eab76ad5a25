"""Validation of instance settings, shared by the model, the admin form and the API.

Each function takes the raw value, returns the normalised value, and raises
ValidationError with a message that names the bad part.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from scanner.engine.languages import validate_languages
from scanner.errors import ConfigError


def clean_arr_url(value: str) -> str:
    """An http(s) URL with a host (Docker service names like ``sonarr`` included)."""
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValidationError(f"{value!r} must start with http:// or https://")
    if not parts.hostname:
        raise ValidationError(f"{value!r} has no host name")
    if parts.username or parts.password:
        raise ValidationError("put no user name or password in the URL; use the API key")
    if parts.query or parts.fragment:
        raise ValidationError(f"{value!r} must not have a query string or fragment")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ValidationError(f"{value!r} has an invalid port") from None
    if not _is_host(parts.hostname):
        raise ValidationError(f"{parts.hostname!r} is not a valid host name")
    return url


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.split(".")
        return all(
            label and len(label) <= 63 and label.replace("-", "").replace("_", "").isalnum()
            for label in labels
        )
    return True


def clean_languages(values: Any, *, allow_empty: bool) -> list[str]:
    if isinstance(values, str):
        values = [part for part in values.replace(" ", ",").split(",") if part]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError("give a list of language codes such as ['en', 'de']")
    if not values and not allow_empty:
        raise ValidationError("give at least one language")
    try:
        return validate_languages(values)
    except ConfigError as exc:
        raise ValidationError(str(exc)) from None


def clean_language(value: str) -> str:
    if not value:
        return ""
    return clean_languages([value], allow_empty=False)[0]


def clean_folders(values: Any) -> list[str]:
    """Absolute local folders, normalised, without duplicates."""
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError("give a list of absolute folder paths")
    folders: list[str] = []
    for raw in values:
        folder = _clean_abs_path(raw)
        if folder not in folders:
            folders.append(folder)
    return folders


def _clean_abs_path(raw: str) -> str:
    value = raw.strip()
    if not value.startswith("/"):
        raise ValidationError(f"{raw!r} must be an absolute path (starting with /)")
    if "\x00" in value or any(part == ".." for part in PurePosixPath(value).parts):
        raise ValidationError(f"{raw!r} must not contain '..' or NUL characters")
    return str(PurePosixPath(value))


def clean_path_mappings(values: Any) -> list[dict[str, str]]:
    """``[{"remote": ..., "local": ...}]``; the remote side may be a Windows path."""
    if not isinstance(values, list):
        raise ValidationError('give a list like [{"remote": "/tv", "local": "/mnt/tv"}]')
    mappings: list[dict[str, str]] = []
    for index, entry in enumerate(values, start=1):
        if not isinstance(entry, dict) or set(entry) != {"remote", "local"}:
            raise ValidationError(f"mapping {index} must have exactly 'remote' and 'local'")
        remote, local = entry["remote"], entry["local"]
        if not isinstance(remote, str) or not remote.strip():
            raise ValidationError(f"mapping {index}: 'remote' must be a non-empty path")
        if not isinstance(local, str):
            raise ValidationError(f"mapping {index}: 'local' must be a path")
        mappings.append({"remote": remote.strip(), "local": _clean_abs_path(local)})
    return mappings


def clean_genres(values: Any) -> list[str]:
    if isinstance(values, str):
        values = [part.strip() for part in values.split(",")]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError("give a list of genre names")
    return _unique(v.strip() for v in values if v.strip())


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
