"""Folders and path mappings."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scanner.validators.common import invalid


def clean_folders(values: Any) -> list[str]:
    """Absolute local folders, normalised, without duplicates."""
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("give a list of absolute folder paths"))
    folders: list[str] = []
    for raw in values:
        folder = _clean_abs_path(raw)
        if folder not in folders:
            folders.append(folder)
    return folders


def _clean_abs_path(raw: str) -> str:
    value = raw.strip()
    if not value.startswith("/"):
        raise invalid(_("%(path)r must be an absolute path (starting with /)"), path=raw)
    if "\x00" in value or any(part == ".." for part in PurePosixPath(value).parts):
        raise invalid(_("%(path)r must not contain '..' or NUL characters"), path=raw)
    return str(PurePosixPath(value))


def clean_path_mappings(values: Any) -> list[dict[str, str]]:
    """``[{"remote": ..., "local": ...}]``; the remote side may be a Windows path."""
    if not isinstance(values, list):
        raise ValidationError(_('give a list like [{"remote": "/tv", "local": "/mnt/tv"}]'))
    mappings: list[dict[str, str]] = []
    for index, entry in enumerate(values, start=1):
        if not isinstance(entry, dict) or set(entry) != {"remote", "local"}:
            raise invalid(
                _("mapping %(index)d must have exactly 'remote' and 'local'"), index=index
            )
        remote, local = entry["remote"], entry["local"]
        if not isinstance(remote, str) or not remote.strip():
            raise invalid(_("mapping %(index)d: 'remote' must be a non-empty path"), index=index)
        if not isinstance(local, str):
            raise invalid(_("mapping %(index)d: 'local' must be a path"), index=index)
        mappings.append({"remote": remote.strip(), "local": _clean_abs_path(local)})
    return mappings
