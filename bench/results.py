"""What a benchmark run found: every figure, by phase, and the problems that fail it.
The targets are here too, next to the figures they judge (bench/report.py prints them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.api_latency import ApiMedia
from bench.floor import Floor
from bench.scans import ScanFigure
from bench.server_writes import ServerStep
from bench.services import PeakRss
from bench.web_pages import WebPages
from bench.webhook_latency import WebhookResult

# Issue 16, "Libraries on a NAS scan as fast as local ones" (full scale and --scale 400).
INLINE_MAX = 0.6  # local full scan --inline, x the floor
WORKERS_MAX = 0.35  # local full scan with 2 worker processes, x the floor
SHARE_FULL_MAX = 1.2  # full scan --inline on the share, x the same scan on local disk
SHARE_RESCAN_MAX = ((400, 1.5), (2000, 5.0))  # (series, seconds): rescan --inline on the share
RESCAN_MAX = 0.05  # local rescan, x the local full scan
RSS_MAX_MB = 300
WRITES_MAX = 10  # per *arr per scan
WEBHOOK_P95_MAX = 2.0  # seconds, reading the files
API_P95_MAX_MS = 100
# Issue 14, "No mount needed" (2,000 series x 15 episodes + 500 movies).
ARR_FULL_MAX = 15.0  # seconds, 0 files opened
ARR_RESCAN_MAX = 3.0  # seconds, 0 episodefile requests
ARR_WEBHOOK_P95_MAX = 0.5  # seconds, no file touched
# Issue 18, media servers (2,000 series + 500 movies, fakes at 3 ms per request).
SERVER_FIRST_MAX = 30.0  # seconds: the write step of both instances after a first scan

# Issue 40, the measurements at 2,000 + 500 and 10,000 + 2,500.
WORKERS_VS_INLINE_MAX = 1.1  # local first scan with 2 workers, x the inline one of the run
WORKER_SQL_PER_ITEM_MAX = 1.5  # statements the worker processes send per item, first scan
ARTWORK_MAX = 120.0  # seconds: a first scan's artwork in place after it, 2 workers
SCHEDULED_RESCAN_MAX = 0.02  # rescan as the schedule runs it, x the first scan (workers)
SCALE_SLACK = 1.1  # a figure at a larger scale: <= 1.1 x (scale ratio) x the smaller's
WEB_RSS_MAX_MB = 250  # peak RSS of each web server process
PAGE_P95_MAX_MS = 300  # the admin media list and the dashboard, over HTTP
API_HTTP_P95_MAX_MS = 50  # /api/media/ over HTTP on the run's own scanned library

# Issue 40, "Workers on other hosts" (bench/hosts_phase.py).
HOSTS_FIRST_MAX = 1.2  # two hosts' first scan, x the one-host two-process worker scan
HEAL_MAX = 180.0  # seconds from killing one host's worker to the runs' successful end

EPISODE_FILES = ("GET", "/api/v3/episodefile")


def share_rescan_max(series: int) -> tuple[float, str]:
    """The share rescan's target at this scale: 1.5 s up to 400 series, 5 s from 2,000,
    in between on the straight line; and how it was found."""
    (low, low_s), (high, high_s) = SHARE_RESCAN_MAX
    if series <= low:
        return low_s, f"at {low} + {low // 4}"
    if series >= high:
        return high_s, f"at {high:,} + {high // 4}"
    share = (series - low) / (high - low)
    return low_s + share * (high_s - low_s), "interpolated"


@dataclass
class Heal:
    """One host's worker killed mid-scan (``hosts`` phase) and how the runs ended."""

    host: str  # the host whose worker was killed
    done: int  # items done when it was killed
    total: int
    seconds: float | None  # from the kill to the last run's end (None: they never ended)
    resends: int  # times a stalled run's work was sent again (beat's tick, on a worker)


@dataclass
class Hosts:
    """The ``hosts`` phase: item tasks each host ran, by scan, and the healing."""

    tasks: dict[str, dict[str, int]] = field(default_factory=dict)  # scan -> host -> tasks
    heal: Heal | None = None


@dataclass
class Results:
    scale: str
    series: int
    inline_db: str
    share_delay_ms: float  # 0: no share
    share_listing_attrs: bool  # the share's listings carry the entries' attributes
    command: str  # the run.py command that repeats this run (add --phases to narrow it)
    uncommitted: set[str] | None = None  # files differing from HEAD at the start (None: no git)
    floors: dict[str, Floor] = field(default_factory=dict)  # "local", "share"
    scans: dict[str, ScanFigure] = field(default_factory=dict)  # "local inline first", ...
    rss: list[PeakRss] = field(default_factory=list)  # every worker run
    web: WebPages | None = None  # admin pages, /api/media/ over HTTP, web server RSS
    webhooks: dict[str, WebhookResult] = field(default_factory=dict)  # "files", "arr"
    api_media: ApiMedia | None = None
    server_steps: list[ServerStep] = field(default_factory=list)  # bench/media_servers.py
    hosts: Hosts | None = None  # bench/hosts_phase.py
    # disk -> the workers' item tasks by how they ended (bench/phases.py)
    item_tasks: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # label -> what a figure was checked by
    problems: list[str] = field(default_factory=list)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    total_seconds: float = 0.0

    @property
    def disks(self) -> list[str]:
        return ["local", "share"] if self.share_delay_ms > 0 else ["local"]
