"""The connection test's part of the guard at the *arr (issue 62): read the *arr's
quality profiles and custom formats (scanner.arr.profiles), judge them per target
language of the instance (scanner.arr.profile_guard), and add the sentences
(scanner.reports.profile_guard_text) and the plain result to the test's report, which
test_and_record keeps for the dashboard. Never raises for an *arr that cannot be asked
or answers nonsense: the report says the profiles could not be checked."""

from __future__ import annotations

import dataclasses
import itertools
import logging
from typing import Any

from scanner.arr import ArrClient
from scanner.arr.checks import ConnectionReport
from scanner.arr.profile_guard import Budget, GuardTooSlow, guard_languages
from scanner.arr.profiles import fetch_profile_settings
from scanner.connect.sentences import reason_text
from scanner.errors import ArrError
from scanner.http.reasons import Said, to_data
from scanner.http.sessions import SNIPPET
from scanner.models import Instance
from scanner.reports.profile_guard_text import (
    PROFILE_GUARD,
    could_not_check,
    marked_lines,
    unread_lines,
)

logger = logging.getLogger(__name__)
# The connection test's look at which profiles the items use: past this many items,
# every profile is judged (a web request cannot read a 40,000-film list within its
# deadline; the whole list was past the one-answer cap before issue 83 anyway).
USED_PROFILE_ITEMS = 5000


def with_profile_guard(
    report: ConnectionReport, client: ArrClient, instance: Instance, budget: Budget | None = None
) -> ConnectionReport:
    """The report with the guard's lines and result; unchanged when the *arr did not
    answer its status (the report already says why) or the instance has no target.
    ``budget``: the judgement's (scanner.arr.profile_guard.Budget), from when it starts."""
    if report.version is None or not instance.target_languages:
        return report
    arr = client.config.app_title
    result: dict[str, Any]
    try:
        settings = fetch_profile_settings(client)
        used = _used_profiles(client)
        targets = list(instance.target_languages)
        guards = guard_languages(settings, targets, used, budget or Budget())
    except (ArrError, GuardTooSlow) as exc:
        logger.info("profile guard: %s", exc)
        found = getattr(exc, "said", None)  # kept as its code: told in each reader's words
        result = {"error": to_data(found) if isinstance(found, Said) else str(exc)[:SNIPPET]}
        lines = [could_not_check(arr, reason_text(exc))]
        warnings = list(lines)
    else:
        result = {"languages": [dataclasses.asdict(guard) for guard in guards]}
        if settings.unread:
            result["unread"] = dict(settings.unread)
        marked = marked_lines(arr, guards)
        unread = unread_lines(arr, settings.unread)
        lines = [*(text for text, _ in marked), *unread]
        warnings = [*(text for text, warning in marked if warning), *unread]
    # Where its sentences stand among the test's lines, and the *arr they name: each
    # reader gets them made again from this result, in their words (profile_guard_text).
    result.update(arr=arr, lines=[len(report.lines), len(report.lines) + len(lines)])
    return dataclasses.replace(
        report,
        lines=(*report.lines, *lines),
        profile_guard=result,
        warnings=(*report.warnings, *warnings),
    )


def _used_profiles(client: ArrClient) -> set[int] | None:
    """The profiles the *arr's series or movies use; None (every profile) when it has
    none listed, could not say, or lists more than USED_PROFILE_ITEMS items (a web
    request's deadline cannot wait for the whole of a 40,000-film list)."""
    try:
        looked = itertools.islice(client.iter_items(), USED_PROFILE_ITEMS + 1)
        items = [item.quality_profile_id for item in looked]  # ids only
    except ArrError:
        return None
    if len(items) > USED_PROFILE_ITEMS:
        return None
    used = set(items)
    used.discard(None)
    return {profile for profile in used if profile is not None} or None


def guard_data(report: ConnectionReport) -> dict[str, Any]:
    """The guard's result as test_and_record keeps it (the dashboard's section)."""
    return {} if report.profile_guard is None else {PROFILE_GUARD: report.profile_guard}
