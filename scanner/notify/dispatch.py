"""From a run's end to the messages sent: the rules pick the messages, each enabled
notifier of the instance takes the kinds it asked for, the rate limit lets one per
window through, Apprise sends. Runs on a worker (scanner.tasks) or, for
``scan --inline``, in the command's process: never in a web request or a step."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from scanner.errors import ConfigError
from scanner.language_names import spoken_list
from scanner.models import NotificationKind, Notifier, ScanRun, SeerrAsk
from scanner.notify import delivery, throttle
from scanner.notify.outcome import run_outcome, together, told_error
from scanner.notify.rules import Message, RunOutcome, among, messages_for, taken_as

logger = logging.getLogger(__name__)

# Kept on the notifier as these msgids (English, the record) and shown in the admin
# in the language of whoever reads it there (web.admin.notifiers: gettext at display).
FAILED_TO_SEND = gettext_noop("the service did not take the message (the worker's log says more)")
CANNOT_DECRYPT = gettext_noop(
    "the saved URL cannot be decrypted: TAGGARR_ENCRYPTION_KEY is not the key it was "
    "saved with (every web and worker process needs the same key)"
)


def notify_run_ended(run_id: int, *, now: datetime | None = None, also: Sequence[int] = ()) -> int:
    """Send what the end of run ``run_id`` is worth; returns the messages sent. ``also``:
    runs of the same instance ended before it by the same command (``scan --inline``
    runs what waited first), told with it: one message per kind (outcome.together)."""
    outcome = run_outcome(run_id)
    if outcome is None:
        return 0
    if also:
        earlier = [found for each in also if (found := run_outcome(each)) is not None]
        outcome = together(outcome, earlier)
    if not messages_for(outcome):
        return 0
    sent = 0
    answered = _answered(outcome)
    for notifier in _of_instance(outcome.instance_id):
        # Dub news only of the notifier's languages, in the notifier's language (its
        # person's, for a person's own, when its fields are empty); a person's own that
        # takes Seerr answers hears of their asks' arrivals by them.
        takes_answers = NotificationKind.SEERR in (notifier.events or [])
        theirs = answered.get(notifier.person_id, frozenset()) if takes_answers else frozenset()
        with translation.override(notifier.message_language()):
            told = replace(outcome, error=told_error(outcome.run_id)) if outcome.error else outcome
            messages = messages_for(told, languages=notifier.news_languages(), answered=theirs)
        for message in messages:
            sent += _send_one(notifier, message, now or timezone.now())
    return sent


@dataclass(frozen=True)
class SeerrNews:
    """What Taggarr told in Seerr for one ask (issue 72), for Taggarr's notifiers: the
    item's instance and title, the asked language, the asker's person, whether the run's
    dub news tell it already (an arrival), and the sentence, made in the active language."""

    instance_id: int
    title: str
    language: str
    person_id: int | None
    sentence: Callable[[], str]
    in_dub_news: bool = False


def notify_seerr(news: Sequence[SeerrNews], *, now: datetime | None = None) -> int:
    """What Taggarr told in Seerr, told by the notifiers of each item's instance that take
    Seerr answers and follow the asked language (their languages, or their person's,
    empty or holding it): the household's, and the asker's own, never another person's;
    an arrival the run's dub news tell is not told again to a household notifier that
    takes them (the asker's own hears it here: its dub news leave it out, ``_answered``).
    One message per notifier for all it takes (a worker's batch of answers), in its
    language. A person's own notifier is not rate-limited for them: they are the answers
    to that person's own asks, one per change. The messages sent."""
    taken: dict[int, tuple[Notifier, list[SeerrNews]]] = {}
    of_instance: dict[int, list[Notifier]] = {}  # asked once per instance of the batch
    for each in news:
        if each.instance_id not in of_instance:
            of_instance[each.instance_id] = list(_of_instance(each.instance_id))
        for notifier in of_instance[each.instance_id]:
            if _takes(notifier, each):
                taken.setdefault(notifier.pk, (notifier, []))[1].append(each)
    sent = 0
    for notifier, told in taken.values():
        with translation.override(notifier.message_language()):
            title, body = _seerr_message(told)
        claimed = now or timezone.now()
        limited = notifier.person_id is None
        if limited and not throttle.claim(notifier, NotificationKind.SEERR, claimed):
            logger.info("notifier %r: Seerr answers not sent (rate limit)", notifier.name)
            continue
        ok = _deliver(notifier, title, body)
        if limited and not ok:
            throttle.release(notifier, NotificationKind.SEERR, claimed)
        sent += ok
    return sent


def _takes(notifier: Notifier, news: SeerrNews) -> bool:
    if NotificationKind.SEERR not in (notifier.events or []):
        return False
    if notifier.person_id is not None and notifier.person_id != news.person_id:
        return False
    if not among(news.language, notifier.news_languages()):
        return False
    # The household's hears of an arrival by the dub news when it takes them; the
    # asker's own by this answer (their dub news leave it out: ``_answered``).
    household = notifier.person_id is None
    return not (household and news.in_dub_news and NotificationKind.DUB_ARRIVED in notifier.events)


def _answered(outcome: RunOutcome) -> dict[int | None, frozenset[tuple[int, str]]]:
    """Per person, the run's arrivals a Seerr answer tells their own notifier (not
    rate-limited: their own asks), left out of its dub news so that each is told once
    and none is held back by the news' rate limit: an ask of theirs on the item for the
    language still followed, or answered since the run began (the answer may come first:
    both follow the run's end). One query, and none for a run without arrivals."""
    arrived = [
        media_id
        for each in outcome.dub_news
        if each.kind == NotificationKind.DUB_ARRIVED and (media_id := each.media_id) is not None
    ]
    if not arrived:
        return {}
    began = ScanRun.objects.filter(pk=outcome.run_id).values_list("created_at", flat=True).first()
    followed = Q(done=False) | Q(told_at__gte=began) if began else Q(done=False)
    asks = SeerrAsk.objects.filter(followed, asker__person__isnull=False, media_id__in=arrived)
    found: dict[int | None, set[tuple[int, str]]] = {}
    for person_id, media_id, language in asks.values_list(
        "asker__person_id", "media_id", "language"
    ):
        found.setdefault(person_id, set()).add((media_id, language))
    return {person_id: frozenset(pairs) for person_id, pairs in found.items()}


def _seerr_message(told: list[SeerrNews]) -> tuple[str, str]:
    """One answer: its item in the title, its sentence; several: counted in the title,
    a line each (in the active language)."""
    if len(told) == 1:
        return _("Taggarr: %(title)s") % {"title": told[0].title}, told[0].sentence()
    title = ngettext(
        "Taggarr: %(count)d answer in Seerr",
        "Taggarr: %(count)d answers in Seerr",
        len(told),
    ) % {"count": len(told)}
    return title, "\n".join(f"- {each.sentence()}" for each in told)


def _of_instance(instance_id: int) -> QuerySet[Notifier]:
    """The enabled notifiers about this instance (theirs, or every one's), with their
    person."""
    return (
        Notifier.objects.filter(Q(instances__isnull=True) | Q(instances=instance_id), enabled=True)
        .select_related("person")
        .distinct()
        .order_by("pk")
    )


def _send_one(notifier: Notifier, message: Message, now: datetime) -> bool:
    kind = taken_as(message, notifier.events)
    if kind is None:
        return False
    if not throttle.claim(notifier, kind, now):
        logger.info("notifier %r: %s not sent (rate limit)", notifier.name, kind)
        return False
    sent = _deliver(notifier, message.title, message.body, message.severity)
    if not sent:
        throttle.release(notifier, kind, now)  # only a sent message takes the slot
    return sent


def trial_body(name: str, kinds: list[str]) -> str:
    """The test message: the notifier's events after a colon, as the reader's language
    lists them (CLDR's list pattern), each its own label as the settings show it (a clause
    in one language, a noun phrase in another: never dropped into a clause of ours)."""
    text = ngettext(
        "Notifier '%(name)s' works. It tells you of this event: %(kinds)s.",
        "Notifier '%(name)s' works. It tells you of these events: %(kinds)s.",
        len(kinds),
    )
    return text % {"name": name, "kinds": spoken_list(kinds)}


def send_test(notifier_id: int) -> bool | None:
    """A test message, past the rate limit; None when the notifier is gone."""
    notifier = Notifier.objects.filter(pk=notifier_id).first()
    if notifier is None:
        return None
    labels = dict(NotificationKind.choices)
    with translation.override(notifier.message_language()):
        body = trial_body(notifier.name, [str(labels.get(kind, kind)) for kind in notifier.events])
        title = _("Taggarr: test message")
    return _deliver(notifier, title, body)


def _deliver(notifier: Notifier, title: str, body: str, severity: str = "info") -> bool:
    """Send, and keep the result on the notifier (shown in the admin and the API)."""
    try:
        deadline = settings.HTTP_DEADLINE_SECONDS
        ok = delivery.deliver(notifier.get_url(), title, body, severity, deadline=deadline)
        error = FAILED_TO_SEND
    except ConfigError as exc:  # the URL cannot be decrypted (another encryption key)
        logger.warning("notifier %r: %s", notifier.name, exc)
        ok, error = False, CANNOT_DECRYPT
    if ok:
        Notifier.objects.filter(pk=notifier.pk).update(last_sent_at=timezone.now(), last_error="")
    else:
        if error == FAILED_TO_SEND:  # the other was logged with its cause
            logger.warning("notifier %r: %s", notifier.name, error)
        Notifier.objects.filter(pk=notifier.pk).update(last_error=error)
    return ok
