"""What the mapping page and the API offer for one instance (issue 82): the wishes
(scanner.wish_profiles.wishes.offered_wishes), the *arr's own quality profiles read at
view time (scanner.arr.profiles: three requests, each list bounded) and each profile's
judgement per wish (scanner.wish_profiles.judge).

A web request waits for it: every call to the *arr ends within
TAGGARR_WEB_DEADLINE_SECONDS (``overall_deadline``) and the judgement within the
guard's budget. Never raises for an *arr that does not answer, answers nonsense or
takes too long: ``problem`` says why in the reader's language, and what could be read
is kept (the profiles without their judgements, when only the judging ran late)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext

from scanner.arr.checks import unreachable
from scanner.arr.profile_guard import Budget, GuardTooSlow
from scanner.arr.profiles import ProfileSettings, QualityProfile, fetch_profile_settings
from scanner.connect.arr import arr_client
from scanner.connect.sentences import reason_text, said
from scanner.errors import ArrError, ArrTransientError, ConfigError
from scanner.http.bounds import overall_deadline
from scanner.models import Instance
from scanner.wish_profiles.judge import Judgement, judge_all
from scanner.wish_profiles.wishes import offered_wishes

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Offer:
    """``profiles``: the *arr's, in its order (empty when it could not be read);
    ``judged``: ``{wish: {profile id: Judgement}}``; ``problem``: why something is
    missing, a sentence ("" when all was read and judged)."""

    instance: Instance
    wishes: list[str]
    profiles: tuple[QualityProfile, ...] = ()
    judged: dict[str, dict[int, Judgement]] = field(default_factory=dict)
    problem: str = ""
    read: bool = False  # the *arr's profiles were read
    unread: int = 0  # profiles past the bound (scanner.arr.profiles.MAX_PROFILES)

    def profile(self, profile_id: int) -> QualityProfile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)

    def judgement(self, wish: str, profile_id: int) -> Judgement | None:
        return self.judged.get(wish, {}).get(profile_id)


def read_offer(instance: Instance, *, judge: bool = True, budget: Budget | None = None) -> Offer:
    """The instance's offer; ``judge`` False reads the profiles only (a save checks the
    chosen ids exist)."""
    wishes = offered_wishes(instance)
    if not instance.is_arr:
        problem = gettext("A library folder has no *arr: it has no quality profiles.")
        return Offer(instance, wishes, problem=problem)
    found = _read(instance)
    if isinstance(found, str):
        problem = gettext(
            "Could not read the quality profiles of %(name)s: %(error)s. Nothing was "
            "changed; try again once it answers."
        ) % {"name": instance.name, "error": found}
        return Offer(instance, wishes, problem=problem)
    unread = found.unread.get("profiles", 0)
    if not judge:
        return Offer(instance, wishes, profiles=found.profiles, read=True, unread=unread)
    return _judged(instance, wishes, found, unread, budget)


def _read(instance: Instance) -> ProfileSettings | str:
    """The *arr's profiles, formats and languages, or why not (a sentence)."""
    try:
        with overall_deadline(settings.WEB_DEADLINE_SECONDS), arr_client(instance) as client:
            try:
                return fetch_profile_settings(client)
            except ArrTransientError as exc:  # said as the connection test says it
                logger.info("wish profiles: %s did not answer: %s", instance.name, exc)
                return said(unreachable(client, exc))
    except (ArrError, ConfigError, ValueError) as exc:
        logger.info("wish profiles: %s's quality profiles not read: %s", instance.name, exc)
        return reason_text(exc)


def _judged(
    instance: Instance,
    wishes: list[str],
    found: ProfileSettings,
    unread: int,
    budget: Budget | None,
) -> Offer:
    budget = budget or Budget()
    try:
        judged = judge_all(found, wishes, budget, app=instance.kind)
    except GuardTooSlow as exc:
        logger.info("wish profiles: %s's judgement: %s", instance.name, exc)
        problem = gettext(
            "The quality profiles were read, but judging them took longer than %(seconds)s "
            "seconds: they are offered without their judgement."
        ) % {"seconds": f"{budget.seconds:g}"}
        return Offer(instance, wishes, found.profiles, problem=problem, read=True, unread=unread)
    return Offer(instance, wishes, found.profiles, judged, read=True, unread=unread)
