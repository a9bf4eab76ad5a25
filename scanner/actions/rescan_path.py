"""A rescan by path, for tools that change files behind the *arr's back: Bazarr's
post-processing (a subtitle added), Tdarr, mkvpropedit scripts. They know a file or a
folder, not an item: the items whose folder holds that path are found (as this host
sees the path, as their *arr sees it, or through the instance's path mappings) and
rescanned as a webhook would have them: remembered, and scanned by a run of their
instance as soon as it has none active.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath, PureWindowsPath

from django.db.models import Q
from django.utils.translation import gettext as _

from scanner.actions.scans import request_item_scan
from scanner.arr.paths import PathMapper
from scanner.errors import ConfigError
from scanner.models import Instance, Media, RunRequest, ScanRun

# Bounds checked before any work: the cost of a path is in its folders (each folder
# above it is looked up as an item's, for this host and for each instance's mappings).
# A media path is a library root, an item's folder, a season's and a file name of at most
# 255 bytes (NAME_MAX); the *arr on Windows keeps to 260 characters (MAX_PATH) unless
# long paths are turned on. 1,024 characters holds that four times over; Linux's PATH_MAX
# (4,096) bounds a system call's argument, not a library.
MAX_PATH_LENGTH = 1024
MAX_PATH_FOLDERS = 64


class NoItemAtPath(ConfigError):
    """No item of any instance holds the path."""


@dataclass(frozen=True, slots=True)
class Rescan:
    media: Media
    run: ScanRun | None  # None: the instance's active run starts it when it ends


def rescan_path(path: str) -> list[Rescan]:
    """Rescan the items whose folder holds ``path``. Raises ConfigError for a path that
    is not one (empty, relative, too long, a NUL), NoItemAtPath when no item holds it."""
    items = items_at(path)
    if not items:
        raise NoItemAtPath(f"no item of any instance holds {path!r}")
    rescans = []
    for media in items:
        run = request_item_scan(media.instance, [media.scope_key], "Rescan")
        rescans.append(Rescan(media, run))
    return rescans


def path_runs(path: str) -> list[tuple[Instance, RunRequest, list[Media]]]:
    """For ``scan --path --wait/--inline``: each instance holding the path, with the run
    its items would have had as a webhook's (re-read, whatever their fingerprints say)
    and those items. Nothing is remembered: the caller starts the runs (and reports an
    instance whose scan is active: the run is refused, not queued behind it). Raises
    as ``rescan_path``."""
    by_instance: dict[int, list[Media]] = defaultdict(list)
    items = items_at(path)
    if not items:
        raise NoItemAtPath(f"no item of any instance holds {path!r}")
    for media in items:
        by_instance[media.instance_id].append(media)
    return [(found[0].instance, _rescan_request(found), found) for found in by_instance.values()]


def _rescan_request(items: list[Media]) -> RunRequest:
    return RunRequest(ScanRun.Trigger.WEBHOOK, scope=tuple(media.scope_key for media in items))


def items_at(path: str) -> list[Media]:
    """The enabled instances' items whose folder is ``path`` or holds it."""
    folders = set(_folders_holding(_checked(path)))
    for instance in Instance.objects.filter(enabled=True).exclude(path_mappings=[]):
        try:
            mapped = PathMapper(instance.path_mappings).to_local(path)
        except ConfigError:
            continue  # a broken mapping is the instance's own problem (its form says so)
        folders.update(_folders_holding(mapped))
    found = Media.objects.filter(Q(path__in=folders) | Q(arr_path__in=folders))
    return list(found.filter(instance__enabled=True).select_related("instance").order_by("pk"))


def within_item(media: Media, path: str) -> str | None:
    """``path`` (one ``items_at`` found ``media`` for) relative to the item's folder, as
    its files are stored (POSIX; "." for the folder itself): matched as ``items_at``
    matches it (this host's path, the *arr's, or through the instance's mappings)."""
    given = [path]
    if media.instance.path_mappings:
        with suppress(ConfigError):  # as items_at: a broken mapping is the instance's
            given.append(PathMapper(media.instance.path_mappings).to_local(path))
    for candidate in given:
        for folder in (media.path, media.arr_path):
            if not folder:
                continue
            try:
                return _pure(candidate).relative_to(_pure(folder)).as_posix()
            except ValueError:
                continue  # another flavour, or not below this folder
    return None


def _checked(path: object) -> str:
    """The path as asked for (a webhook's or the API's JSON may hold anything)."""
    if not isinstance(path, str) or not path.strip():
        raise ConfigError(_("a path is needed: the file or folder that changed"))
    if "\0" in path:
        raise ConfigError(_("the path must not hold a NUL character"))
    if len(path) > MAX_PATH_LENGTH:
        raise ConfigError(
            _("the path is longer than %(length)d characters") % {"length": MAX_PATH_LENGTH}
        )
    pure = _pure(path)
    if not pure.is_absolute():
        raise ConfigError(_("%(path)r is not an absolute path") % {"path": path})
    if len(pure.parts) > MAX_PATH_FOLDERS:
        raise ConfigError(
            _("the path is more than %(folders)d folders deep") % {"folders": MAX_PATH_FOLDERS}
        )
    return path


def _pure(path: str) -> PurePath:
    """A Windows path as a *arr on Windows gives it (``D:\\TV\\Show``), else POSIX."""
    windows = "\\" in path or (len(path) > 1 and path[1] == ":")
    return PureWindowsPath(path) if windows else PurePosixPath(path)


def _folders_holding(path: str) -> list[str]:
    """The path and every folder above it (an item's folder is one of them)."""
    pure = _pure(path)
    return [str(pure), *(str(parent) for parent in pure.parents if parent != parent.parent)]
