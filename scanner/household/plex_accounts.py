"""Which person accounts the Plex step (plex_tracks.py) runs for: a query of its own, so
that a run's end asks it without importing the step and its Plex client (plexapi): most
libraries have no Plex account of a person, and ``scan --inline`` asks after every run."""

from __future__ import annotations

from scanner.models import MediaServer, PersonAccount, ScanRun


def accounts_to_set(
    *, run_id: int | None = None, server: MediaServer | None = None, person_id: int | None = None
) -> list[int]:
    """The person accounts the step runs for: on the enabled Plex servers (the one
    given; those the run's instance feeds), of one person when given."""
    accounts = PersonAccount.objects.filter(
        media_server__enabled=True, media_server__kind=MediaServer.Kind.PLEX
    )
    if server is not None:
        accounts = accounts.filter(media_server=server)
    if run_id is not None:
        instance = ScanRun.objects.filter(pk=run_id).values_list("instance_id", flat=True)
        accounts = accounts.filter(media_server__instances__in=instance)
    if person_id is not None:
        accounts = accounts.filter(person_id=person_id)
    return list(accounts.order_by("pk").values_list("pk", flat=True).distinct())
