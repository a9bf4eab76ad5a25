"""The *arr's answers for one item's quality profile, each request tried again while the
*arr does not answer (a timeout, a refused connection, 502/503 while it restarts) for
TAGGARR_ARR_RETRY_SECONDS from the first try (scanner.pipeline.retries, the one
definition of the budgets; the clients send each request once). A 4xx is final at once.

The PUT gives the item one profile: sending it twice changes nothing, so a PUT whose
answer never came is followed by the read back, which says whether it holds; only when
it does not is it sent again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from scanner.arr.clients import ArrClient
from scanner.arr.profiles import MAX_PROFILES, PROFILES_PATH, QualityProfile, parse_profile
from scanner.errors import ArrError, ArrTransientError, ArrUnconfirmedError
from scanner.pipeline.retries import Budget, call_retried
from scanner.runtime.running import progressed

logger = logging.getLogger(__name__)

T = TypeVar("T")
sleep = time.sleep  # tests record the waits instead
clock = time.monotonic  # and move this clock by them


def budget() -> Budget:
    return Budget((ArrTransientError,), float(settings.ARR_RETRY_SECONDS))


def retried(call: Callable[[], T], what: str) -> T:
    """``call()``, tried again while the *arr does not answer and the budget lasts; its
    error once the budget is spent."""
    policy = budget()

    def told(error: BaseException, wait: float) -> None:
        logger.warning("%s: %s; trying again in %.1f s", what, error, wait)

    result = call_retried(
        call,
        lambda error: policy if isinstance(error, policy.errors) else None,
        sleep=lambda seconds: sleep(seconds),
        clock=lambda: clock(),
        before_sleep=told,
    )
    progressed()
    return result


def current_profile(client: ArrClient, arr_id: int) -> int | None:
    """The item's quality profile as the *arr says now."""
    return retried(lambda: client.get_item(arr_id).quality_profile_id, f"GET item {arr_id}")


def write_profile(client: ArrClient, arr_id: int, profile_id: int) -> int | None:
    """One editor PUT (sent again only while the read back does not hold it and the
    budget lasts); the profile read back."""

    def tried() -> int | None:
        unanswered: ArrUnconfirmedError | None = None
        try:
            client.set_quality_profile(arr_id, profile_id)
        except ArrUnconfirmedError as exc:  # it may have been saved: the read back tells
            logger.warning("item %s: the editor's answer never came (%s)", arr_id, exc)
            unanswered = exc
        found = client.get_item(arr_id).quality_profile_id
        if found != profile_id and unanswered is not None:
            raise unanswered  # not saved, and no answer: tried again within the budget
        return found

    return retried(tried, f"PUT the quality profile of item {arr_id}")


NAMES_FOR = 300.0  # seconds a process keeps an instance's profile names
_names: dict[str, tuple[float, dict[int, str]]] = {}  # the *arr's URL -> (read at, names)


def forget_names() -> None:
    """The kept names dropped (a test's fake *arr may take a port another had)."""
    _names.clear()


def profile_names(client: ArrClient) -> dict[int, str]:
    """The *arr's quality profiles' names by id, for the journal and its words (one
    request, kept NAMES_FOR seconds per *arr); empty when the *arr cannot say."""
    key = client.config.base_url
    kept = _names.get(key)
    if kept is not None and clock() - kept[0] < NAMES_FOR:
        return kept[1]
    try:
        rows: list[QualityProfile] = []
        for row in client.get_array(PROFILES_PATH):
            if isinstance(row, dict) and len(rows) < MAX_PROFILES:
                rows.append(parse_profile(row))
    except ArrError as exc:
        logger.info("%s: the quality profiles' names were not read: %s", client.display_name, exc)
        return {}
    names = {profile.id: profile.name for profile in rows if profile.id > 0}
    _names[key] = (clock(), names)
    return names
