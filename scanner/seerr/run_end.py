"""Seerr's part of a run's end in ``scan --inline`` (scanner.run_end): the asks of the
run's items answered here, when any household follows one (one query); the answering
(and the Seerr client) is imported only then."""

from __future__ import annotations

from scanner.seerr.waiting import due


def here(run_id: int) -> None:
    """Run ``run_id``'s Seerr asks answered in this process."""
    if due():
        from scanner.seerr.tasks import follow_seerr_run

        follow_seerr_run(run_id)
