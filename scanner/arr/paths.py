"""From the *arr's view of a folder to ours.

The *arr may run elsewhere (another container, a Windows box), so its paths go
through per-instance remote -> local prefix mappings. Prefixes match whole path
components: ``/tv`` maps ``/tv/Show`` but not ``/tvshows/Show``.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from scanner.errors import ConfigError

logger = logging.getLogger(__name__)

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class PathMapping:
    remote: str
    local: str


def _is_windows(path: str) -> bool:
    return "\\" in path or bool(_DRIVE.match(path))


def _remote_parts(path: str) -> tuple[tuple[str, ...], bool]:
    """Components of a remote path and whether it is a Windows path.

    The root is kept as a component ("/", or "//" for a Windows network path such as
    ``\\\\nas\\tv``) so that a relative path never matches an absolute prefix.
    """
    windows = _is_windows(path)
    text = path.replace("\\", "/") if windows else path
    if windows and text.startswith("//"):
        root: tuple[str, ...] = ("//",)
    elif text.startswith("/"):
        root = ("/",)
    else:
        root = ()
    return root + tuple(part for part in text.split("/") if part not in ("", ".")), windows


def _comparable(parts: tuple[str, ...], windows: bool) -> tuple[str, ...]:
    # Windows file systems ignore case: D:\TV and d:\tv are the same folder.
    return tuple(part.casefold() for part in parts) if windows else parts


def remote_basename(path: str) -> str:
    """Last component of a remote path, POSIX or Windows."""
    parts, _windows = _remote_parts(path)
    return parts[-1] if parts and parts[-1] not in ("/", "//") else ""


def _local_parts(path: str) -> tuple[str, ...]:
    """``PurePosixPath(posixpath.normpath(path)).parts``, by string: pathlib per listed
    item was a measurable share of an unchanged rescan (issue 83). POSIX keeps exactly
    two leading slashes as their own root; normpath has made three or more one."""
    norm = posixpath.normpath(path)
    if norm.startswith("//") and not norm.startswith("///"):
        root: tuple[str, ...] = ("//",)
    elif norm.startswith("/"):
        root = ("/",)
    else:
        root = ()
    return root + tuple(part for part in norm.split("/") if part and part != ".")


@functools.lru_cache(maxsize=64)
def _root_parts(root_folders: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(_local_parts(root) for root in root_folders if root.strip())


class PathMapper:
    """Maps remote paths to local ones; the longest matching remote prefix wins."""

    def __init__(self, mappings: Iterable[PathMapping | Mapping[str, str]] = ()) -> None:
        self.mappings = tuple(_coerce_mapping(mapping) for mapping in mappings)
        prepared = []
        for mapping in self.mappings:
            parts, windows = _remote_parts(mapping.remote)
            # The local side as pathlib writes it, ending in "/" to join the rest to:
            # pathlib per path was a tenth of an unchanged rescan's listing (issue 83).
            local = str(PurePosixPath(mapping.local))
            joined = local if local.endswith("/") else local + "/"
            prepared.append((_comparable(parts, windows), windows, local, joined))
        # Longest first, so the first match is the most specific one.
        self._prepared = sorted(prepared, key=lambda entry: len(entry[0]), reverse=True)

    def to_local(self, remote_path: str) -> str:
        """The local path; a path no mapping covers is returned normalised but unmapped."""
        parts, windows = _remote_parts(remote_path)
        key = _comparable(parts, windows)
        for prefix, prefix_windows, local, joined in self._prepared:
            if prefix_windows == windows and key[: len(prefix)] == prefix:
                # ``parts`` hold no "", "." or "/": what PurePosixPath(local).joinpath
                # makes of them, without building paths.
                rest = parts[len(prefix) :]
                return joined + "/".join(rest) if rest else local
        return remote_path if windows else posixpath.normpath(remote_path)


def _coerce_mapping(value: PathMapping | Mapping[str, str]) -> PathMapping:
    if isinstance(value, PathMapping):
        mapping = value
    else:
        remote, local = value.get("remote"), value.get("local")
        if not isinstance(remote, str) or not isinstance(local, str):
            raise ConfigError(f"path mapping {dict(value)!r} needs 'remote' and 'local' strings")
        mapping = PathMapping(remote, local)
    if not mapping.remote.strip() or not mapping.local.strip():
        raise ConfigError(f"path mapping {mapping.remote!r} -> {mapping.local!r} has an empty side")
    if not mapping.local.startswith("/"):
        raise ConfigError(f"path mapping local side {mapping.local!r} must be an absolute path")
    return mapping


def in_scope(local_path: str, root_folders: Iterable[str]) -> bool:
    """True when the path is one of the root folders or under one; no root folders = all."""
    roots = _root_parts(tuple(root_folders))
    if not roots:
        return True
    parts = _local_parts(local_path)
    return any(parts[: len(root)] == root for root in roots)


@dataclass(frozen=True)
class Resolution:
    local_path: str | None
    how: Literal["path", "basename", "unresolved"]
    reason: str = ""

    @property
    def resolved(self) -> bool:
        return self.local_path is not None


def list_subdirectories(root: str) -> list[str]:
    """Child folders of ``root``; a module-level function so tests can count the listings."""
    with os.scandir(root) as entries:
        return [entry.path for entry in entries if entry.is_dir()]


class FolderResolver:
    """Finds each item's local folder. Use one per scan: each root folder is listed once.

    A mapped path directly under a root folder is looked up in that root's listing. On
    a share, a ``stat`` per item would be one network round trip each, one after another
    for the whole library, where one listing per root folder answers them all. Paths
    elsewhere (nested layouts, a root that cannot be listed) are checked one by one."""

    def __init__(
        self, mapper: PathMapper, root_folders: Sequence[str], *, instance_name: str = ""
    ) -> None:
        self._mapper = mapper
        self._roots = tuple(dict.fromkeys(root for root in root_folders if root.strip()))
        self._instance_name = instance_name
        self._listed: dict[str, frozenset[str]] | None = None  # root -> its folders' names
        self._by_name: dict[str, list[str]] | None = None

    def resolve(self, remote_path: str, *, label: str = "") -> Resolution:
        local = self._mapper.to_local(remote_path)
        if self._is_folder(local):
            return Resolution(local, "path")
        name = remote_basename(remote_path)
        if not self._roots:
            return Resolution(
                None, "unresolved", f"{local} does not exist (no root folders to search)"
            )
        candidates = self._name_index().get(name, []) if name else []
        if len(candidates) == 1:
            found = candidates[0]
            reason = f"{local} does not exist; {found} is the only folder named {name!r}"
            logger.info("%s: %s: %s", self._instance_name, label or remote_path, reason)
            return Resolution(found, "basename", reason)
        if not candidates:
            reason = f"{local} does not exist and no root folder holds a folder named {name!r}"
        else:
            reason = (
                f"{local} does not exist and {len(candidates)} folders are named {name!r}: "
                + ", ".join(candidates)
            )
        return Resolution(None, "unresolved", reason)

    def _is_folder(self, local: str) -> bool:
        """``os.path.isdir(local)``, from its root folder's listing when it has one."""
        parent, name = posixpath.split(local)
        listed = self._listings().get(parent)
        return name in listed if listed is not None else os.path.isdir(local)

    def _listings(self) -> dict[str, frozenset[str]]:
        """Each root folder that could be listed (by its normalised path) -> the names of
        its folders (symlinks to folders included, as ``isdir`` follows them)."""
        if self._listed is None:
            self._listed = {}
            for root in self._roots:
                try:
                    children = list_subdirectories(root)
                except OSError as exc:
                    logger.warning(
                        "%s: cannot list root folder %s: %s", self._instance_name, root, exc
                    )
                    continue
                names = frozenset(os.path.basename(child) for child in children)
                self._listed[posixpath.normpath(root)] = names
        return self._listed

    def _name_index(self) -> dict[str, list[str]]:
        if self._by_name is None:
            index: dict[str, list[str]] = defaultdict(list)
            for root, names in self._listings().items():
                for name in sorted(names):
                    index[name].append(posixpath.join(root, name))
            self._by_name = dict(index)
        return self._by_name
