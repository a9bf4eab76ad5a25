"""What many tests share: the fake *arr's key, reading back what a scan wrote (the
fake *arr's tags, NFO files), an NFO that cannot be written, counting the fake's
writes, and running manage.py in a subprocess as a user would."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

from fakes.arr import FakeArr
from scanner.actions import scans
from scanner.models import Instance, RunRequest, ScanRun

# Distinctive, so a leak into a page, a response or a log line is unmistakable.
ARR_KEY = "test-arr-key-5ecret-0123456789abcdef"
CLIENT_KEY = "K3Y-5ecret-d0-not-leak-7f3a9c"  # the *arr client unit tests'
PASSWORD = "correct horse battery staple 42"  # the API tests' staff user
METRICS_TOKEN = "metrics-5ecret-bearer-0123456789"  # TAGGARR_METRICS_TOKEN in tests
NOTIFY_TOKEN = "n0tify-5ecret-path-9f8e7d"  # in every notifier URL the tests save
SERVER_TOKEN = "jf-5ecret-t0ken-0123456789abcdef"  # every media-server connection's
SECRETS = (ARR_KEY, CLIENT_KEY, PASSWORD, METRICS_TOKEN, NOTIFY_TOKEN, SERVER_TOKEN)
# What must never reach a log line: those, and a webhook path whose token is not redacted.
_LEAKS = re.compile(
    "|".join(re.escape(secret) for secret in SECRETS) + r"|/api/webhooks/(?!\*{4})[^/\s?'\"]+"
)


def find_leak(text: str) -> str | None:
    """The first secret in ``text`` (tests/conftest.py fails a test that logged one)."""
    found = _LEAKS.search(text)
    return found.group() if found else None


MANAGED = {"dub", "semi-dub", "wrong-dub"}
WRITES = ("POST", "PUT", "DELETE")
CHECKOUT = Path(__file__).resolve().parent.parent


def arr_tags(fake: FakeArr, managed: set[str] = MANAGED) -> dict[str, str]:
    """title -> the managed tag on the item in the fake *arr ("none" if none)."""
    labels = {tag["id"]: tag["label"] for tag in fake.state.tags()}
    result = {}
    for item in fake.state.items():
        found = sorted(labels[t] for t in item.get("tags", []) if labels.get(t) in managed)
        assert len(found) <= 1, f"{item['title']} has {found}"
        result[item["title"]] = found[0] if found else "none"
    return result


def arr_labels(fake: FakeArr) -> dict[str, set[str]]:
    """title -> every tag label on the item in the fake *arr."""
    labels = {tag["id"]: tag["label"] for tag in fake.state.tags()}
    return {item["title"]: {labels[t] for t in item.get("tags", [])} for item in fake.state.items()}


def arr_writes(fake: FakeArr) -> int:
    """Requests that change something in the fake *arr."""
    return sum(n for (method, _route), n in fake.state.counters().items() if method in WRITES)


def nfo_tags(path: Path) -> list[str]:
    return re.findall(r"<tag>([^<]*)</tag>", path.read_text(encoding="utf-8"))


def block_nfo(folder: Path, name: str = "tvshow.nfo") -> Path:
    """A folder where the item's NFO goes, so that it cannot be written, not even by root
    (whom a read-only folder does not stop; the tests may run as root)."""
    nfo = folder / name
    nfo.unlink(missing_ok=True)
    nfo.mkdir()
    return nfo


def scan_inline(instance: Instance, **options: object) -> ScanRun:
    return scans.scan_inline(instance, RunRequest(ScanRun.Trigger.CLI, **options))  # type: ignore[arg-type]


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return int(free.getsockname()[1])


def manage(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python manage.py ARGS`` in a new process, from the checkout, output captured."""
    return _python("manage.py", *args, env=env, timeout=timeout)


def python_script(
    path: str, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python PATH ARGS`` (a script of the checkout) in a new process, output captured."""
    return _python(path, *args, env=env, timeout=timeout)


def python_code(
    code: str, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -c CODE ARGS`` in a new process, from the checkout, output captured."""
    return _python("-c", code, *args, env=env, timeout=timeout)


def at_once(code: str, argvs: list[list[str]], timeout: float = 120) -> list[str]:
    """``python -c CODE`` once per argument list, in processes of their own on the live
    database, each waiting on its stdin until all are started, then released together;
    each one's stdout (a process that fails fails the test, with every stderr)."""
    from tests.worker import live_database_url

    env = {
        **os.environ,
        "DATABASE_URL": live_database_url(),
        "DJANGO_SETTINGS_MODULE": "taggarr.settings",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, *argv],
            cwd=CHECKOUT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [process.communicate(timeout=timeout) for process in processes]
    assert all(process.returncode == 0 for process in processes), [err for _, err in results]
    return [out for out, _ in results]


def _python(
    *args: str, env: Mapping[str, str] | None, timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=CHECKOUT,
        env=dict(env if env is not None else os.environ),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class _FormNesting(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.depth -= 1


def has_nested_forms(html: str) -> bool:
    """A form inside a form: browsers drop the inner one, and its buttons post the outer."""
    parser = _FormNesting()
    parser.feed(html)
    return parser.deepest > 1


UNMOUNTED_TV = "/mnt/not-mounted-here/tv"


def sonarr_over(sonarr: FakeArr, root: str, source: str) -> Instance:
    """A Sonarr instance "tv" of the fake, its library (``REMOTE_TV`` to Sonarr) at
    ``root`` here, target English, its audio languages from ``source``."""
    from tests.factories import InstanceFactory
    from tests.library import REMOTE_TV

    return InstanceFactory(
        name="tv",
        kind=Instance.Kind.SONARR,
        url=sonarr.url,
        api_key=ARR_KEY,
        root_folders=[root],
        path_mappings=[{"remote": REMOTE_TV, "local": root}],
        target_languages=["eng"],
        audio_source=source,
    )


def arr_source_instance(sonarr: FakeArr) -> Instance:
    """An instance whose items all ask the *arr for their files (the arr source, the
    library mounted nowhere): a hanging or restarting *arr holds the items being read."""
    return sonarr_over(sonarr, UNMOUNTED_TV, Instance.AudioSource.ARR)


def planned_run(
    instance: Instance, trigger: str = ScanRun.Trigger.CLI
) -> tuple[ScanRun, dict[str, int]]:
    """A run planned in this process; title -> its item id (nothing sent anywhere)."""
    from scanner.models import ScanItem
    from scanner.pipeline.scanning.plan import plan_run
    from scanner.pipeline.state import runs
    from scanner.pipeline.work import ScanItems

    run = runs.create_run(instance, RunRequest(trigger))
    (work,) = plan_run(run.pk)
    assert isinstance(work, ScanItems)
    items = ScanItem.objects.filter(pk__in=work.item_ids).select_related("media")
    return run, {item.media.title: item.pk for item in items}
