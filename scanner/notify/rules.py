"""Which messages a run's end makes, and which of them a notifier takes: pure functions
over small frozen values, tested from tables of cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scanner.engine.languages import canonical, language_name, same_language
from scanner.models import NotificationKind

Kind = NotificationKind
MAX_TITLES = 20  # items named in one wrong-dub message; the rest are counted
MAX_NEWS = 20  # arrivals or losses told in one message; the rest are counted


@dataclass(frozen=True, slots=True)
class DubNews:
    """One dub arrival or loss of a run (its event): the kind, the language, the line."""

    kind: str  # Kind.DUB_ARRIVED or Kind.DUB_LOST
    language: str
    line: str
    media_id: int | None = None


@dataclass(frozen=True, slots=True)
class RunOutcome:
    run_id: int
    instance_id: int
    instance_name: str
    status: str  # a ScanRun.Status value
    error: str
    unreachable: bool  # failed because the *arr could not be reached
    dry_run: bool
    became_wrong_dub: tuple[str, ...]  # titles, from the run's TAG_CHANGED events
    dub_news: tuple[DubNews, ...] = ()  # from the run's dub_arrived / dub_lost events


@dataclass(frozen=True, slots=True)
class Message:
    kind: str
    title: str
    body: str
    # A notifier that does not take ``kind`` takes the message as this kind instead: an
    # unreachable *arr is a failed scan to whoever asked only for those.
    also_as: str | None = None
    # Apprise's message type: services colour and sort by it ("info", "success",
    # "warning", "failure").
    severity: str = "info"


def messages_for(outcome: RunOutcome, *, languages: Sequence[str] = ()) -> list[Message]:
    """The messages of a run's end; dub news only of ``languages`` (none: every one)."""
    messages = []
    name, number = outcome.instance_name, f"scan #{outcome.run_id}"
    if outcome.status == "failed" and outcome.unreachable:
        messages.append(
            Message(
                Kind.UNREACHABLE,
                f"Taggarr: {name} is unreachable",
                f"{number} of {name} failed: {outcome.error or 'the *arr did not answer'}",
                also_as=Kind.SCAN_FAILED,
                severity="failure",
            )
        )
    elif outcome.status in ("failed", "partial"):
        verb = "failed" if outcome.status == "failed" else "ended partial"
        messages.append(
            Message(
                Kind.SCAN_FAILED,
                f"Taggarr: scan of {name} {verb}",
                f"{number} of {name} {verb}: {outcome.error or 'no reason recorded'}",
                severity="failure" if outcome.status == "failed" else "warning",
            )
        )
    if outcome.became_wrong_dub and not outcome.dry_run:
        messages.append(_wrong_dub(outcome))
    if not outcome.dry_run:
        for kind in (Kind.DUB_ARRIVED, Kind.DUB_LOST):
            news = [
                each for each in outcome.dub_news
                if each.kind == kind and _among(each.language, languages)
            ]  # fmt: skip
            if news:
                messages.append(_dub_news(outcome, kind, news))
    return messages


def _among(language: str, languages: Sequence[str]) -> bool:
    wanted = [code for code in map(canonical, languages) if code]
    return not languages or any(same_language(language, other) for other in wanted)


def _dub_news(outcome: RunOutcome, kind: str, news: list[DubNews]) -> Message:
    names = ", ".join(sorted({language_name(each.language) for each in news}))
    items = len({each.media_id or each.line for each in news})
    verb = "arrived" if kind == Kind.DUB_ARRIVED else "lost"
    listed = "\n".join(f"- {each.line}" for each in news[:MAX_NEWS])
    more = f"\n... and {len(news) - MAX_NEWS} more" if len(news) > MAX_NEWS else ""
    noun = "item" if items == 1 else "items"
    return Message(
        kind,
        f"Taggarr: {names} {verb} in {items} {noun} of {outcome.instance_name}",
        f"{listed}{more}",
    )


def _wrong_dub(outcome: RunOutcome) -> Message:
    titles = outcome.became_wrong_dub
    count = len(titles)
    listed = "\n".join(f"- {title}" for title in titles[:MAX_TITLES])
    more = f"\n... and {count - MAX_TITLES} more" if count > MAX_TITLES else ""
    items = "item" if count == 1 else "items"
    return Message(
        Kind.WRONG_DUB,
        f"Taggarr: {count} {items} of {outcome.instance_name} became wrong-dub",
        f"Dubbed, but not into a target language (scan #{outcome.run_id}):\n{listed}{more}",
        severity="warning",
    )


def taken_as(message: Message, events: list[str]) -> str | None:
    """The kind a notifier with ``events`` takes ``message`` as, or None."""
    if message.kind in events:
        return message.kind
    if message.also_as is not None and message.also_as in events:
        return message.also_as
    return None
