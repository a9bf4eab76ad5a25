"""The step that sets a person's tracks in Plex (person_tracks.py), held per account with
a fencing token, as an artwork image is (scanner.artwork.leases) and a scan's item
(scanner.pipeline.state.leases).

Two runs that end close together send two tasks for the same account. ``take`` is one
``UPDATE … WHERE`` the lease is free, ran out, or is the token's own (a task delivered
again keeps its token: ``scanner.leases.token_of``), so one of them holds the
step. The other does not wait: it marks the step ``asked_again`` (another
compare-and-set, on the holder's row) and ends, saying so in a log line; the holder,
when its run ends, runs the step once more (``release`` says so), so that what the
second run changed is read. The holder's every write is fenced: ``hold`` extends the
lease only while its token holds it, first in the transaction of each write (the
TrackSetting rows, the TrackRun) and before each request that changes a selection in
Plex. A holder paused past its lease whose step another task took writes nothing more
(``TrackLeaseLost``). A holder that died (a worker killed) leaves its lease to run out
(``LEASE``, scanner.leases.PERSON_TRACKS): the next task takes the step.
"""

from __future__ import annotations

from scanner.leases import PERSON_TRACKS
from scanner.runtime.held_turns import HeldBy

__all__ = ["LEASE", "TrackLeaseLost", "ask_again", "hold", "let_go", "release", "take"]

LEASE = PERSON_TRACKS.length()  # declared once, with every kind's lease (scanner.leases)


class TrackLeaseLost(Exception):
    """The token no longer holds the account's step: nothing more is written."""


# The protocol (take, ask again, the fence, release) is every held step's
# (scanner.runtime.held_turns).
ACCOUNT = HeldBy(
    PERSON_TRACKS,
    key="account_id",
    lost=TrackLeaseLost,
    what="the step setting the tracks of account %s",
)
take, ask_again, hold = ACCOUNT.take, ACCOUNT.ask_again, ACCOUNT.hold
release, let_go = ACCOUNT.release, ACCOUNT.let_go
