"""What the step that sets each person's track in Plex did last, per account of a
person (issue 70, item 4): the person page shows it, and the dashboard per Plex server
for the whole household. The step: scanner.household.plex_tracks; its
rows: scanner.models.TrackRun."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from scanner.models import MediaServer, Person, PersonAccount, TrackRun
from scanner.reports.event_sentences import SERVER_PROBLEMS
from scanner.reports.track_run_text import TrackRunFacts, tracks_set_text

__all__ = [
    "AccountTracks",
    "ServerTracks",
    "TrackResult",
    "household_track_results",
    "latest_track_results",
    "track_result_sentence",
]


@dataclass(frozen=True, slots=True)
class TrackResult:
    """The last run for one of the person's accounts.

    ``counts``: parts per outcome ("sent", "kept", "unchanged", "uncertain", "none",
    "failed"; in a dry run "sent" is what would be sent); ``doubts``: the uncertain
    ones per reason code (engine.track_choice.Doubt or stream_match.MatchDoubt);
    ``problem``: why the run stopped early (event_data's SERVER_* codes, or "token"
    with ``reason`` plex.tv's refusal: unknown-account, not-shared, pin-required)."""

    server: str
    person: str
    account: str
    dry_run: bool
    counts: Mapping[str, int]
    doubts: Mapping[str, int]
    problem: str
    reason: str
    started_at: datetime
    ended_at: datetime | None
    run_id: int | None
    account_pk: int = 0  # the PersonAccount's

    @property
    def facts(self) -> TrackRunFacts:
        """What its sentence says: the same value the run's TRACKS_SET event is read into."""
        return TrackRunFacts(
            server=self.server,
            person=self.person,
            dry_run=self.dry_run,
            counts=self.counts,
            problem=self.problem,
            reason=self.reason,
        )


def latest_track_results(person: Person) -> list[TrackResult]:
    """Per account of ``person`` (by server name), the last run of the step; none for
    an account it never ran for (one query, and one per account)."""
    accounts = list(person.accounts.select_related("media_server").order_by("media_server__name"))
    results = []
    for account in accounts:
        last = TrackRun.objects.filter(account=account).order_by("-started_at", "-id").first()
        if last is not None:
            results.append(_result(account, person.name, last))
    return results


@dataclass(frozen=True, slots=True)
class AccountTracks:
    """One person's account on a Plex server, with the last run for it (None: never)."""

    person_pk: int
    person: str
    account: str
    result: TrackResult | None


@dataclass(frozen=True, slots=True)
class ServerTracks:
    """A Plex server with its household accounts. ``enabled``: the server is on in
    Taggarr (off: the step sets nothing there); ``applies``: its option "set each
    person's track" is on (off: each run is a dry run)."""

    server: str
    enabled: bool
    applies: bool
    accounts: list[AccountTracks]


def household_track_results() -> list[ServerTracks]:
    """Per Plex server (by name) with an account of the household, each account (by
    person) with the last run of the step: two queries, whatever the household's size."""
    last_run = TrackRun.objects.filter(account=OuterRef("pk")).order_by("-started_at", "-id")
    accounts = list(
        PersonAccount.objects.filter(media_server__kind=MediaServer.Kind.PLEX)
        .select_related("person", "media_server")
        .annotate(last_run=Subquery(last_run.values("pk")[:1]))
        .order_by("media_server__name", "media_server_id", "person__name", "pk")
    )
    runs = TrackRun.objects.in_bulk([a.last_run for a in accounts if a.last_run is not None])
    servers: dict[int, ServerTracks] = {}
    for account in accounts:
        server = account.media_server
        if server.pk not in servers:
            servers[server.pk] = ServerTracks(
                server=server.name,
                enabled=server.enabled,
                applies=server.set_person_tracks,
                accounts=[],
            )
        last = runs.get(account.last_run) if account.last_run is not None else None
        servers[server.pk].accounts.append(
            AccountTracks(
                person_pk=account.person_id,
                person=account.person.name,
                account=account.account_name,
                result=_result(account, account.person.name, last) if last else None,
            )
        )
    return list(servers.values())


def _result(account: PersonAccount, person: str, last: TrackRun) -> TrackResult:
    return TrackResult(
        server=account.media_server.name,
        person=person,
        account=account.account_name,
        dry_run=last.dry_run,
        counts=dict(last.counts),
        doubts=dict(last.doubts),
        problem=last.problem,
        reason=last.reason,
        started_at=last.started_at,
        ended_at=last.ended_at,
        run_id=last.run_id,
        account_pk=account.pk,
    )


def track_result_sentence(result: TrackResult) -> str:
    """The result as the TRACKS_SET event of that run says it, in the reader's language."""
    return tracks_set_text(result.facts, SERVER_PROBLEMS)
