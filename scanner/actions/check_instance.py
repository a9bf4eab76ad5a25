""" "Test connection" for the API and the admin: the *arr's status, the root folders, and
where the audio languages will come from (and whether the *arr can give them); for a
library folder, what a scan will write (nfo_outlook). With listening on, whether the
workers could listen at the last scan that asked them (scanner.reports.unheard)."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _

from scanner.actions.nfo_outlook import library_outlook
from scanner.actions.profile_guard import guard_data, with_profile_guard
from scanner.arr import ArrClient, SonarrClient
from scanner.arr.checks import (
    SAMPLE_ITEMS,
    ConnectionReport,
    check_connection,
    check_folders,
    reason,
)
from scanner.arr.media_info import ArrFile
from scanner.connect.arr import arr_client
from scanner.connect.sentences import said_of
from scanner.engine.targets import is_regional
from scanner.errors import ArrError, ConfigError
from scanner.http.bounds import overall_deadline
from scanner.http.reasons import Code, to_data
from scanner.models import Event, Instance
from scanner.models.choices import Via
from scanner.pipeline.scanning.audio_source import ARR, FILES, HYBRID, effective_source
from scanner.reports.unheard import last_unheard, unheard_text

SOURCE_LINES = {FILES: Code.SOURCE_FILES, ARR: Code.SOURCE_ARR, HYBRID: Code.SOURCE_HYBRID}
# The lines that say the *arr itself could not be asked (scanner.arr.checks).
NOT_ASKED = {Code.TEST_UNREACHABLE, Code.TEST_UNEXPECTED}


def connection_report(instance: Instance) -> ConnectionReport:
    """Never raises for a bad setting or an unreachable *arr: the report says why. A web
    request waits for it: all its calls end within TAGGARR_WEB_DEADLINE_SECONDS."""
    with overall_deadline(settings.WEB_DEADLINE_SECONDS):
        report = _connection_report(instance)
    unheard = last_unheard(instance)
    if unheard is None:
        return report
    said = _("at the last scan (#%(number)s), %(what)s") % {
        "number": unheard.pk,
        "what": unheard_text(unheard),
    }
    return dataclasses.replace(report, lines=(*report.lines, said))


def _connection_report(instance: Instance) -> ConnectionReport:
    writes_nfo = instance.write_nfo or instance.create_nfo
    if not instance.is_arr:
        return _library_report(instance, writes_nfo)
    try:
        client = arr_client(instance)
    except ConfigError as exc:
        return ConnectionReport(
            ok=False, version=None, has_original_language=None, lines=(exc.said or str(exc),)
        )
    source = effective_source(instance)
    try:
        report = check_connection(client, instance.root_folders, writes_nfo=writes_nfo)
        lines = list(report.lines)
        ok = report.ok
        if source == ARR:
            # Folders that are not here are why: not a problem for this source.
            ok = report.version is not None and not any(
                getattr(line, "code", None) in NOT_ASKED for line in lines
            )
        code = SOURCE_LINES[source]
        if source == ARR and instance.audio_source == Instance.AudioSource.AUTO:
            code = Code.SOURCE_ARR_CHOSEN
        lines.append(said_of(code))
        regional = [target for target in instance.target_languages if is_regional(target)]
        if regional and source != FILES:
            varieties = Code.SOURCE_VARIETIES_ARR if source == ARR else Code.SOURCE_VARIETIES_READ
            lines.append(said_of(varieties, targets=", ".join(regional)))
        if source != FILES and report.version is not None:
            problem = _media_info_problem(client)
            if problem:
                ok = False
                lines.append(problem)
        report = dataclasses.replace(report, ok=ok, lines=tuple(lines))
        return with_profile_guard(report, client, instance)
    finally:
        client.close()


# The key of a CONFIG event's data that holds a connection test's result: the dashboard
# and the instance page read the last one instead of asking the *arr while they render.
CONNECTION_TEST = "connection_test"


def test_and_record(instance: Instance, *, user: str, via: Via) -> ConnectionReport:
    """Test the connection and keep the result as an event of the instance."""
    report = connection_report(instance)
    verdict = "OK" if report.ok else "failed"
    first = report.lines[0] if report.lines else ""
    Event.objects.create(
        instance=instance,
        kind=Event.Kind.CONFIG,
        message=f"connection test {verdict} ({user}, {via}): {first}"[:2000],
        data={
            # Each line as its code and params: shown in the reader's language (said).
            CONNECTION_TEST: {"ok": report.ok, "version": report.version,
                              "lines": [to_data(line) for line in report.lines],
                              **guard_data(report)},
            "user": user,
            "via": via,
        },
    )  # fmt: skip
    return report


def _media_info_problem(client: ArrClient) -> str | None:
    """Whether the *arr has media info for its files (one sample item)."""
    try:
        # The first item with files among the first SAMPLE_ITEMS, none kept.
        looked = itertools.islice(client.iter_items(), SAMPLE_ITEMS)
        sample = next((item for item in looked if item.file_count), None)
        if sample is None:
            return None  # nothing to look at yet
        files: Sequence[ArrFile] | None = sample.files  # Radarr's come with the movie
        if files is None and isinstance(client, SonarrClient):
            files = client.episode_files(sample.id)
    except ArrError as exc:
        return said_of(Code.MEDIA_INFO_UNREAD, error=reason(exc))
    if files and not any(file.has_media_info for file in files):
        return said_of(Code.MEDIA_INFO_MISSING, arr=client.config.app_title, title=sample.title)
    return None


def _library_report(instance: Instance, writes_nfo: bool) -> ConnectionReport:
    ok, lines = check_folders(instance.root_folders, writes_nfo)
    if not instance.root_folders:
        ok = False
        lines.append(said_of(Code.LIBRARY_WITHOUT_FOLDER))
    elif outlook := library_outlook(instance):
        lines.extend(outlook.lines)  # what a scan will write: only NFOs and media servers
    return ConnectionReport(ok=ok, version=None, has_original_language=None, lines=tuple(lines))
