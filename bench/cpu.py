"""How busy the machine was while a figure was taken, and by whom.

Timings on a shared machine are only as good as the share of the CPUs the
benchmark had. For each timed step the benchmark notes the CPU seconds of the
whole machine (/proc/stat), of its own processes (itself, the processes it
started and their children) and of the database and broker servers; the rest
was used by someone else, and the table says how much.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass, field

from bench.services import descendants

TICKS = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count() or 1
SERVERS = ("postgres", "redis-server")


def machine_busy() -> float:
    """CPU seconds all CPUs spent not idle since boot."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / TICKS


def _process_cpu(pid: int) -> float:
    """utime + stime of a live process and of its children it has waited for."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / TICKS


def _servers_cpu() -> float:
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/comm") as comm:
                name = comm.read().strip()
        except OSError:
            continue
        if name.startswith(SERVERS):
            total += _process_cpu(int(entry.name))
    return total


def own_cpu() -> float:
    """This process, its live descendants, and the children it has already waited for."""
    me = os.getpid()
    live = sum(_process_cpu(pid) for pid in descendants(me) if pid != me)
    this = resource.getrusage(resource.RUSAGE_SELF)
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    return live + this.ru_utime + this.ru_stime + waited.ru_utime + waited.ru_stime


@dataclass
class CpuWindow:
    """Opened before a timed step, closed after it."""

    started: float = field(default_factory=time.perf_counter)
    busy: float = field(default_factory=machine_busy)
    ours: float = field(default_factory=own_cpu)
    servers: float = field(default_factory=_servers_cpu)
    result: CpuShare | None = None

    def close(self) -> CpuShare:
        wall = time.perf_counter() - self.started
        self.result = CpuShare(
            wall=wall,
            busy=machine_busy() - self.busy,
            ours=own_cpu() - self.ours,
            servers=_servers_cpu() - self.servers,
        )
        return self.result


@dataclass(frozen=True)
class CpuShare:
    wall: float
    busy: float  # CPU seconds the machine was busy
    ours: float  # ... of which the benchmark's processes
    servers: float  # ... of which PostgreSQL and Redis (ours and anyone else's)

    @property
    def others(self) -> float:
        """Share of the machine's CPUs used by someone else during the step."""
        if self.wall <= 0:
            return 0.0
        return max(0.0, self.busy - self.ours - self.servers) / (self.wall * CPUS)

    def describe(self) -> str:
        return f"others used {self.others:.0%} of the CPUs"
