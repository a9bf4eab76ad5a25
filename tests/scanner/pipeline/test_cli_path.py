"""``manage.py scan --path X --wait`` and ``--inline``: the runs the path starts are
followed (a real worker) or run in the command's own process, with the exit statuses a
normal ``scan --wait``/``--inline`` has; what does not go together is refused."""

from __future__ import annotations

import os

import pytest

from fakes.arr import FakeArr
from scanner.models import Instance, ScanRequest, ScanRun
from tests.factories import MediaFactory
from tests.helpers import arr_tags, manage
from tests.library import Library
from tests.worker import WorkerProcess, live_database_url

pytestmark = pytest.mark.django_db(transaction=True)

SHOW = "Anime Dubbed"


def _env() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": live_database_url()}


@pytest.fixture
def dry_scanned(sonarr_instance: Instance, sonarr: FakeArr) -> Instance:
    """The instance's items are known (a dry run listed them, and started its schedule)
    and nothing is tagged yet."""
    result = manage("scan", "--inline", "--dry-run", "--instance", "tv", env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(arr_tags(sonarr).values()) == {"none"}
    return sonarr_instance


def _episode(library: Library) -> str:
    return str(next(library.folder(SHOW).rglob("*.mkv")))


def test_inline_rescans_the_item_holding_the_path_here(
    dry_scanned: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """No broker, no worker: the command runs the run itself and exits 0 when it
    succeeded; only the item holding the path is tagged."""
    result = manage("scan", "--path", _episode(tv_library), "--inline", env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    run = ScanRun.objects.latest("pk")
    assert (run.status, run.trigger) == (ScanRun.Status.SUCCEEDED, ScanRun.Trigger.WEBHOOK)
    assert f"tv: rescans {SHOW}" in result.stdout
    assert result.stdout.strip().splitlines()[-1].split()[:3] == ["tv", f"#{run.pk}", "succeeded"]
    tags = arr_tags(sonarr)
    assert tags[SHOW] == tv_library.expected[SHOW] != "none"
    assert {tag for title, tag in tags.items() if title != SHOW} == {"none"}
    assert not ScanRequest.objects.exists()  # run, not left waiting for a worker


@pytest.mark.worker
def test_wait_follows_the_run_to_its_end_on_a_worker(
    dry_scanned: Instance, sonarr: FakeArr, tv_library: Library, worker: WorkerProcess
) -> None:
    result = manage("scan", "--path", _episode(tv_library), "--wait", env=_env(), timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    run = ScanRun.objects.latest("pk")
    assert run.status == ScanRun.Status.SUCCEEDED
    assert f"tv: scan #{run.pk} queued" in result.stdout
    assert result.stdout.strip().splitlines()[-1].split()[:3] == ["tv", f"#{run.pk}", "succeeded"]
    assert arr_tags(sonarr)[SHOW] == tv_library.expected[SHOW]


def test_wait_gives_up_with_exit_3_when_no_worker_takes_the_run(
    dry_scanned: Instance, tv_library: Library
) -> None:
    """The exit status a normal ``scan --wait`` has for runs still queued."""
    result = manage(
        "scan", "--path", _episode(tv_library), "--wait", "--wait-timeout", "0.3", env=_env()
    )
    assert result.returncode == 3, result.stdout + result.stderr
    run = ScanRun.objects.latest("pk")
    assert run.status == ScanRun.Status.QUEUED
    assert f"no progress for 0.3 s on scan #{run.pk} (queued)" in result.stderr


@pytest.mark.parametrize("how", ["--inline", "--wait"])
def test_an_instance_with_an_active_scan_is_refused_not_waited_for(
    dry_scanned: Instance, tv_library: Library, how: str
) -> None:
    active = ScanRun.objects.create(instance=dry_scanned, trigger="api", status="running")
    result = manage("scan", "--path", _episode(tv_library), how, env=_env())
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"tv: scan #{active.pk} (running) is already active for this instance" in result.stderr
    assert "does not wait behind it" in result.stderr
    assert list(ScanRun.objects.filter(status__in=ScanRun.ACTIVE)) == [active]
    assert not ScanRequest.objects.exists()  # nothing left queued behind it either
    assert "Traceback" not in result.stderr


def test_an_instance_never_scanned_is_refused(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    Instance.objects.filter(pk=sonarr_instance.pk).update(first_scan_at=None)
    MediaFactory(instance=sonarr_instance, title=SHOW, path=str(tv_library.folder(SHOW)))
    result = manage("scan", "--path", _episode(tv_library), "--inline", env=_env())
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tv: waits for its first scan" in result.stderr
    assert not ScanRun.objects.exists()


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--inline", "--instance", "tv"], "--path does not go with --instance"),
        (["--wait", "--dry-run", "--mode", "rewrite"], "--path does not go with --dry-run, --mode"),
        (["--inline", "--wait"], "not allowed with argument"),
        (["--wait-timeout", "5"], "--wait-timeout goes with --wait only"),
    ],
    ids=["instance", "dry-run-and-mode", "inline-and-wait", "timeout-without-wait"],
)
def test_what_does_not_go_together_is_refused(
    dry_scanned: Instance, tv_library: Library, extra: list[str], says: str
) -> None:
    before = ScanRun.objects.count()
    result = manage("scan", "--path", _episode(tv_library), *extra, env=_env())
    assert result.returncode != 0
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert ScanRun.objects.count() == before and not ScanRequest.objects.exists()
