"""The "Test connection" button: can we reach the instance and its folders?"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.arr.clients import ArrClient
from scanner.errors import ArrAuthError, ArrError, ArrTransientError
from scanner.http.sessions import unanswered

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectionReport:
    ok: bool
    version: str | None
    has_original_language: bool | None
    lines: tuple[str, ...]
    # The guard at the *arr's plain result (scanner.actions.profile_guard), kept with the
    # test for the dashboard; None when the profiles were not checked.
    profile_guard: dict[str, Any] | None = None


PLURALS = {"series": "series", "movie": "movies"}


def items_have_originals(client: ArrClient) -> bool | None:
    """Whether the *arr's items carry an original language; None when it has no item to
    tell by, or could not list them (the connection's own lines say why)."""
    try:
        items = client.list_items()
    except ArrError:
        return None
    if not items:
        return None
    return any(item.original_language_name for item in items)


def is_writable_folder(path: str) -> bool:
    # os.access also says no on a read-only mount, even to root.
    return os.access(path, os.W_OK | os.X_OK)


def check_folders(
    root_folders: Sequence[str],
    writes_nfo: bool,
    is_writable: Callable[[str], bool] = is_writable_folder,
) -> tuple[bool, list[str]]:
    """One line per root folder: missing, not writable (when NFOs are written), or ok."""
    ok, lines = True, []
    for folder in root_folders:
        if not os.path.isdir(folder):
            ok = False
            lines.append(f"root folder {folder}: missing locally")
        elif writes_nfo and not is_writable(folder):
            ok = False
            lines.append(f"root folder {folder}: not writable for NFOs")
        else:
            lines.append(f"root folder {folder}: ok")
    return ok, lines


def unreachable(who: str, exc: ArrTransientError) -> str:
    """What a connection test says of an *arr that failed: its status when it answered
    one (503 while it starts), else one sentence whatever the socket error; the log has
    the reason, for the admin."""
    if exc.status is not None:
        return str(exc)
    logger.info("connection test: %s", exc)
    return unanswered(who, exc)


def check_connection(
    client: ArrClient,
    root_folders: Sequence[str],
    *,
    writes_nfo: bool = True,
    is_writable: Callable[[str], bool] = is_writable_folder,
) -> ConnectionReport:
    """One line per fact or problem. Never raises for network or API problems."""
    lines: list[str] = []
    ok = True
    version: str | None = None
    original: bool | None = None
    app = client.config.app_title
    try:
        status = client.system_status()
    except ArrAuthError as exc:
        ok = False
        lines.append(str(exc))
    except ArrTransientError as exc:
        ok = False
        lines.append(f"unreachable: {unreachable(client.display_name, exc)}")
    except ArrError as exc:
        ok = False
        lines.append(f"unexpected answer: {exc}")
    else:
        version, original = status.version, status.has_original_language
        if status.app_name.casefold() != client.config.kind:
            ok = False
            lines.append(f"{client.config.base_url} is {status.app_name or 'unknown'}, not {app}")
        lines.append(f"{status.app_name or app} {status.version}")
        if not original:
            # The version says the release predates originalLanguage; what its items
            # carry decides (some releases serve it earlier than their notes say).
            original = items_have_originals(client)
            if original is False:
                lines.append(
                    f"{app} reports no original language for its {PLURALS[client.resource]}: "
                    "originals are treated as unknown"
                )
    folders_ok, folder_lines = check_folders(root_folders, writes_nfo, is_writable)
    lines.extend(folder_lines)
    ok = ok and folders_ok
    return ConnectionReport(
        ok=ok, version=version, has_original_language=original, lines=tuple(lines)
    )
