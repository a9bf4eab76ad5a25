"""An item held by one task at a time, with the process that took it kept on the lease
(``this_process``: its host, its boot, its pid namespace, its pid and when that process
started), so that a writer killed while it held an item (SIGKILL, the OOM killer) does not
block the item, undo included, until its lease runs out (10 minutes): a take finds such a
lease over at once when its holder provably ended (the same host, boot and pid namespace
as the taker, and its pid no longer that process: gone, a zombie, or another process
since). A holder on another host, or one that cannot be told (no /proc), is waited out.
The acts that write into a user's files hold their items so (scanner.default_tracks.lease,
scanner.badges.lease): their lease models carry a ``holder``."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from scanner.runtime.held_turns import HeldBy

__all__ = ["ItemHold", "gone", "this_process"]

logger = logging.getLogger(__name__)

_PROC = Path("/proc")


def _started(pid: int) -> str | None:
    """When process ``pid`` started (/proc/PID/stat's 22nd field, clock ticks after boot);
    None when there is no such process, or it ended and waits to be reaped (a zombie)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name, in brackets, may hold spaces
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def this_process() -> str:
    """This process as a lease's holder: "host boot pid-namespace pid start"; "" where
    /proc does not say (such a holder is never taken for dead). Read at each take: a
    Celery pool's child has its own pid."""
    try:
        boot = (_PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip()
        namespace = os.readlink(_PROC / "self" / "ns" / "pid")
    except OSError:
        return ""
    pid = os.getpid()
    started = _started(pid)
    if started is None or not boot:
        return ""
    return " ".join((socket.gethostname(), boot, namespace, str(pid), started))


def gone(holder: str) -> bool:
    """Whether the process ``holder`` names (``this_process`` as it took a lease) has
    provably ended: it ran on this host, in this boot and pid namespace, and its pid is
    no longer that process. False whenever that cannot be told."""
    theirs, mine = holder.split(" "), this_process().split(" ")
    if len(theirs) != 5 or len(mine) != 5 or theirs[:3] != mine[:3]:
        return False
    pid, started = theirs[3], theirs[4]
    return pid.isdigit() and _started(int(pid)) != started


@dataclass(frozen=True)
class ItemHold(HeldBy):
    """``HeldBy``, with the taker's process kept on the lease and a dead holder's lease
    taken over."""

    def take(self, value: int, token: int) -> bool:
        """The item for ``token``: when free, ran out, the token's own already, or held
        by a process that provably ended. Each a compare-and-set statement."""
        model = self.lease.model
        model._default_manager.bulk_create([model(**{self.key: value})], ignore_conflicts=True)
        me = this_process()
        if self.lease.take(token, self._where(value), asked_again=False, holder=me):
            return True
        return self._take_over(value, token, me)

    def _take_over(self, value: int, token: int, me: str) -> bool:
        rows = self.lease.model._default_manager.filter(**{self.key: value})
        held = rows.values_list("token", "holder").first()
        if held is None or held[0] is None or not held[1] or not gone(held[1]):
            return False
        taken = rows.filter(token=held[0], holder=held[1]).update(
            token=token, leased_until=self.lease.end(), asked_again=False, holder=me
        )
        if taken:
            logger.warning(
                "%s: its holder (pid %s) ended without letting it go: taken over",
                self.what % value,
                held[1].split(" ")[3],
            )
        return bool(taken)
