"""Which messages a run's end makes, and which of them a notifier takes: pure functions
over small frozen values, tested from tables of cases. Written in the active language:
the dispatcher renders each notifier's messages in that notifier's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scanner.engine.languages import canonical, same_language
from scanner.engine.targets import is_regional, meets
from scanner.language_names import language_list, language_name
from scanner.models import NotificationKind, ScanRun
from scanner.models.choices import ScanStatus
from scanner.reports.dub_news_text import Swap, news_line

Kind = NotificationKind
MAX_TITLES = 20  # items named in one wrong-dub message; the rest are counted
MAX_NEWS = 20  # arrivals or losses told in one message; the rest are counted


@dataclass(frozen=True, slots=True)
class DubNews:
    """One dub arrival or loss of a run (its event): the kind, the language, the line as
    recorded (English), and what the line is rebuilt from in the reader's language."""

    kind: str  # Kind.DUB_ARRIVED or Kind.DUB_LOST
    language: str
    line: str
    media_id: int | None = None
    title: str = ""  # "": only the recorded line is known
    season: int | None = None
    episodes: tuple[int, ...] = ()
    season_complete: bool = False
    swaps: tuple[Swap, ...] = ()  # a loss's files, then and now

    def text(self) -> str:
        if not self.title:
            return self.line
        arrived = self.kind == Kind.DUB_ARRIVED
        return news_line(
            self.title,
            self.language,
            arrived,
            self.season,
            self.episodes,
            season_complete=self.season_complete,
            swaps=self.swaps,
        )


@dataclass(frozen=True, slots=True)
class RunOutcome:
    run_id: int
    instance_id: int
    instance_name: str
    status: ScanStatus
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


def messages_for(
    outcome: RunOutcome,
    *,
    languages: Sequence[str] = (),
    answered: frozenset[tuple[int, str]] = frozenset(),
) -> list[Message]:
    """The messages of a run's end; dub news only of ``languages`` (none: every one), and
    no arrival of ``answered`` (item id, language: a Seerr answer tells it)."""
    messages = []
    name, number = outcome.instance_name, outcome.run_id
    if outcome.status == ScanRun.Status.FAILED and outcome.unreachable:
        messages.append(
            Message(
                Kind.UNREACHABLE,
                _("Taggarr: %(name)s is unreachable") % {"name": name},
                _("scan #%(number)d of %(name)s failed: %(error)s")
                % {
                    "number": number,
                    "name": name,
                    "error": outcome.error or _("the *arr did not answer"),
                },
                also_as=Kind.SCAN_FAILED,
                severity="failure",
            )
        )
    elif outcome.status in (ScanRun.Status.FAILED, ScanRun.Status.PARTIAL):
        failed = outcome.status == ScanRun.Status.FAILED
        values = {"number": number, "name": name, "error": outcome.error or _("no reason recorded")}
        if failed:
            title = _("Taggarr: scan of %(name)s failed")
            body = _("scan #%(number)d of %(name)s failed: %(error)s")
        else:
            title = _("Taggarr: scan of %(name)s ended partial")
            body = _("scan #%(number)d of %(name)s ended partial: %(error)s")
        severity = "failure" if failed else "warning"
        messages.append(Message(Kind.SCAN_FAILED, title % values, body % values, severity=severity))
    if outcome.became_wrong_dub and not outcome.dry_run:
        messages.append(_wrong_dub(outcome))
    if not outcome.dry_run:
        for kind in (Kind.DUB_ARRIVED, Kind.DUB_LOST):
            news = [
                each for each in outcome.dub_news
                if each.kind == kind and among(each.language, languages)
                and (each.media_id, each.language) not in answered
            ]  # fmt: skip
            if news:
                messages.append(_dub_news(outcome, kind, news))
    return messages


def among(language: str, languages: Sequence[str]) -> bool:
    """Whether ``language`` is one of ``languages`` (a regional one as its language); an
    empty list holds every one. A variety listed (a person's ``fr-FR``) holds only itself:
    news of the Quebec dub is not for who hears only the France one (engine.targets'
    rules: ``meets``)."""
    spoken = canonical(language) or language  # a regional target (fr-CA) is French
    return not languages or any(
        meets(other, [language]) if is_regional(other) else same_language(spoken, wanted)
        for other in languages
        if (wanted := canonical(other))
    )


def _dub_news(outcome: RunOutcome, kind: str, news: list[DubNews]) -> Message:
    codes = [each.language for each in news]
    single = len({language_name(code) for code in codes}) == 1
    items = len({each.media_id or each.line for each in news})
    values = {"languages": language_list(codes), "count": items, "name": outcome.instance_name}
    # The language list stands alone after a colon; "dub" follows the list's length (one
    # message for one language, one for several) and "item" the count (ngettext).
    if kind == Kind.DUB_ARRIVED and single:
        title = ngettext(
            "Taggarr: new dub in %(count)d item of %(name)s: %(languages)s",
            "Taggarr: new dub in %(count)d items of %(name)s: %(languages)s",
            items,
        )
    elif kind == Kind.DUB_ARRIVED:
        title = ngettext(
            "Taggarr: new dubs in %(count)d item of %(name)s: %(languages)s",
            "Taggarr: new dubs in %(count)d items of %(name)s: %(languages)s",
            items,
        )
    elif single:
        title = ngettext(
            "Taggarr: dub lost in %(count)d item of %(name)s: %(languages)s",
            "Taggarr: dub lost in %(count)d items of %(name)s: %(languages)s",
            items,
        )
    else:
        title = ngettext(
            "Taggarr: dubs lost in %(count)d item of %(name)s: %(languages)s",
            "Taggarr: dubs lost in %(count)d items of %(name)s: %(languages)s",
            items,
        )
    listed = "\n".join(f"- {each.text()}" for each in news[:MAX_NEWS])
    return Message(kind, title % values, f"{listed}{_more(len(news), MAX_NEWS)}")


def _more(count: int, shown: int) -> str:
    if count <= shown:
        return ""
    hidden = count - shown
    return "\n" + ngettext("... and %(count)d more", "... and %(count)d more", hidden) % {
        "count": hidden
    }


def _wrong_dub(outcome: RunOutcome) -> Message:
    titles = outcome.became_wrong_dub
    count = len(titles)
    listed = "\n".join(f"- {title}" for title in titles[:MAX_TITLES])
    # "wrong-dub" is the tag's name: data, the same in every language.
    title = ngettext(
        "Taggarr: %(count)d item of %(name)s became wrong-dub",
        "Taggarr: %(count)d items of %(name)s became wrong-dub",
        count,
    ) % {"count": count, "name": outcome.instance_name}
    intro = _("Dubbed, but not into a target language (scan #%(number)d):") % {
        "number": outcome.run_id
    }
    return Message(
        Kind.WRONG_DUB,
        title,
        f"{intro}\n{listed}{_more(count, MAX_TITLES)}",
        severity="warning",
    )


def taken_as(message: Message, events: list[str]) -> str | None:
    """The kind a notifier with ``events`` takes ``message`` as, or None."""
    if message.kind in events:
        return message.kind
    if message.also_as is not None and message.also_as in events:
        return message.also_as
    return None
