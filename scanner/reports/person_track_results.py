"""What the step that sets each person's track in Plex did last, per account of a
person (issue 70, item 4): the person page shows it. The step:
scanner.media_servers.writes.person_tracks; its rows: scanner.models.TrackRun."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from scanner.models import Person, TrackRun
from scanner.reports.event_sentences import SERVER_PROBLEMS
from scanner.reports.track_run_text import TrackRunFacts, tracks_set_text

__all__ = ["TrackResult", "latest_track_results", "track_result_sentence"]


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
        if last is None:
            continue
        results.append(
            TrackResult(
                server=account.media_server.name,
                person=person.name,
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
        )
    return results


def track_result_sentence(result: TrackResult) -> str:
    """The result as the TRACKS_SET event of that run says it, in the reader's language."""
    return tracks_set_text(result.facts, SERVER_PROBLEMS)
