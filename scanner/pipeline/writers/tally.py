"""What a run's apply step has written so far, kept with each chunk it stores (issue 92).

The apply step writes and stores its changes a chunk at a time (apply.write_chunks). A
holder that stops between two (a worker killed, a share that stopped answering, an
error retried) leaves the chunks it stored as applied: the holder that takes the step up
again (the task sent again, a resumed run, a retry) no longer sees them as changes. So
what they came to is kept in the run's row (``apply_progress``, TALLY), in the
transaction that stores each chunk, and the next holder counts on from there: the run's
end tells the whole run's writes, not the last holder's. ``ScanRun.tags_changed`` is kept
with it, so that a run interrupted meanwhile says what it wrote.

Only what is not done again is kept: a write the *arr refused, an NFO that could not be
written, is tried again by the next holder (its item is still a change, or its NFO due)
and counted then; the media servers' outcome is the one holder's that compares the whole
scope (a run that feeds a server writes in one chunk).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from scanner.engine.verdict import Tag
from scanner.models import ScanRun
from scanner.pipeline.writers.nfo_writes import NFO_ERROR
from scanner.pipeline.writers.writes import TagWrite, Written

TALLY = "tally"  # apply_progress's key


@dataclass
class Tally:
    """What the apply step's chunks came to, as the run's end reads it: counts, and the
    tag writes that failed with why."""

    planned: int = 0  # changes planned (a dry run's figures are these)
    failed_changes: int = 0
    done: int = 0  # changes written and held where they live
    not_held: int = 0  # a library folder's changes nothing holds
    not_written: Counter[str] = field(default_factory=Counter)  # not_held, by why
    added: Counter[str] = field(default_factory=Counter)  # the tags set, by tag
    cleared: int = 0  # the managed labels taken off
    failed: dict[int, str] = field(default_factory=dict)  # media pk -> why not written
    arr_requests: int = 0
    nfo_written: int = 0
    nfo_created: int = 0
    nfo_errors: int = 0
    nfo_left_alone: int = 0
    servers: dict[str, dict[str, Any]] = field(default_factory=dict)  # their outcomes

    def add_tags(
        self,
        changed: list[TagWrite],
        failed: Mapping[int, str],
        not_held: AbstractSet[int] = frozenset(),
        not_written: Mapping[int, str] | None = None,
    ) -> None:
        """One chunk's ``changed`` writes: ``failed``, those not written (media pk ->
        why); ``not_held``, those written that nothing holds (a library folder's), why
        in ``not_written``."""
        accepted = [w for w in changed if w.media.pk not in failed]
        done = [w for w in accepted if w.media.pk not in not_held]
        whys = not_written or {}
        self.planned += len(changed)
        self.failed_changes += len(changed) - len(accepted)
        self.done += len(done)
        self.not_held += len(not_held)
        self.not_written.update(whys.get(pk, NFO_ERROR) for pk in not_held)
        self.added.update(w.new_tag for w in done if w.new_tag != Tag.NONE)
        self.cleared += sum(len(w.taken_off) for w in done)
        self.failed.update(failed)

    def add_writers(self, written: Written) -> None:
        """One chunk's NFO and media-server writes (its *arr requests too)."""
        nfo = written.nfo
        self.arr_requests += written.arr.requests
        self.nfo_written += len(nfo.written)
        self.nfo_created += len(nfo.created)
        self.nfo_errors += len(nfo.failed)
        self.nfo_left_alone += len(nfo.left_alone)
        self.servers.update(written.servers.outcomes)

    def add_settled(self, tags: list[str]) -> None:
        """Writes an earlier holder sent that the *arr was found holding (tag_events):
        each a change done, ``tags`` their tags."""
        self.planned += len(tags)
        self.done += len(tags)
        self.added.update(tag for tag in tags if tag and tag != Tag.NONE)

    def kept(self) -> dict[str, Any]:
        """What a later holder takes up (the module's docstring: not what it does again)."""
        return {
            "planned": self.planned - self.failed_changes,
            "done": self.done,
            "not_held": self.not_held,
            "not_written": dict(self.not_written),
            "added": dict(self.added),
            "cleared": self.cleared,
            "arr_requests": self.arr_requests,
            "nfo_written": self.nfo_written,
            "nfo_created": self.nfo_created,
        }

    @classmethod
    def taken_up(cls, kept: Any) -> Tally:
        """The tally an earlier holder kept (``kept``), or a new one."""
        if not isinstance(kept, dict):
            return cls()
        tally = cls()
        for name in ("planned", "done", "not_held", "cleared", "arr_requests"):
            setattr(tally, name, _count(kept.get(name)))
        tally.nfo_written = _count(kept.get("nfo_written"))
        tally.nfo_created = _count(kept.get("nfo_created"))
        tally.not_written = _counter(kept.get("not_written"))
        tally.added = _counter(kept.get("added"))
        return tally

    def store(self, run_id: int) -> None:
        """Kept in the run's row (in the caller's fenced transaction, which holds it)."""
        keep(run_id, self)


def resumed(run: ScanRun) -> Tally:
    """What the run's earlier apply holders wrote and stored (a new tally if none)."""
    progress = run.apply_progress if isinstance(run.apply_progress, dict) else {}
    return Tally.taken_up(progress.get(TALLY))


def keep(run_id: int, tally: Tally) -> None:
    """``tally`` in the run's row, and its count of changes written: in the caller's
    fenced transaction (the run's row is held: nobody else writes its progress)."""
    runs = ScanRun.objects.filter(pk=run_id)
    progress = runs.values_list("apply_progress", flat=True).first()
    progress = progress if isinstance(progress, dict) else {}
    runs.update(apply_progress={**progress, TALLY: tally.kept()}, tags_changed=tally.done)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _counter(value: Any) -> Counter[str]:
    if not isinstance(value, dict):
        return Counter()
    return Counter({str(key): _count(count) for key, count in value.items()})
