"""An answer Seerr took (issue 72), told in Taggarr: its events (the search queued, the
comment or the issue resolved) and the news for Taggarr's notifiers (scanner.notify,
which batches them per notifier: SeerrNews)."""

from __future__ import annotations

from scanner.models import Event, Media, ProfileChange, SeerrAsk
from scanner.models import event_data as codes
from scanner.notify.dispatch import SeerrNews
from scanner.seerr.decision import Change
from scanner.seerr.events import record
from scanner.seerr.message import Message
from scanner.seerr.posting import Posted


def record_told(
    ask: SeerrAsk,
    media: Media,
    change: Change,
    posted: Posted,
    reserved: tuple[int, ...],
    profile: ProfileChange | None = None,
) -> None:
    """The answer's events: the search queued (said only now: a search given back with an
    answer Seerr refused is not), and the comment posted or the issue resolved; with the
    ask and the quality ``profile`` change it told, if any (told once per ask:
    scanner.seerr.profiles reads them)."""
    told: dict[str, int] = {"ask": ask.pk}
    if profile is not None:
        told["profile_change"] = profile.pk
    if reserved:
        record(
            media,
            f"Seerr: a search for {ask.language} on {media.title} was queued",
            {"what": codes.SEERR_SEARCHED, "title": media.title, "asked_language": ask.language},
        )
    record(
        media,
        f"Seerr {ask.connection.name}: issue {posted.issue_id} on {media.title} told "
        f"{change.standing.state} for {ask.language}" + (" and resolved" if change.arrived else ""),
        {
            "what": codes.SEERR_RESOLVED if change.arrived else codes.SEERR_COMMENTED,
            "seerr": ask.connection.name,
            "title": media.title,
            "issue": posted.issue_id,
            "asked_language": ask.language,
            **told,
        },
    )


def news_of(ask: SeerrAsk, media: Media, change: Change, message: Message) -> SeerrNews:
    """What Taggarr's notifiers are told of the answer (the task batches them)."""
    person = ask.asker.person if ask.asker is not None else None
    return SeerrNews(
        instance_id=media.instance_id,
        title=media.title,
        language=ask.language,
        person_id=person.pk if person is not None else None,
        sentence=message.sentence,
        in_dub_news=change.arrived and _in_dub_news(ask, media),
    )


def _in_dub_news(ask: SeerrAsk, media: Media) -> bool:
    """Whether the arrival is among the dub news of the item's runs since the ask
    (scanner.notify: a notifier that takes them is told by them, once)."""
    return Event.objects.filter(
        media=media,
        kind=Event.Kind.DUB_ARRIVED,
        data__language=ask.language,
        created_at__gte=ask.created_at,
    ).exists()
