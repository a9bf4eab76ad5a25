"""Fixtures shared by every test directory: fast password hashing, real media files,
a real library on disk with the fake Sonarr/Radarr that lists it, the instances that
scan it, a real Celery worker, and what the pipeline sends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

import scanner.tasks  # noqa: F401 - every task registered, as a worker has them
from fakes.arr import FakeArr, FakeArrOptions
from scanner.models import Instance
from scanner.pipeline.work import Work
from scanner.tasking import steps as tasking_steps
from tests.capture import CapturingServer, capturing_server
from tests.factories import InstanceFactory
from tests.flush import fast_fixture_teardown
from tests.helpers import ARR_KEY, find_leak, sonarr_over
from tests.library import REMOTE_MOVIES, Library, build_movies, build_tv
from tests.media import MediaFactory, share_templates
from tests.slow_first import register, sort_slowest_first
from tests.template_db import migrated_once
from tests.worker import WorkerProcess, celery_worker


def pytest_configure(config: pytest.Config) -> None:
    register(config)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slowest tests first (tests/slow_first.py): xdist's workers end together."""
    sort_slowest_first(config, items)


@pytest.fixture(scope="session", autouse=True)
def _flush_without_needless_rebuild() -> Iterator[None]:
    """A ``transaction=True`` test's database emptied as Django's flush leaves it, without
    writing back the content types and permissions no test changed (tests/flush.py)."""
    from django.test import TransactionTestCase

    with pytest.MonkeyPatch.context() as patch:
        django_flush = TransactionTestCase._fixture_teardown
        patch.setattr(TransactionTestCase, "_fixture_teardown", fast_fixture_teardown(django_flush))
        yield


@pytest.fixture(scope="session", autouse=True)
def _migrated_once_per_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Under xdist, the test database is migrated by one test process and copied by the
    others (tests/template_db.py)."""
    if not hasattr(request.config, "workerinput"):
        yield
        return
    # The run's base folder, shared by its workers (each has its own below it).
    with migrated_once(tmp_path_factory.getbasetemp().parent):
        yield


@pytest.fixture(autouse=True)
def _no_secret_reaches_a_log() -> Iterator[None]:
    """Every test: what the log files of its data dir (this process, its worker
    processes) gained meanwhile holds no secret the tests use."""
    logs = Path(os.environ["TAGGARR_DATA_DIR"]) / "logs"
    before = {path: path.stat().st_size for path in logs.glob("*.log")}
    yield
    for path in logs.glob("*.log"):
        with open(path, "rb") as handle:
            handle.seek(before.get(path, 0))
            written = handle.read().decode("utf-8", "replace")
        leak = find_leak(written)
        if leak:
            pytest.fail(f"a secret reached {path.name}: ...{leak[:12]}...")


@pytest.fixture(autouse=True)
def _no_profile_names_kept() -> Iterator[None]:
    """The *arrs' profile names a process keeps by URL (scanner.wish_profiles.arr_calls)
    forgotten after each test: a later test's fake *arr may get the same port."""
    yield
    from scanner.wish_profiles import arr_calls

    arr_calls.forget_names()


@pytest.fixture(autouse=True)
def _item_desk_stopped() -> Iterator[None]:
    """A test that scanned items in this process leaves no desk thread behind, nor its
    database connection (the test database is emptied or dropped after it)."""
    yield
    from scanner.pipeline.runtime.item_desk import close_desk

    close_desk()


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request in another language (Accept-Language, the cookie) leaves it active in
    the thread (LocaleMiddleware activates it and nothing deactivates it): the next test
    on the same worker would read German where it expects the default."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2 at its production cost makes each login half a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def media(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    """Real video files; each audio layout is made by ffmpeg once per run: under xdist in
    the run's folder, which its test processes share (tests/media.py), else in this
    session's. ``make_video`` uses the same templates."""
    if hasattr(request.config, "workerinput"):
        folder = tmp_path_factory.getbasetemp().parent / "media-templates"
    else:
        folder = tmp_path_factory.mktemp("media-templates")
    return share_templates(folder)


@pytest.fixture
def tv_library(tmp_path: Path, media: MediaFactory) -> Library:
    return build_tv(tmp_path / "tv", media)


@pytest.fixture
def movie_library(tmp_path: Path, media: MediaFactory) -> Library:
    return build_movies(tmp_path / "movies", media)


@pytest.fixture
def sonarr(tv_library: Library) -> Iterator[FakeArr]:
    """A fake Sonarr v4 listing ``tv_library``."""
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=tv_library.arr_items) as fake:
        tv_library.load_episode_files(fake)
        yield fake


@pytest.fixture
def radarr(movie_library: Library) -> Iterator[FakeArr]:
    """A fake Radarr v5 listing ``movie_library``."""
    options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY)
    with FakeArr(options, items=movie_library.arr_items) as fake:
        yield fake


@pytest.fixture
def empty_sonarr() -> Iterator[FakeArr]:
    """A fake Sonarr with no series: for connection tests."""
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY)) as fake:
        yield fake


@pytest.fixture
def sonarr_instance(db, sonarr: FakeArr, tv_library: Library) -> Instance:
    # The files source; the *arr sources: test_arr_source.py.
    return sonarr_over(sonarr, str(tv_library.root), Instance.AudioSource.FILES)


@pytest.fixture
def radarr_instance(db, radarr: FakeArr, movie_library: Library) -> Instance:
    return InstanceFactory(
        name="movies",
        kind=Instance.Kind.RADARR,
        url=radarr.url,
        api_key=ARR_KEY,
        root_folders=[str(movie_library.root)],
        path_mappings=[{"remote": REMOTE_MOVIES, "local": str(movie_library.root)}],
        target_languages=["eng"],
        audio_source=Instance.AudioSource.FILES,
    )


@pytest.fixture
def worker(transactional_db: None) -> Iterator[WorkerProcess]:
    """A real Celery worker process on the test database (committed data only)."""
    with celery_worker() as process:
        yield process


@pytest.fixture(autouse=True)
def _no_worker_marked_alive() -> None:
    """Every test starts with no worker marked alive (scanner.worker.alive): a worker an
    earlier test killed leaves its mark for a while."""
    from django.core.cache import cache

    from scanner.worker import alive

    cache.delete(alive.KEY)


@pytest.fixture(autouse=True)
def _empty_broker(request: pytest.FixtureRequest) -> None:
    """A test with a real worker starts from an empty broker: no task queued by an earlier
    test (or session) may reach its worker. On Redis that is also the messages a killed
    worker held unacknowledged: kombu keeps them in its ``unacked`` hash and index
    (kombu/transport/redis.py, QoS: ``unacked_key``, ``unacked_index_key``) and the next
    worker's ``restore_visible`` queues them again once they are older than the visibility
    timeout (an hour): an earlier session's kill -9 came back as a task of an item that
    is not (or is another) in this test's database. ``purge`` empties the queues only."""
    if request.node.get_closest_marker("worker") is None:
        return
    from taggarr.celery import app

    app.control.purge()
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        if hasattr(channel, "unacked_key"):  # Redis; the embedded broker keeps no such set
            channel.client.delete(
                channel.unacked_key, channel.unacked_index_key, channel.unacked_mutex_key
            )


@pytest.fixture
def sent_work(monkeypatch: pytest.MonkeyPatch) -> list[Work]:
    """What scanner.tasks.send hands to the broker (after the commit), kept here instead."""
    sent: list[Work] = []
    monkeypatch.setattr(tasking_steps, "enqueue", sent.append)
    return sent


@pytest.fixture
def inbox() -> Iterator[CapturingServer]:
    """An HTTP server that keeps what Apprise's json:// posts to it."""
    with capturing_server() as server:
        yield server
