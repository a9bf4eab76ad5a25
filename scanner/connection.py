""" "Test connection" for the API and the admin: the *arr's status and the root folders."""

from __future__ import annotations

from scanner.arr.connection import ConnectionReport, check_connection, check_folders
from scanner.arr_access import arr_client
from scanner.errors import ConfigError
from scanner.models import Instance


def connection_report(instance: Instance) -> ConnectionReport:
    """Never raises for a bad setting or an unreachable *arr: the report says why."""
    writes_nfo = instance.write_nfo or instance.create_nfo
    if not instance.is_arr:
        return _library_report(instance, writes_nfo)
    try:
        client = arr_client(instance)
    except ConfigError as exc:
        return ConnectionReport(
            ok=False, version=None, has_original_language=None, lines=(str(exc),)
        )
    try:
        return check_connection(client, instance.root_folders, writes_nfo=writes_nfo)
    finally:
        client.close()


def _library_report(instance: Instance, writes_nfo: bool) -> ConnectionReport:
    ok, lines = check_folders(instance.root_folders, writes_nfo)
    if not instance.root_folders:
        ok = False
        lines.append("a library instance needs at least one root folder")
    return ConnectionReport(ok=ok, version=None, has_original_language=None, lines=tuple(lines))
