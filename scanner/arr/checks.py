"""The "Test connection" button: can we reach the instance and its folders?"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.arr.base import BaseArrClient
from scanner.arr.clients import ArrClient
from scanner.errors import ArrAuthError, ArrError, ArrTransientError
from scanner.http.reasons import Code, Said
from scanner.http.sessions import unanswered

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectionReport:
    """``lines``: English for the log, each a ``Said`` where a person reads it in their
    language (scanner.connect.sentences)."""

    ok: bool
    version: str | None
    has_original_language: bool | None
    lines: tuple[str, ...]  # a Said each, where a person reads it
    # The guard at the *arr's plain result (scanner.actions.profile_guard), kept with the
    # test for the dashboard; None when the profiles were not checked.
    profile_guard: dict[str, Any] | None = None
    # Those of ``lines`` that warn (the guard's: an upgrade or the profile's language may
    # cost a dub), shown as warnings though the connection is fine.
    warnings: tuple[str, ...] = ()


PLURALS = {"series": "series", "movie": "movies"}
NO_ORIGINALS = {"series": Code.TEST_NO_ORIGINALS_SERIES, "movie": Code.TEST_NO_ORIGINALS_MOVIES}
# How many of the library's items a connection test looks at for a sample (originals,
# media info): it answers a web request within its deadline, and the list is no longer
# bounded as one answer (a hostile *arr's 200 MB of good items would take all of it).
SAMPLE_ITEMS = 2000


def items_have_originals(client: ArrClient) -> bool | None:
    """Whether the *arr's items carry an original language; None when it has no item to
    tell by, or could not list them (the connection's own lines say why)."""
    listed = False
    try:
        # None kept, and only the first SAMPLE_ITEMS: the list is as long as the library.
        for item in itertools.islice(client.iter_items(), SAMPLE_ITEMS):
            if item.original_language_name:
                return True
            listed = True
    except ArrError:
        return None
    return False if listed else None


def is_writable_folder(path: str) -> bool:
    # os.access also says no on a read-only mount, even to root.
    return os.access(path, os.W_OK | os.X_OK)


def check_folders(
    root_folders: Sequence[str],
    writes_nfo: bool,
    is_writable: Callable[[str], bool] = is_writable_folder,
) -> tuple[bool, list[str]]:
    """One line per root folder: missing, not writable (when NFOs are written), or ok."""
    ok, lines = True, list[str]()
    for folder in root_folders:
        said = {"folder": folder}
        if not os.path.isdir(folder):
            ok = False
            lines.append(Said(f"root folder {folder}: missing locally", Code.FOLDER_MISSING, said))
        elif writes_nfo and not is_writable(folder):
            ok = False
            text = f"root folder {folder}: not writable for NFOs"
            lines.append(Said(text, Code.FOLDER_NOT_WRITABLE, said))
        else:
            lines.append(Said(f"root folder {folder}: ok", Code.FOLDER_OK, said))
    return ok, lines


def unreachable(client: BaseArrClient, exc: ArrTransientError) -> str:
    """What a connection test says of an *arr that failed: its status when it answered
    one (503 while it starts), else one sentence whatever the socket error; the log has
    the reason, for the admin."""
    if exc.status is not None:
        return exc.said or str(exc)
    logger.info("connection test: %s", exc)
    config = client.config
    return unanswered(client.display_name, exc, server=config.app_title, url=config.base_url)


def reason(exc: ArrError) -> str:
    """The error as a person reads it: its ``Said`` where it has one."""
    return exc.said or str(exc)


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
        lines.append(reason(exc))
    except ArrTransientError as exc:
        ok = False
        why = unreachable(client, exc)
        lines.append(Said(f"unreachable: {why}", Code.TEST_UNREACHABLE, {"reason": why}))
    except ArrError as exc:
        ok = False
        why = reason(exc)
        lines.append(Said(f"unexpected answer: {why}", Code.TEST_UNEXPECTED, {"reason": why}))
    else:
        version, original = status.version, status.has_original_language
        url = client.config.base_url
        if status.app_name.casefold() != client.config.kind:
            ok = False
            found = status.app_name or "unknown"
            said = {"url": url, "found": status.app_name or "?", "app": app}
            lines.append(Said(f"{url} is {found}, not {app}", Code.TEST_WRONG_APP, said))
        said = {"app": status.app_name or app, "version": status.version}
        lines.append(Said(f"{status.app_name or app} {status.version}", Code.TEST_VERSION, said))
        if not original:
            # The version says the release predates originalLanguage; what its items
            # carry decides (some releases serve it earlier than their notes say).
            original = items_have_originals(client)
            if original is False:
                english = (
                    f"{app} reports no original language for its {PLURALS[client.resource]}: "
                    "originals are treated as unknown"
                )
                lines.append(Said(english, NO_ORIGINALS[client.resource], {"app": app}))
    folders_ok, folder_lines = check_folders(root_folders, writes_nfo, is_writable)
    lines.extend(folder_lines)
    ok = ok and folders_ok
    return ConnectionReport(
        ok=ok, version=version, has_original_language=original, lines=tuple(lines)
    )
