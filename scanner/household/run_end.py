"""The household's part of a run's end in ``scan --inline`` (scanner.run_end): each
person's track set in Plex, then what will play for each person counted, here and in
this order, as the workers do it (scanner.household.tasks.after_run). The Plex step
(plexapi) is imported only when the run has an account to set."""

from __future__ import annotations

from scanner.household import counts as person_counts
from scanner.household.plex_accounts import accounts_to_set


def here(run_id: int) -> None:
    """Run ``run_id``'s people's tracks set and counted in this process."""
    for account_id in accounts_to_set(run_id=run_id):
        from scanner.household.plex_tracks import set_account_tracks

        set_account_tracks(account_id, run_id)
    for person_id in person_counts.people_of_run(run_id):
        if person_counts.ask(person_id):
            person_counts.count_person(person_id)
